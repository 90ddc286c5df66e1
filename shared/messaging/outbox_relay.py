"""Publishes the transactional outbox to Kafka, at least once and in order per key.

One instance of a service relays at a time (a lease), so records leave in the order they
were committed. A record is deleted only after the broker acknowledged it: a crash between
commit and publish leaves it in the outbox for the next relay.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from faststream.kafka import KafkaBroker

from shared.failpoints import failpoint
from shared.logs import get_logger
from shared.storage.database import Database
from shared.storage.leases import LEASES, Lease
from shared.storage.unit_of_work import OUTBOX

log = get_logger(__name__)


class OutboxRelay:
    def __init__(
        self,
        db: Database,
        broker: KafkaBroker,
        holder: str,
        *,
        batch_size: int = 500,
        poll_seconds: float = 0.5,
        lease_seconds: float = 15.0,
    ) -> None:
        self._db = db
        self._broker = broker
        self._outbox = db.platform_collection(OUTBOX)
        self._lease = Lease(db.platform_collection(LEASES), "outbox-relay", holder, lease_seconds)
        self._batch_size = batch_size
        self._poll_seconds = poll_seconds

    async def run(self) -> None:
        while True:
            # Cleared before the outbox is read: a commit landing during the publish below
            # then wakes the next round at once instead of waiting for the poll.
            self._db.outbox_written.clear()
            try:
                published = await self.publish_pending() if await self._lease.acquire() else 0
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("outbox relay failed, will retry", error=f"{type(exc).__name__}: {exc}")
                published = 0
                await asyncio.sleep(self._poll_seconds)
            if published < self._batch_size:
                await self._wait_for_work()

    async def _wait_for_work(self) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._db.outbox_written.wait(), self._poll_seconds)

    async def publish_pending(self) -> int:
        records = await self._outbox.find({}).sort("_id", 1).limit(self._batch_size).to_list()
        if not records:
            return 0
        failpoint("relay.before_publish")
        pending: list[asyncio.Future[Any]] = []
        for record in records:
            pending.append(
                await self._broker.publish(
                    record["value"],
                    topic=record["topic"],
                    key=record["key"],
                    headers={name: bytes(value).decode() for name, value in record["headers"]},
                    no_confirm=True,
                )
            )
        await asyncio.gather(*pending)
        failpoint("relay.after_publish")
        await self._outbox.delete_many({"_id": {"$in": [record["_id"] for record in records]}})
        return len(records)

    async def release(self) -> None:
        with contextlib.suppress(Exception):
            await self._lease.release()
