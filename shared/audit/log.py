"""A service's audit chains in its own database: one chain per organisation per service.

Why per service: each service owns its database, and an entry must be written in the same
transaction as the change it records (the service's unit of work, which also holds its
outbox). A transaction cannot reach another service's database, so one platform-wide chain
per organisation would need a second write outside that transaction, and could then lose an
entry or keep one for a change that never happened. So every entry names its `service`, the
organisation's log is the union of its five chains, and `safehands audit verify` checks each.

Appending reads the organisation's head document (`audit_heads`) and writes it back with
the new seq and hash in the same transaction; two concurrent appends for one organisation
therefore conflict on that document and one is run again (Database.transact), so a seq is
never claimed twice. The unique index on (org_id, seq) says the same once more.

Nothing here updates or deletes an entry, except `drop_before` (retention), which removes
whole days at the tail and records the first kept entry as the chain's anchor.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from shared.audit.chain import (
    GENESIS,
    SYSTEM,
    Anchor,
    Break,
    first_break,
    hour_of,
    new_entry,
    principal_role,
)
from shared.auth.dependencies import ACTING
from shared.auth.tokens import Principal
from shared.storage.database import IndexSpec
from shared.storage.tenancy import Document, TenantCollection
from shared.storage.unit_of_work import UnitOfWork


class ChainContention(RuntimeError):
    """The head moved between reading and writing it: never expected inside a transaction
    (that is a write conflict), refused rather than leave two entries with one seq."""


AUDIT_LOG = "audit_log"
AUDIT_HEADS = "audit_heads"

AUDIT_INDEXES = (
    IndexSpec(AUDIT_LOG, (("seq", 1),), unique=True),
    IndexSpec(AUDIT_LOG, (("at", 1),)),
    IndexSpec(AUDIT_HEADS, (), unique=True),
    # The hourly sweep's query across organisations: heads not published since they moved.
    IndexSpec(AUDIT_HEADS, (("unpublished", 1),), tenant=False),
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
    """Append one entry to this organisation's chain, in `uow`'s transaction. `actor`
    defaults to the request's principal (ACTING); `at` to now (kept to the hour)."""
    if actor is None or isinstance(actor, Principal):
        who = actor_of(actor if actor is not None else ACTING.get())
    else:
        who = {"sub": actor["sub"], "role": actor["role"]}
    heads = uow.collection(AUDIT_HEADS)
    head = await heads.find_one({})
    seq = int(head["seq"]) + 1 if head else 1
    prev_hash = str(head["hash"]) if head else GENESIS
    entry = new_entry(
        org_id=uow.org_id,
        service=uow.service,
        seq=seq,
        at=at or datetime.now(UTC),
        actor=who,
        action=action,
        object_type=object_type,
        object_id=object_id,
        prev_hash=prev_hash,
    )
    # Written at commit with the outbox rows, in one command (UnitOfWork.insert_at_commit):
    # it cannot collide with another append, whose head update below conflicts first.
    uow.insert_at_commit(AUDIT_LOG, dict(entry))
    # Conditional on the head read above: a concurrent append makes this a write conflict.
    moved = await heads.update_one(
        {"seq": head["seq"]} if head else {},
        {
            "$set": {
                "seq": seq,
                "hash": entry["hash"],
                "changed_at": entry["at"],
                "unpublished": True,
            }
        },
        upsert=head is None,
    )
    if head is not None and moved.matched_count != 1:
        raise ChainContention(f"the audit head of {uow.org_id} moved during an append")
    return entry


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
