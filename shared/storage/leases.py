"""Leases in MongoDB, so that one instance of a scaled service does a singleton's work."""

from __future__ import annotations

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
            return False
        return doc is not None and doc.get("holder") == self.holder

    async def release(self) -> None:
        await self._collection.delete_one({"_id": self.name, "holder": self.holder})
