"""A service's MongoDB database: its own collections, declared indexes, transactions."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from pymongo import AsyncMongoClient, IndexModel
from pymongo.asynchronous.collection import AsyncCollection

from shared.storage.tenancy import Document, TenantCollection
from shared.storage.unit_of_work import INBOX, OUTBOX, Transaction, UnitOfWork


@dataclass(frozen=True)
class IndexSpec:
    """An index a service needs. Tenant collections get `org_id` as the leading key,
    so a unique index is unique per organisation and every scoped query can use it."""

    collection: str
    keys: tuple[tuple[str, int], ...]
    unique: bool = False
    tenant: bool = True
    expire_after_seconds: int | None = None

    def model(self) -> IndexModel:
        keys = [("org_id", 1), *self.keys] if self.tenant else list(self.keys)
        options: dict[str, Any] = {"unique": self.unique}
        if self.expire_after_seconds is not None:
            options["expireAfterSeconds"] = self.expire_after_seconds
        return IndexModel(keys, **options)


PLUMBING_INDEXES = (
    IndexSpec(INBOX, (("consumer", 1), ("event_id", 1)), unique=True, tenant=False),
    IndexSpec(INBOX, (("recorded_at", 1),), tenant=False, expire_after_seconds=30 * 24 * 3600),
)


class Database:
    def __init__(self, uri: str, name: str, source: str) -> None:
        self.client: AsyncMongoClient[Document] = AsyncMongoClient(
            uri, tz_aware=True, serverSelectionTimeoutMS=3000, connectTimeoutMS=3000
        )
        self.db = self.client[name]
        self.source = source
        # Set after each commit that wrote to the outbox, so the relay publishes at once.
        self.outbox_written = asyncio.Event()

    def platform_collection(self, name: str) -> AsyncCollection[Document]:
        """A collection that is not per organisation (outbox, inbox, leases, the org list)."""
        return self.db[name]

    def tenant_collection(self, org_id: str, name: str) -> TenantCollection:
        """Read-only style access outside a transaction, still scoped to one organisation."""
        return TenantCollection(self.db[name], org_id)

    async def ping(self) -> None:
        await self.db.command("ping")

    async def ensure_indexes(self, specs: Sequence[IndexSpec]) -> None:
        by_collection: dict[str, list[IndexModel]] = {}
        for spec in (*PLUMBING_INDEXES, *specs):
            by_collection.setdefault(spec.collection, []).append(spec.model())
        for collection, models in by_collection.items():
            await self.db[collection].create_indexes(models)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        async with (
            self.client.start_session() as session,
            await session.start_transaction(),
        ):
            tx = Transaction(self.db, session, self.source)
            yield tx
            await tx.flush()
        if tx.wrote_outbox:
            self.outbox_written.set()

    @asynccontextmanager
    async def unit_of_work(self, org_id: str) -> AsyncIterator[UnitOfWork]:
        """One organisation's state change and its events, committed together or not at all."""
        async with self.transaction() as tx:
            yield tx.scope(org_id)

    async def close(self) -> None:
        await self.client.close()


__all__ = ["OUTBOX", "Database", "IndexSpec"]
