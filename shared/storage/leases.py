"""Leases in MongoDB, so that one instance of a scaled service does a singleton's work."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from shared.storage.tenancy import Document

LEASES = "leases"


class Lease:
    def __init__(
        self, collection: AsyncCollection[Document], name: str, holder: str, ttl_seconds: float
    ) -> None:
        self._collection = collection
        self.name = name
        self.holder = holder
        self._ttl = timedelta(seconds=ttl_seconds)
        # When this holder last renewed (monotonic clock), for `hold`.
        self._renewed_at: float | None = None

    async def acquire(self) -> bool:
        """Take or renew the lease; False while another live holder has it."""
        now = datetime.now(UTC)
        try:
            doc = await self._collection.find_one_and_update(
                {"_id": self.name, "$or": [{"holder": self.holder}, {"expires_at": {"$lt": now}}]},
                {"$set": {"holder": self.holder, "expires_at": now + self._ttl}},
                upsert=True,
                return_document=True,
            )
        except DuplicateKeyError:
            self._renewed_at = None
            return False
        held = doc is not None and doc.get("holder") == self.holder
        self._renewed_at = time.monotonic() if held else None
        return held

    async def hold(self) -> bool:
        """As `acquire`, without a round trip while this holder renewed the lease less than a
        third of its term ago: it is still ours for two thirds of the term, and a loop that
        runs on every commit (the outbox relay) would otherwise renew it every time."""
        renewed = self._renewed_at
        if renewed is not None and time.monotonic() - renewed < self._ttl.total_seconds() / 3:
            return True
        return await self.acquire()

    async def release(self) -> None:
        self._renewed_at = None
        await self._collection.delete_one({"_id": self.name, "holder": self.holder})
