"""The one writer of a service's audit chains: links the entries that use cases wrote
unchained (`audit_pending`, with their change) into each organisation's chain.

Why a single writer: an organisation's chain has one head, and every entry moves it. Moved
in the request's transaction, every audited action of one organisation read and rewrote that
document, so a coordinator team at work (or 50 interviews a second) lost write conflicts on
it and ran their requests again, up to 409s. Moved here, by the instance that holds the
`audit-chainer` lease, in batches, nothing in a request waits for another's head.

One round: the oldest pending entries (PENDING_ORDER, across organisations), then ONE
transaction: the heads of their organisations read, the chained entries inserted, each head
moved on the condition that it is still what was read (new heads inserted, so the unique
index refuses a second), the pending rows deleted by id; all in one client bulkWrite, then
the commit. Should another chainer have chained any of them meanwhile (a lease that changed
hands), a head does not match or a pending row is gone: the transaction is abandoned and the
round starts over from what is pending then. So each entry is chained exactly once, and a
crash anywhere before the commit leaves every entry pending for the next round.

Woken by the commit of every unit of work of this process that wrote a pending entry
(`Database.written`), and every `poll_seconds` for what the service's other instances wrote.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from typing import Any

from pymongo import DeleteOne, InsertOne, UpdateOne
from pymongo.errors import ClientBulkWriteException, PyMongoError

from shared.audit.chain import link_all
from shared.audit.log import AUDIT_HEADS, AUDIT_LOG, AUDIT_PENDING, PENDING_ORDER
from shared.cancellation import raise_if_cancelled, wait_for_event
from shared.failpoints import failpoint
from shared.logs import get_logger
from shared.progress import one_round
from shared.storage.database import Database, is_transient, transaction_backoff
from shared.storage.leases import LEASES, Lease
from shared.storage.tenancy import Document

log = get_logger(__name__)

CHAIN_LEASE = "audit-chainer"
# A round whose transaction lost a write conflict (a head published or retention at the same
# moment) is run again at once, this many times, before the loop's own retry.
ROUND_ATTEMPTS = 5


class ChainMoved(RuntimeError):
    """A head or a pending row was not as this round read it: another chainer was at work."""


async def chain_pending(db: Database, limit: int = 500) -> int:
    """Chain the oldest pending entries (up to `limit`) in one transaction; returns how many.
    Safe beside another chainer: see the module's docstring."""
    for attempt in range(1, ROUND_ATTEMPTS + 1):
        pending = (
            await db.platform_collection(AUDIT_PENDING)
            .find({})
            .sort(PENDING_ORDER)
            .limit(limit)
            .to_list()
        )
        if not pending:
            return 0
        try:
            await _chain(db, pending)
            return len(pending)
        except (ChainMoved, PyMongoError) as exc:
            again = isinstance(exc, ChainMoved) or is_transient(exc)
            if not again or attempt == ROUND_ATTEMPTS:
                raise
        await asyncio.sleep(transaction_backoff(attempt))
    raise AssertionError("unreachable")


async def _chain(db: Database, pending: Sequence[Document]) -> None:
    async with db.transaction() as tx:
        orgs = sorted({str(row["org_id"]) for row in pending})
        heads: dict[str, Document] = {
            str(head["org_id"]): head
            async for head in tx.db[AUDIT_HEADS].find({"org_id": {"$in": orgs}}, session=tx.session)
        }
        tips = {org: (int(head["seq"]), str(head["hash"])) for org, head in heads.items()}
        chained, tips = link_all(pending, tips)
        name = tx.db.name
        writes: list[Any] = [InsertOne(entry, namespace=f"{name}.{AUDIT_LOG}") for entry in chained]
        moved = 0
        for org in orgs:
            seq, hash_ = tips[org]
            changed_at = next(str(row["at"]) for row in reversed(pending) if row["org_id"] == org)
            fields = {"seq": seq, "hash": hash_, "changed_at": changed_at, "unpublished": True}
            if org in heads:
                was = heads[org]
                writes.append(
                    UpdateOne(
                        {"org_id": org, "seq": was["seq"], "hash": was["hash"]},
                        {"$set": fields},
                        namespace=f"{name}.{AUDIT_HEADS}",
                    )
                )
                moved += 1
            else:
                # Inserted, not upserted: a head another chainer created meanwhile is then a
                # duplicate key, not silently overwritten.
                writes.append(
                    InsertOne({"org_id": org, **fields}, namespace=f"{name}.{AUDIT_HEADS}")
                )
        writes += [
            DeleteOne({"_id": row["_id"]}, namespace=f"{name}.{AUDIT_PENDING}") for row in pending
        ]
        try:
            result = await tx.db.client.bulk_write(writes, ordered=True, session=tx.session)
        except ClientBulkWriteException as exc:
            if isinstance(exc.error, PyMongoError):
                raise exc.error from None
            raise ChainMoved(f"the chains moved during a round: {exc}") from None
        if result.matched_count != moved or result.deleted_count != len(pending):
            raise ChainMoved("a head moved or a pending entry was chained during this round")
        failpoint("audit.before_chain_commit")


class AuditChainer:
    """The background task (shared/runtime/runtime.py starts it beside the outbox relay)."""

    name = "audit-chainer"

    def __init__(
        self,
        db: Database,
        holder: str,
        *,
        batch_size: int = 500,
        poll_seconds: float = 1.0,
        lease_seconds: float = 15.0,
    ) -> None:
        self._db = db
        self._lease = Lease(db.platform_collection(LEASES), CHAIN_LEASE, holder, lease_seconds)
        self._batch_size = batch_size
        self._poll_seconds = poll_seconds
        self._written = db.written(AUDIT_PENDING)

    def wake(self) -> None:
        """Chain now rather than at the next poll (a reader waits for its entries)."""
        self._written.set()

    async def run(self) -> None:
        while True:
            # Only a cancellation ends this loop, and PyMongo may lose one (on Python 3.11,
            # see shared/cancellation.py): then it ends here, before the next round.
            raise_if_cancelled()
            # Cleared before looking: a commit during the round wakes the next one at once.
            self._written.clear()
            try:
                with one_round():
                    chained = (
                        await chain_pending(self._db, self._batch_size)
                        if await self._lease.hold()
                        else 0
                    )
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("audit chaining failed, will retry", error=type(exc).__name__)
                chained = 0
                await asyncio.sleep(self._poll_seconds)
            if chained < self._batch_size:
                await wait_for_event(self._written, self._poll_seconds)

    async def release(self) -> None:
        with contextlib.suppress(Exception):
            await self._lease.release()
