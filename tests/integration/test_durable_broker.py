"""The durable embedded broker (Tansu on SeaweedFS, `safehands up`'s default): topics and
consumer offsets survive a restart, and a broker SIGKILLed while events are produced loses
no committed event and applies none twice (the outbox and the inbox, on a broker that keeps
what it acknowledged)."""

from __future__ import annotations

import asyncio
import json
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.errors import KafkaConnectionError
from pymongo import MongoClient

from shared.events.admission import VolunteerApplied
from tests.support.admission import Organisation
from tests.support.counter_service import COUNTERS
from tests.support.durable_broker import DurableBroker, durable_infrastructure
from tests.support.kafka import read_topic
from tests.support.platform import Infrastructure, Platform, eventually

TOPIC = VolunteerApplied.topic()
# Many applications from one client in a minute: no rate limit or proof of work in the way.
UNLIMITED = {
    "SAFEHANDS_RATE_LIMIT_PER_CLIENT": "1000",
    "SAFEHANDS_PROOF_OF_WORK_ABOVE_PER_MINUTE": "1000",
}
ROLE = {"title": "Jeugdleider", "works_with_minors": True, "works_with_vulnerable": False}


@pytest.fixture(scope="module")
def durable(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Infrastructure, DurableBroker]]:
    with durable_infrastructure(tmp_path_factory.mktemp("durable")) as running:
        yield running


@pytest.fixture
def platform(durable: tuple[Infrastructure, DurableBroker]) -> Iterator[Platform]:
    running = Platform(durable[0])
    try:
        yield running
    finally:
        running.stop_all()


def applied_ids(records: list, org: str) -> set[str]:  # type: ignore[type-arg]
    values = (json.loads(r.value) for r in records)
    return {v["volunteer_id"] for v in values if v.get("org_id") == org}


async def started(make: Callable[[], AIOKafkaConsumer]) -> AIOKafkaConsumer:
    """A consumer started as a client reconnecting after a broker restart would be: the
    restarted broker listens before it answers (it loads its topics from the object store,
    seconds on a busy machine), so a refused bootstrap is tried again for up to 30 s."""
    deadline = time.monotonic() + 30
    while True:
        consumer = make()
        try:
            await consumer.start()
            return consumer
        except KafkaConnectionError:
            await consumer.stop()
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.5)


async def read_as_new_group(bootstrap: str, group: str, org: str, want: int) -> set[str]:
    """What an integrator's new consumer group reads of `org`'s applications from the
    earliest offset, until it has `want` of them (or 40 s passed)."""
    consumer = await started(
        lambda: AIOKafkaConsumer(
            TOPIC,
            bootstrap_servers=bootstrap,
            group_id=group,
            auto_offset_reset="earliest",
            enable_auto_commit=False,
            # Tansu holds a JoinGroup for half of the session timeout.
            session_timeout_ms=6000,
            heartbeat_interval_ms=2000,
        )
    )
    found: set[str] = set()
    try:
        deadline = time.monotonic() + 40
        while len(found) < want and time.monotonic() < deadline:
            batch = await consumer.getmany(timeout_ms=500)
            for records in batch.values():
                found |= applied_ids(records, org)
        await consumer.commit()
        return found
    finally:
        await consumer.stop()


async def committed_offsets(bootstrap: str, group: str) -> dict[int, int | None]:
    consumer = await started(lambda: AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=group))
    try:
        partitions = consumer.partitions_for_topic(TOPIC) or set()
        if not partitions:
            await consumer._client.force_metadata_update()
            partitions = consumer.partitions_for_topic(TOPIC) or set()
        return {p: await consumer.committed(TopicPartition(TOPIC, p)) for p in sorted(partitions)}
    finally:
        await consumer.stop()


