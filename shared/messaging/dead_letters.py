"""The dead-letter topic `<topic>.dlq`: a poison record, its reason and its origin."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol

from aiokafka import ConsumerRecord
from faststream.kafka import KafkaBroker

from shared.logs import get_logger
from shared.messaging.topics import dead_letter_topic

log = get_logger(__name__)

REASON = "x-dlq-reason"
CONSUMER = "x-dlq-consumer"
ORIGIN_TOPIC = "x-dlq-origin-topic"
ORIGIN_PARTITION = "x-dlq-origin-partition"
ORIGIN_OFFSET = "x-dlq-origin-offset"
FAILED_AT = "x-dlq-failed-at"
DLQ_HEADERS = (REASON, CONSUMER, ORIGIN_TOPIC, ORIGIN_PARTITION, ORIGIN_OFFSET, FAILED_AT)
MAX_REASON_LENGTH = 500


class DeadLetterSink(Protocol):
    async def send(
        self, record: ConsumerRecord[bytes, bytes], reason: str, consumer: str
    ) -> None: ...


class DeadLetterPublisher:
    def __init__(self, broker: KafkaBroker) -> None:
        self._broker = broker

    async def send(self, record: ConsumerRecord[bytes, bytes], reason: str, consumer: str) -> None:
        # Original headers are kept so a replay re-injects the record exactly as it was.
        headers = {
            name: value.decode("utf-8", "replace")
            for name, value in record.headers
            if name not in DLQ_HEADERS
        }
        headers.update(
            {
                REASON: reason[:MAX_REASON_LENGTH],
                CONSUMER: consumer,
                ORIGIN_TOPIC: record.topic,
                ORIGIN_PARTITION: str(record.partition),
                ORIGIN_OFFSET: str(record.offset),
                FAILED_AT: datetime.now(UTC).isoformat(),
            }
        )
        await self._broker.publish(
            record.value or b"",
            topic=dead_letter_topic(record.topic),
            key=record.key,
            headers=headers,
        )
        log.warning(
            "record dead-lettered",
            reason=reason[:MAX_REASON_LENGTH],
            origin_topic=record.topic,
            origin_partition=record.partition,
            origin_offset=record.offset,
        )
