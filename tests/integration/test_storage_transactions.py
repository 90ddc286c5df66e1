"""Transactions that lose a write conflict are run again rather than failing the caller."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from shared.storage import database as database_module
from shared.storage.database import Database
from shared.storage.unit_of_work import UnitOfWork
from tests.support.platform import Infrastructure


async def contended_increments(db: Database, writers: int) -> list[BaseException | None]:
    async def increment(uow: UnitOfWork) -> None:
        counter = uow.collection("counters")
        current = await counter.find_one({"name": "shared"})
        await asyncio.sleep(0.01)  # widen the window in which another writer commits
        await counter.update_one(
            {"name": "shared"},
            {"$set": {"value": (current or {}).get("value", 0) + 1}},
            upsert=True,
        )

    async def one() -> BaseException | None:
        try:
            await db.transact("org-a", increment)
        except Exception as exc:
            return exc
        return None

    return await asyncio.gather(*(one() for _ in range(writers)))


@pytest.fixture
async def db(infra: Infrastructure) -> AsyncIterator[Database]:
    async with infra.scratch_database("tx") as database:
        counters = database.tenant_collection("org-a", "counters")
        await counters.insert_one({"name": "shared", "value": 0})
        yield database
    await database.close()


async def test_conflicting_transactions_are_retried_and_none_is_lost(db: Database) -> None:
    failures = await contended_increments(db, writers=3)
    assert failures == [None, None, None]
    stored = await db.tenant_collection("org-a", "counters").find_one({"name": "shared"})
    assert stored is not None and stored["value"] == 3


async def test_a_crowd_of_writers_on_one_document_all_get_through(db: Database) -> None:
    """Ten at once on one document (as ten coordinators' actions on an organisation's one
    audit head): the backoff spreads the attempts, so none is answered with a conflict."""
    failures = await contended_increments(db, writers=10)
    assert failures == [None] * 10
    stored = await db.tenant_collection("org-a", "counters").find_one({"name": "shared"})
    assert stored is not None and stored["value"] == 10


async def test_without_retries_the_same_contention_fails(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The test above can fail: this is what it guards against."""
    monkeypatch.setattr(database_module, "TRANSACTION_ATTEMPTS", 1)
    failures = await contended_increments(db, writers=3)
    assert any(database_module.is_transient(f) for f in failures if f is not None)
