"""Transactions that lose a write conflict are run again rather than failing the caller."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from shared.storage import database as database_module
from shared.storage.database import Database, IndexSpec
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


async def test_reruns_of_one_organisation_take_turns_after_a_conflict(
    db: Database,
) -> None:
    """Ten changes at once that all rewrite one document of the organisation (its one
    counter here; its audit head before issue 27 took it out of the request) collide there.
    Those that lost run again one after the other (Database._turn), never two re-runs of one
    organisation at the same time, so they stop colliding with each other; all ten get
    through, each counted once."""
    reruns_running = 0
    most_reruns_at_once = 0

    async def change(n: int) -> BaseException | None:
        attempts = 0

        async def work(uow: UnitOfWork) -> None:
            nonlocal attempts, reruns_running, most_reruns_at_once
            attempts += 1
            rerun = attempts > 1
            if rerun:
                reruns_running += 1
                most_reruns_at_once = max(most_reruns_at_once, reruns_running)
            try:
                await uow.collection("counters").insert_one({"name": f"change-{n}"})
                await asyncio.sleep(0.01)  # the change itself takes a moment
                counter = uow.collection("counters")
                current = await counter.find_one({"name": "shared"})
                await counter.update_one(
                    {"name": "shared"}, {"$set": {"value": (current or {})["value"] + 1}}
                )
            finally:
                if rerun:
                    reruns_running -= 1

        try:
            await db.transact("org-a", work)
        except Exception as exc:
            return exc
        return None

    failures = await asyncio.gather(*(change(n) for n in range(10)))
    assert failures == [None] * 10
    assert most_reruns_at_once == 1
    stored = await db.tenant_collection("org-a", "counters").find_one({"name": "shared"})
    assert stored is not None and stored["value"] == 10


class AlreadyThere(Exception):
    """What the test's use case refuses a second insert of the same key with."""


async def test_inserts_at_commit_that_collide_are_run_again_then_refused(
    infra: Infrastructure,
) -> None:
    """Inserts staged for the commit go with the outbox in one bulkWrite. Two transactions
    inserting the same unique key at once: the loser's bulkWrite fails as a whole with a
    write conflict, which must be run again like any conflict (not answered 500); run again,
    it collides with the committed document and raises the caller's refusal."""
    indexes = [IndexSpec("interviews", (("volunteer_id", 1),), unique=True)]
    async with infra.scratch_database("tx-staged", indexes) as db:
        entered = asyncio.Barrier(2)
        attempts: list[None] = []

        async def interview(uow: UnitOfWork) -> None:
            # Both first attempts have started their transactions before either writes.
            await uow.collection("interviews").find_one({"volunteer_id": "v1"})
            attempts.append(None)
            if len(attempts) <= 2:
                await asyncio.wait_for(entered.wait(), 5)
            uow.insert_at_commit(
                "interviews", {"volunteer_id": "v1"}, if_duplicate=AlreadyThere("v1")
            )

        async def one() -> BaseException | None:
            try:
                await db.transact("org-a", interview)
            except Exception as exc:
                return exc
            return None

        outcomes = await asyncio.gather(one(), one())
        assert sorted(type(o).__name__ for o in outcomes) == ["AlreadyThere", "NoneType"]
        stored = await db.tenant_collection("org-a", "interviews").find({"volunteer_id": "v1"})
        assert len(stored) == 1
        assert len(attempts) == 3  # the loser ran again
