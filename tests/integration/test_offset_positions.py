"""The skipped-offset check reads each partition's position where aiokafka keeps it, without
waiting for one still being looked up (shared/messaging/offset_gaps.py): against the real
broker, so that an aiokafka upgrade that moves that state fails here, not in production."""

from __future__ import annotations

import uuid

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from shared.messaging.offset_gaps import OffsetGaps, fetch_contiguous, known_positions
from tests.support.platform import Infrastructure


async def test_positions_are_read_where_aiokafka_keeps_them(infra: Infrastructure) -> None:
    topic = f"offsets-{uuid.uuid4().hex[:8]}"
    producer = AIOKafkaProducer(bootstrap_servers=infra.kafka_bootstrap)
    await producer.start()
    try:
        for n in range(3):
            await producer.send_and_wait(topic, f"{n}".encode(), partition=0)
    finally:
        await producer.stop()
    consumer = AIOKafkaConsumer(bootstrap_servers=infra.kafka_bootstrap, enable_auto_commit=False)
    await consumer.start()
    partition = TopicPartition(topic, 0)
    try:
        consumer.assign([partition])
        consumer.seek(partition, 1)
        assert known_positions(consumer) == {partition: 1}
        offsets: list[int] = []
        gaps = OffsetGaps()
        for _ in range(20):
            fetched = await fetch_contiguous(consumer, gaps, timeout_ms=500, max_records=None)
            offsets += [record.offset for record in fetched]
            if len(offsets) >= 2:
                break
        assert offsets == [1, 2]
        assert known_positions(consumer) == {partition: 3}
    finally:
        await consumer.stop()
