"""The dead-letter topic `<topic>.dlq`: a poison record, its reason and its origin.

A dead letter names the consumer that failed on it (`x-dlq-consumer`). `safehands dlq
replay` writes it back to its topic addressed to that consumer (`x-replay-for`), and every
other consumer of the topic skips it (`EventConsumer`): they had handled it already, and
after their inbox expired (30 days) they would apply it a second time.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Protocol

from aiokafka import ConsumerRecord
from faststream.kafka import KafkaBroker

from shared.logs import get_logger
from shared.messaging.metrics import MessagingMetrics
from shared.messaging.topics import dead_letter_topic

log = get_logger(__name__)

REASON = "x-dlq-reason"
CONSUMER = "x-dlq-consumer"
ORIGIN_TOPIC = "x-dlq-origin-topic"
ORIGIN_PARTITION = "x-dlq-origin-partition"
ORIGIN_OFFSET = "x-dlq-origin-offset"
FAILED_AT = "x-dlq-failed-at"
DLQ_HEADERS = (REASON, CONSUMER, ORIGIN_TOPIC, ORIGIN_PARTITION, ORIGIN_OFFSET, FAILED_AT)
# On a replayed record: the one consumer (by name) that is to process it.
REPLAY_FOR = "x-replay-for"
# Not part of the record as it was first published: a dead letter does not keep them.
NOT_ORIGINAL_HEADERS = frozenset({*DLQ_HEADERS, REPLAY_FOR})
MAX_REASON_LENGTH = 500


class DeadLetterSink(Protocol):
    async def send(
        self, record: ConsumerRecord[bytes, bytes], reason: str, consumer: str
    ) -> None: ...


class DeadLetterPublisher:
    def __init__(self, broker: KafkaBroker, metrics: MessagingMetrics | None = None) -> None:
        self._broker = broker
        self._metrics = metrics or MessagingMetrics()

    async def send(self, record: ConsumerRecord[bytes, bytes], reason: str, consumer: str) -> None:
        # Original headers are kept so a replay re-injects the record exactly as it was.
        headers = {
            name: value.decode("utf-8", "replace")
            for name, value in record.headers
            if name not in NOT_ORIGINAL_HEADERS
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
        self._metrics.dead_letters.labels(consumer, record.topic).inc()
        log.warning(
            "record dead-lettered",
            reason=reason[:MAX_REASON_LENGTH],
            origin_topic=record.topic,
            origin_partition=record.partition,
            origin_offset=record.offset,
        )


def replay_addressee(headers: Sequence[tuple[str, bytes]]) -> str | None:
    """The consumer a replayed record is addressed to; None for an ordinary record."""
    for name, value in headers:
        if name == REPLAY_FOR:
            return value.decode("utf-8", "replace")
    return None
