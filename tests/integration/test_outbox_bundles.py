"""A commit's outbox records are one document, a bundle; the relay sends each record once,
in order, sets aside a record the broker refuses for good under its own id, and after a
passing failure keeps only the bundle's unsent records (shared/storage/outbox_bundles.py)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from aiokafka.errors import KafkaTimeoutError
from prometheus_client import CollectorRegistry

from shared.events.admission import VolunteerApplied
from shared.messaging.broker import create_broker
from shared.messaging.outbox_relay import OutboxRelay
from shared.storage.database import Database
from shared.storage.outbox_bundles import is_bundle, records_in
from shared.storage.unit_of_work import OUTBOX, OUTBOX_DEAD_LETTERS, UnitOfWork
from tests.support.kafka import read_topic
from tests.support.platform import Infrastructure

TOPIC = VolunteerApplied.topic()


def applied(org: str) -> VolunteerApplied:
    # One volunteer: one key, so the records share a partition and its order.
    return VolunteerApplied(
        org_id=org,
        volunteer_id="volunteer",
        application_id=str(uuid.uuid4()),
        role_id="coach",
        name="Anna",
        email="anna@example.org",
        applied_at=datetime.now(UTC),
    )


async def announce(database: Database, count: int) -> tuple[str, list[str]]:
    """One commit announcing `count` applications to a new organisation: the organisation,
    and the events' ids in order."""
    org = f"org-{uuid.uuid4().hex[:8]}"

    async def work(uow: UnitOfWork) -> list[str]:
        return [uow.publish(applied(org)) for _ in range(count)]

    return org, await database.transact(org, work)


async def outbox(database: Database) -> list[dict[str, Any]]:
    return await database.platform_collection(OUTBOX).find({}).sort("_id", 1).to_list()


async def on_the_topic(infra: Infrastructure, org: str, count: int) -> list[str]:
    """The event ids of `org`'s records on the topic, in order (one key, one partition),
    read again a moment after `count` arrived, so that a record sent twice shows."""
    prefix = f"{org}:".encode()

    def ours(records: list[Any]) -> list[str]:
        return [
            dict(r.headers)["ce_id"].decode()
            for r in records
            if r.key is not None and r.key.startswith(prefix)
        ]

    await read_topic(
        infra.kafka_bootstrap, TOPIC, until=lambda rs: len(ours(rs)) >= count, timeout=20
    )
    await asyncio.sleep(0.5)
    return ours(await read_topic(infra.kafka_bootstrap, TOPIC, timeout=2))


@pytest.fixture
async def relayed(infra: Infrastructure) -> AsyncIterator[tuple[Database, OutboxRelay]]:
    async with infra.scratch_database("bundles") as database:
        broker = create_broker(infra.kafka_bootstrap, "tests", CollectorRegistry())
        await broker.start()
        try:
            yield database, OutboxRelay(database, broker, "tests")
        finally:
            await broker.stop()


async def test_a_commits_records_are_one_document_and_leave_once_in_order(
    infra: Infrastructure, relayed: tuple[Database, OutboxRelay]
) -> None:
    database, relay = relayed
    org, ids = await announce(database, 5)
    [document] = await outbox(database)
    assert is_bundle(document)
    assert [r["event_id"] for r in records_in(document)] == ids

    assert await relay.publish_pending() == 5
    assert await outbox(database) == []
    assert await on_the_topic(infra, org, 5) == ids


async def test_a_record_refused_for_good_is_set_aside_and_the_rest_of_its_bundle_leaves(
    infra: Infrastructure, relayed: tuple[Database, OutboxRelay]
) -> None:
    database, relay = relayed
    org, ids = await announce(database, 3)
    [document] = await outbox(database)
    records = records_in(document)
    records[1]["topic"] = "no such topic!"
    await database.platform_collection(OUTBOX).update_one(
        {"_id": document["_id"]}, {"$set": {"records": records}}
    )

    assert await relay.publish_pending() == 3
    assert await outbox(database) == []
    aside = await database.platform_collection(OUTBOX_DEAD_LETTERS).find_one(
        {"_id": records[1]["_id"]}
    )
    assert aside is not None and aside["event_id"] == ids[1]
    assert aside["reason"].startswith("InvalidTopicError")
    assert await on_the_topic(infra, org, 2) == [ids[0], ids[2]]


class FailsOnce(OutboxRelay):
    """The broker times out on one record, once: a passing failure."""

    def __init__(self, *args: Any, failing: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.failing: str | None = failing

    async def _send(
        self, topic: str, key: bytes, value: bytes, headers: dict[str, str]
    ) -> asyncio.Future[Any]:
        if headers.get("ce_id") == self.failing:
            self.failing = None
            failed: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
            failed.set_exception(KafkaTimeoutError())
            return failed
        return await super()._send(topic, key, value, headers)


async def test_after_a_passing_failure_the_bundle_keeps_only_what_was_not_sent(
    infra: Infrastructure, relayed: tuple[Database, OutboxRelay]
) -> None:
    database, relay = relayed
    org, ids = await announce(database, 4)
    [before] = await outbox(database)
    flaky = FailsOnce(database, relay._broker, "tests", failing=ids[2])

    with pytest.raises(KafkaTimeoutError):
        await flaky.publish_pending()
    [after] = await outbox(database)
    assert after["_id"] == before["_id"], "still first in line"
    assert [r["event_id"] for r in records_in(after)] == ids[2:]

    assert await flaky.publish_pending() == 2
    assert await outbox(database) == []
    topic = await on_the_topic(infra, org, 4)
    # What was sent before the failure is not sent again; from the failed record on, the
    # records are sent again in order (at least once: one the broker took after the failed
    # one, in the same round, is there twice).
    assert topic[:2] == ids[:2] and topic.count(ids[0]) == topic.count(ids[1]) == 1
    assert topic[-2:] == ids[2:]


async def test_with_bundles_off_a_commits_records_are_rows_for_a_relay_of_the_release_before(
    infra: Infrastructure,
) -> None:
    """SAFEHANDS_OUTBOX_BUNDLES=false, for an upgrade while instances of a release before
    bundles (whose relay reads rows only) still run."""
    database = Database(
        infra.mongo_uri, f"rows_{uuid.uuid4().hex[:8]}", "/tests", bundle_outbox=False
    )
    try:
        _, ids = await announce(database, 3)
        rows = await outbox(database)
        assert [row["event_id"] for row in rows] == ids
        assert not any(is_bundle(row) for row in rows)
        assert all({"topic", "key", "value", "headers"} <= set(row) for row in rows)
    finally:
        await database.client.drop_database(database.db.name)
        await database.close()
