"""On the embedded broker a consumer fetches a few times a second when idle, not twenty,
and still gets a record about as soon as before (issue 27: an idle platform that rests).

Tansu holds every fetch for its `fetch_max_wait_ms` and reads the partitions only at its
start (shared/messaging/paced_fetch.py), so the platform's consumers ask it not to wait and
pause after an empty fetch instead. Measured here against the real broker: how many fetches
an idle consumer sends, and how long a record takes to reach it."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from shared.messaging import paced_fetch
from shared.messaging.topics import ensure_topics
from tests.support.platform import Infrastructure

PAUSE_MS = 200
IDLE_SECONDS = 2.0


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[float]]:
    """The moments aiokafka's own fetch was sent, under the pacing."""
    sent: list[float] = []
    fetch = paced_fetch._fetch

    async def counting(*args: Any) -> bool:
        sent.append(time.monotonic())
        return await fetch(*args)

    monkeypatch.setattr(paced_fetch, "_fetch", counting)
    before = paced_fetch.empty_fetch_pause()
    paced_fetch.pace_empty_fetches(PAUSE_MS)
    yield sent
    paced_fetch.pace_empty_fetches(int(before * 1000))


async def test_an_idle_consumer_paces_its_fetches_and_a_record_still_arrives_at_once(
    infra: Infrastructure, counted: list[float]
) -> None:
    topic = f"paced-{uuid.uuid4().hex[:8]}"
    await ensure_topics(infra.kafka_bootstrap, [topic], partitions=1)
    partition = TopicPartition(topic, 0)
    consumer = AIOKafkaConsumer(bootstrap_servers=infra.kafka_bootstrap, fetch_max_wait_ms=1)
    producer = AIOKafkaProducer(bootstrap_servers=infra.kafka_bootstrap)
    await consumer.start()
    await producer.start()
    try:
        consumer.assign([partition])
        await consumer.seek_to_end(partition)
        await consumer.getmany(timeout_ms=100)  # the position is known; fetching starts
        counted.clear()
        await asyncio.sleep(IDLE_SECONDS)
        idle_fetches = len(counted)
        # Unpaced, a fetch the broker answers at once is followed by the next at once:
        # hundreds a second. Paced, one per pause (and the wire's few milliseconds).
        assert idle_fetches >= IDLE_SECONDS / (PAUSE_MS / 1000) / 2
        assert idle_fetches <= IDLE_SECONDS / (PAUSE_MS / 1000) + 2

        sent_at = time.monotonic()
        await producer.send_and_wait(topic, b"news")
        arrived: dict[TopicPartition, list[Any]] = {}
        while not arrived and time.monotonic() - sent_at < 10:
            arrived = await consumer.getmany(timeout_ms=1000)
        took = time.monotonic() - sent_at
        assert [record.value for record in arrived[partition]] == [b"news"]
        # At most one pause and the wire; generous for a loaded test machine.
        assert took < PAUSE_MS / 1000 + 1.0
    finally:
        await producer.stop()
        await consumer.stop()
