"""An instance's in-memory copy of the current members (shared/auth/membership.py
MembersCopy, issue 27): it grants what the projection would, a removal stops it granting as
soon as the event arrives (as the projection), an older event changes nothing, and whatever
it does not grant is decided by the database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

from shared.auth.membership import MEMBERS_COPY, MembersCopy, is_current_member
from shared.auth.tokens import Principal
from shared.events.identity import MemberAdded, MemberRemoved

AT = datetime(2026, 12, 6, 1, 0, tzinfo=UTC)
COORDINATOR = Principal(sub="cor", org="org-1", roles=frozenset({"coordinator"}))


def added(roles: list[str], at: datetime = AT) -> MemberAdded:
    return MemberAdded(
        org_id="org-1",
        member_id="m-1",
        sub="cor",
        roles=roles,
        added_at=at,  # type: ignore[arg-type]
    )


def removed(at: datetime) -> MemberRemoved:
    return MemberRemoved(org_id="org-1", member_id="m-1", sub="cor", removed_at=at)


class Projection:
    """The database's answer, counted: what the copy falls back to."""

    def __init__(self, documents: list[dict[str, Any]]) -> None:
        self.documents = documents
        self.reads = 0

    def tenant_collection(self, org: str, name: str) -> Any:
        projection = self

        class Members:
            async def find(self, query: dict[str, Any]) -> list[dict[str, Any]]:
                projection.reads += 1
                return [d for d in projection.documents if d["sub"] == query["sub"]]

            async def find_one(self, query: dict[str, Any]) -> dict[str, Any] | None:
                projection.reads += 1
                return None

        return Members()


def runtime(copy: MembersCopy, projection: Projection) -> Any:
    return SimpleNamespace(db=projection, extensions={MEMBERS_COPY: copy})


async def test_the_copy_grants_without_a_read_and_a_removal_ends_it() -> None:
    copy, projection = MembersCopy(), Projection([])
    copy.mark_ready(True)
    copy.apply(added(["coordinator"]))
    assert await is_current_member(runtime(copy, projection), COORDINATOR)
    assert projection.reads == 0
    # A replayed older event changes nothing; the removal ends the membership at once,
    # and the database (which learned it from the same event) agrees.
    copy.apply(removed(AT + timedelta(minutes=1)))
    copy.apply(added(["coordinator"], AT))
    assert not copy.grants(COORDINATOR)
    assert not await is_current_member(runtime(copy, projection), COORDINATOR)
    assert projection.reads == 1 and copy.fallbacks == 1


async def test_what_the_copy_does_not_grant_the_database_decides() -> None:
    """A member the copy does not know (minted straight into the database, or announced a
    moment ago), or with a role it does not hold yet: the projection answers."""
    known = {"sub": "cor", "roles": ["coordinator"], "removed": False}
    copy, projection = MembersCopy(), Projection([known])
    copy.mark_ready(True)
    assert await is_current_member(runtime(copy, projection), COORDINATOR)
    assert projection.reads == 1
    copy.apply(added(["admin"]))
    assert await is_current_member(runtime(copy, projection), COORDINATOR)
    assert projection.reads == 2
    # Not caught up yet: the copy grants nothing.
    waiting = MembersCopy()
    waiting.apply(added(["coordinator"]))
    assert not waiting.grants(COORDINATOR)
