"""Claiming work from a collection that several notify instances share.

A document is claimed with one atomic find_one_and_update that moves it from its waiting
status to its working status with a lease; only one instance can win it. A claim whose
holder died runs out and is claimed again; a holder that stops cleanly hands its claims back.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from pymongo import ReturnDocument
from pymongo.asynchronous.collection import AsyncCollection

from shared.storage.tenancy import Document


@dataclass(frozen=True)
class Claims:
    # Across organisations on purpose: like the outbox relay, a worker serves every tenant.
    collection: AsyncCollection[Document]
    waiting: str
    working: str
    holder: str
    lease: timedelta

    async def claim_next(
        self, where: Mapping[str, Any] | None = None, **also_set: Any
    ) -> Document | None:
        """Claim the most overdue document that is due (or whose lease ran out) and also
        matches `where`."""
        now = datetime.now(UTC)
        due: dict[str, Any] = {
            "$or": [
                {"status": self.waiting, "next_attempt_at": {"$lte": now}},
                {"status": self.working, "lease_until": {"$lt": now}},
            ]
        }
        return await self.collection.find_one_and_update(
            {"$and": [due, dict(where)]} if where else due,
            {
                "$set": {
                    "status": self.working,
                    "claimed_by": self.holder,
                    "lease_until": now + self.lease,
                    **also_set,
                }
            },
            sort=[("next_attempt_at", 1)],
            return_document=ReturnDocument.AFTER,
        )

    async def outstanding(self) -> int:
        """How many documents are due or being worked on: the work still to do."""
        return await self.collection.count_documents(
            {
                "$or": [
                    {"status": self.waiting, "next_attempt_at": {"$lte": datetime.now(UTC)}},
                    {"status": self.working},
                ]
            }
        )

    def mine(self, document: Document) -> dict[str, Any]:
        """The filter that matches `document` only while this holder still has it claimed."""
        return {"_id": document["_id"], "status": self.working, "claimed_by": self.holder}

    async def release_all(self) -> None:
        await self.collection.update_many(
            {"status": self.working, "claimed_by": self.holder},
            {"$set": {"status": self.waiting, "next_attempt_at": datetime.now(UTC)}},
        )


T = TypeVar("T")
RECORDING_ATTEMPTS = 5


async def record_outcome(record: Callable[[], Awaitable[T]]) -> T:
    """Run the transaction that records what happened to claimed work, retrying it a few
    times: the work is done (a mail went out), and if the record were lost with the claim,
    the claim would run out and the work would be done again. `record` must be idempotent,
    which the `Claims.mine` filter makes it."""
    for attempt in range(1, RECORDING_ATTEMPTS):
        try:
            return await record()
        except Exception:
            await asyncio.sleep(0.1 * 2**attempt)
    return await record()
