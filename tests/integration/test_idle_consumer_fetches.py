"""On the embedded broker a consumer that has been quiet fetches a few times a second, not
twenty, and a record still reaches it; once records flow its wait is short again (issue
27: an idle platform that rests). Measured against the real broker: how many fetches an
idle consumer sends, and the wait it asks for (shared/messaging/fetch_wait.py)."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from shared.messaging import fetch_wait
from shared.messaging.topics import ensure_topics
from tests.support.platform import Infrastructure

SHORT_MS, LONG_MS = 50, 500
QUIET_SECONDS = 1.0
WINDOW_SECONDS = 2.0


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[float]]:
    """The moments aiokafka's own fetch was sent."""
    sent: list[float] = []
    fetch = fetch_wait._fetch

    async def counting(*args: Any) -> bool:
        sent.append(time.monotonic())
        return await fetch(*args)

    monkeypatch.setattr(fetch_wait, "_fetch", counting)
    monkeypatch.setattr(fetch_wait, "QUIET_SECONDS", QUIET_SECONDS)
    before = fetch_wait.idle_fetch_wait_ms()
    fetch_wait.lengthen_fetch_wait_when_quiet(LONG_MS)
    yield sent
    fetch_wait.lengthen_fetch_wait_when_quiet(before)


async def test_a_quiet_consumer_fetches_rarely_and_a_record_makes_it_quick_again(
    infra: Infrastructure, counted: list[float]
) -> None:
    topic = f"quiet-{uuid.uuid4().hex[:8]}"
    await ensure_topics(infra.kafka_bootstrap, [topic], partitions=1)
    partition = TopicPartition(topic, 0)
    consumer = AIOKafkaConsumer(bootstrap_servers=infra.kafka_bootstrap, fetch_max_wait_ms=SHORT_MS)
    producer = AIOKafkaProducer(bootstrap_servers=infra.kafka_bootstrap)
    await consumer.start()
    await producer.start()
    try:
        consumer.assign([partition])
        await consumer.seek_to_end(partition)
        await consumer.getmany(timeout_ms=100)  # the position is known; fetching starts
        counted.clear()
        await asyncio.sleep(WINDOW_SECONDS)
        busy_fetches = len(counted)
        await asyncio.sleep(QUIET_SECONDS)
        counted.clear()
        await asyncio.sleep(WINDOW_SECONDS)
        quiet_fetches = len(counted)
        # The broker held each quiet fetch about LONG_MS: a handful, where the short wait
        # made many times more.
        assert quiet_fetches <= WINDOW_SECONDS * 1000 / LONG_MS + 2
        assert busy_fetches >= 3 * quiet_fetches

        sent_at = time.monotonic()
        await producer.send_and_wait(topic, b"news")
        arrived: dict[TopicPartition, list[Any]] = {}
        while not arrived and time.monotonic() - sent_at < 10:
            arrived = await consumer.getmany(timeout_ms=1000)
        took = time.monotonic() - sent_at
        assert [record.value for record in arrived[partition]] == [b"news"]
        assert took < LONG_MS / 1000 + 1.0  # at most the long wait, and a loaded machine's
        fetcher: Any = consumer._fetcher
        assert fetcher._fetch_max_wait_ms == SHORT_MS
    finally:
        await producer.stop()
        await consumer.stop()
