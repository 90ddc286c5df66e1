"""Hints that something changed, kept for a few minutes so that every instance of a service
can tell its live pages (shared/runtime/live.py).

A hint is written in the same transaction as the change it announces (by `Transaction`, for
the events a service publishes and the events it consumes), so a page that refetches on a
hint finds the change committed. It says only *what kind* of thing changed and, where the
person may already see it, its id: never content, never a name or an address.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bson import ObjectId

from shared.events import Event

CHANGES = "changes"
# Long enough for every instance's poll to find a hint (it looks a few seconds back), short
# enough that the collection stays small: a page that missed more catches up on reconnect.
CHANGES_KEPT_SECONDS = 600


@dataclass(frozen=True)
class Change:
    """Something changed in organisation `org_id`: `kind` ("reports", "volunteer"), seen by
    members with one of `roles` and by the person `subject` (a volunteer, their own file).
    `ids` are the ids the hint may carry: only what those people may already see."""

    org_id: str
    kind: str
    roles: frozenset[str]
    subject: str | None = None
    ids: tuple[tuple[str, str], ...] = field(default=())

    def document(self, at: datetime) -> dict[str, Any]:
        return {
            "_id": ObjectId(),
            "org_id": self.org_id,
            "kind": self.kind,
            "roles": sorted(self.roles),
            "subject": self.subject,
            "ids": [list(pair) for pair in self.ids],
            "at": at,
        }

    @classmethod
    def from_document(cls, doc: dict[str, Any]) -> Change:
        return cls(
            org_id=doc["org_id"],
            kind=doc["kind"],
            roles=frozenset(doc.get("roles", ())),
            subject=doc.get("subject"),
            ids=tuple((str(k), str(v)) for k, v in doc.get("ids", ())),
        )


# What a service's live pages hear of an event it publishes or consumes (none: nothing).
ChangesOf = Callable[[Event], Sequence[Change]]
