"""The audit chain's head, published so that an integrator who keeps the heads can prove
later that nothing before them was changed (shared/audit, docs/api.md "Audit log").

It carries ids and hashes only, never what the entries say.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from shared.events.base import Event


class AuditHeadPublished(Event):
    """The head of one organisation's chain in one service: its last entry's seq and hash,
    and where the chain starts (seq 1 after 64 zeros, or the anchor retention left)."""

    type_name: ClassVar[str] = "nl.safehands.audit.head.v1"
    key_field: ClassVar[str] = "service"
    service: str
    seq: int
    hash: str
    anchor_seq: int
    anchor_prev_hash: str
    published_at: datetime


EVENTS: tuple[type[Event], ...] = (AuditHeadPublished,)