async def test_twenty_applications_survive_a_stop_and_start_of_the_broker(
    durable: tuple[Infrastructure, DurableBroker], platform: Platform
) -> None:
    infra, broker = durable
    policy = platform.start("policy")
    intake = platform.start("intake", env=UNLIMITED)
    org = Organisation(infra, intake, policy)
    assert org.register().status_code == 201
    assert org.define_role("coach", ROLE).status_code in (200, 201)
    volunteers = {org.apply("coach") for _ in range(20)}
    assert len(volunteers) == 20
    # The relay has published them all before the platform stops.
    await read_topic(
        infra.kafka_bootstrap,
        TOPIC,
        until=lambda r: applied_ids(r, org.id) >= volunteers,
        timeout=30,
    )
    early = f"early-{uuid.uuid4().hex[:6]}"
    assert await read_as_new_group(infra.kafka_bootstrap, early, org.id, 20) == volunteers
    offsets_before = await committed_offsets(infra.kafka_bootstrap, early)
    assert any(offsets_before.values())

    platform.stop_all()
    broker.stop()
    broker.start()

    late = f"late-{uuid.uuid4().hex[:6]}"
    assert await read_as_new_group(infra.kafka_bootstrap, late, org.id, 20) == volunteers
    # A consumer group's offsets survive too: it goes on where it was.
    assert await committed_offsets(infra.kafka_bootstrap, early) == offsets_before


def counted(platform: Platform, org: str) -> dict[str, int]:
    with MongoClient(platform.infra.mongo_uri) as client:
        rows = client[f"{platform.database}_counter"][COUNTERS].find({"org_id": org})
        return {row["volunteer_id"]: row.get("applied", 0) for row in rows}


async def test_a_broker_killed_while_events_are_produced_loses_none_and_applies_none_twice(
    durable: tuple[Infrastructure, DurableBroker], platform: Platform
) -> None:
    infra, broker = durable
    policy = platform.start("policy")
    intake = platform.start("intake", env=UNLIMITED)
    # A consumer with a non-idempotent effect ($inc per application): a duplicate shows.
    counter = platform.start("counter", module="tests.support.counter_service")
    org = Organisation(infra, intake, policy)
    assert org.register().status_code == 201
    assert org.define_role("coach", ROLE).status_code in (200, 201)
    first = org.apply("coach")
    eventually(lambda: counted(platform, org.id).get(first) == 1, timeout=60)
    # The consumer stops, so that what the relay publishes now waits on the broker: only
    # the broker's own storage keeps it through the kill (the outbox has let go of it).
    counter.child.stop()

    accepted: list[str] = [first]
    stop = threading.Event()

    def apply_until_stopped() -> None:
        body = {"role_id": "coach", "name": "Anna de Vries", "email": "anna@example.org"}
        with httpx.Client(base_url=intake.url, timeout=10) as http:
            while not stop.is_set():
                answer = http.post(f"/v1/orgs/{org.id}/applications", json=body)
                # intake needs only its database: it accepts while the broker is down.
                assert answer.status_code == 202, answer.text
                accepted.append(answer.json()["volunteer_id"])
                time.sleep(0.05)

    applicant = threading.Thread(target=apply_until_stopped)
    applicant.start()
    try:
        eventually(lambda: len(accepted) >= 15, timeout=30)
        broker.kill_broker()
        time.sleep(2)
        broker.restart_broker()
        eventually(lambda: len(accepted) >= 45, timeout=60)
    finally:
        stop.set()
        applicant.join(30)
    assert len(accepted) == len(set(accepted)) >= 45
    platform.start("counter", module="tests.support.counter_service")

    def all_counted() -> dict[str, int] | None:
        now = counted(platform, org.id)
        return now if set(now) >= set(accepted) else None

    final = eventually(all_counted, timeout=120, interval=1)
    twice = {v: n for v, n in final.items() if n != 1}
    assert not twice, f"applied more than once: {twice}"
    assert set(final) == set(accepted)


def test_the_data_is_on_disk(durable: tuple[Infrastructure, DurableBroker]) -> None:
    """What the broker keeps is in the object store's directory, not in its memory."""
    infra, _ = durable
    objects: Path = infra.data_dir / "objects"
    assert sum(f.stat().st_size for f in objects.rglob("*") if f.is_file()) > 0
