"""A service's audit chains in its own database: one chain per organisation per service.

Why per service: each service owns its database, and an entry must be written in the same
transaction as the change it records (the service's unit of work, which also holds its
outbox). A transaction cannot reach another service's database, so one platform-wide chain
per organisation would need a second write outside that transaction, and could then lose an
entry or keep one for a change that never happened. So every entry names its `service`, the
organisation's log is the union of its five chains, and `safehands audit verify` checks each.

Appending is not chaining. A use case's `record` writes its entry unchained into
`audit_pending`, staged for the commit (`UnitOfWork.insert_at_commit`): in the one command
that writes the outbox, so the entry exists exactly when the change it records committed, and
the request touches no shared document (the organisation's head, which every audited action
of the organisation would otherwise read and rewrite, and on which concurrent actions would
lose write conflicts and run again). One instance per service, the holder of the
`audit-chainer` lease (shared/audit/chainer.py, woken by the commit), then links the pending
entries into each organisation's chain in the order they were written: in one transaction
per batch it reads the heads, inserts the chained entries, moves each head on the condition
that it is still what it read, and deletes the pending rows, all of them or none. A second
chainer (a lease that changed hands) therefore loses a write conflict or finds the head or
the pending rows gone and changes nothing: every entry is chained exactly once, and the
unique index on (org_id, seq) says so once more. A crash between commit and chaining leaves
the entry pending for the next round. Reading the log waits (a moment) for the reader's
organisation's pending entries to be chained first (shared/runtime/audit.py).

Nothing here updates or deletes an entry, except `drop_before` (retention), which removes
whole days at the tail and records the first kept entry as the chain's anchor.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from bson import ObjectId

from shared.audit.chain import (
    SYSTEM,
    Anchor,
    Break,
    first_break,
    hour_of,
    principal_role,
)
from shared.auth.dependencies import ACTING
from shared.auth.tokens import Principal
from shared.storage.database import IndexSpec
from shared.storage.tenancy import Document, TenantCollection
from shared.storage.unit_of_work import UnitOfWork

AUDIT_LOG = "audit_log"
AUDIT_HEADS = "audit_heads"
# Entries written with their change, waiting to be chained (shared/audit/chainer.py).
AUDIT_PENDING = "audit_pending"
# The order the chainer links pending entries in: the time they were written, then the id
# (as the outbox's: an ObjectId alone does not order two instances' rows of one second).
PENDING_ORDER: list[tuple[str, int]] = [("written_at", 1), ("_id", 1)]

AUDIT_INDEXES = (
    IndexSpec(AUDIT_LOG, (("seq", 1),), unique=True),
    IndexSpec(AUDIT_LOG, (("at", 1),)),
    IndexSpec(AUDIT_HEADS, (), unique=True),
    # The hourly sweep's query across organisations: heads not published since they moved.
    IndexSpec(AUDIT_HEADS, (("unpublished", 1),), tenant=False),
    # The chainer takes the oldest pending entries across organisations; a reader of one
    # organisation's log asks whether any of its entries still wait.
    IndexSpec(AUDIT_PENDING, tuple(PENDING_ORDER), tenant=False),
    IndexSpec(AUDIT_PENDING, (("written_at", 1),)),
)


def actor_of(principal: Principal | None) -> dict[str, str]:
    if principal is None:
        return dict(SYSTEM)
    return {"sub": principal.sub, "role": principal_role(principal.roles)}


async def record(
    uow: UnitOfWork,
    action: str,
    object_type: str,
    object_id: str,
    *,
    actor: Principal | Mapping[str, str] | None = None,
    at: datetime | None = None,
) -> dict[str, Any]:
    """Write one entry for this organisation's chain in `uow`'s transaction, to be chained
    once it committed (see above); returns it unchained. `actor` defaults to the request's
    principal (ACTING); `at` to now (kept to the hour when chained)."""
    if actor is None or isinstance(actor, Principal):
        who = actor_of(actor if actor is not None else ACTING.get())
    else:
        who = {"sub": actor["sub"], "role": actor["role"]}
    now = datetime.now(UTC)
    pending = {
        "_id": ObjectId(),
        "service": uow.service,
        # To the hour already: the exact time is no more the pending row's than the entry's.
        "at": hour_of(at or now),
        "actor": {"sub": str(who["sub"]), "role": str(who["role"])},
        "action": action,
        "object": {"type": object_type, "id": str(object_id)},
        "written_at": now,
    }
    # With the outbox rows, in one command at commit; chained afterwards (see above).
    uow.insert_at_commit(AUDIT_PENDING, pending)
    return pending


async def record_unless_self(
    uow: UnitOfWork, action: str, object_type: str, object_id: str
) -> dict[str, Any] | None:
    """A read of a person's data (a volunteer's file), logged unless they read their own."""
    acting = ACTING.get()
    if acting is not None and acting.sub == object_id and "volunteer" in acting.roles:
        return None
    return await record(uow, action, object_type, object_id)


def public(entry: Mapping[str, Any]) -> dict[str, Any]:
    """An entry as routes and exports show it: its fields, none of the database's."""
    return {
        key: entry[key]
        for key in ("org_id", "service", "seq", "at", "actor", "action", "object")
        if key in entry
    } | {"prev_hash": entry.get("prev_hash"), "hash": entry.get("hash")}


async def head_of(collection: TenantCollection) -> Document | None:
    return await collection.find_one({}, projection={"_id": 0})


def anchor_of(head: Mapping[str, Any] | None) -> Anchor:
    if head is None or "anchor_seq" not in head:
        return Anchor()
    return Anchor(int(head["anchor_seq"]), str(head["anchor_prev_hash"]))


async def check_chain(log: TenantCollection, heads: TenantCollection) -> Break | None:
    """The first break of one organisation's chain in this database, or None."""
    head = await head_of(heads)
    entries = await log.find({}, sort=[("seq", 1)], projection={"_id": 0})
    return first_break(
        entries, anchor_of(head), (int(head["seq"]), str(head["hash"])) if head else None
    )


async def drop_before(uow: UnitOfWork, day: datetime) -> int:
    """Retention: remove the whole days before `day` (UTC midnight) at the tail of this
    organisation's chain and record the first kept entry as its anchor. Returns how many
    entries went. The newest entry is always kept, so the head stays provable."""
    log = uow.collection(AUDIT_LOG)
    heads = uow.collection(AUDIT_HEADS)
    head = await heads.find_one({})
    if head is None:
        return 0
    # Whole days only, and never the newest entry's day.
    cutoff = min(hour_of(day)[:10], str(head["changed_at"])[:10]) + "T00:00Z"
    kept = await log.find({"at": {"$gte": cutoff}}, sort=[("seq", 1)], limit=1)
    if not kept:
        return 0
    first = kept[0]
    removed = await log.delete_many({"seq": {"$lt": first["seq"]}})
    if removed.deleted_count:
        # Marked unpublished too: the next head event carries the new anchor.
        await heads.update_one(
            {"seq": head["seq"]},
            {
                "$set": {
                    "anchor_seq": first["seq"],
                    "anchor_prev_hash": first["prev_hash"],
                    "unpublished": True,
                }
            },
        )
    return removed.deleted_count
