"""A service's FastStream Kafka broker: offsets committed after processing, metrics on."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord
from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage
from faststream.kafka.prometheus import KafkaPrometheusMiddleware
from faststream.kafka.subscriber.usecase import BatchSubscriber
from faststream.message import StreamMessage
from opentelemetry.trace import TracerProvider
from prometheus_client import CollectorRegistry

from shared.messaging.consumer import EventConsumer
from shared.messaging.offset_gaps import OffsetGaps, fetch_contiguous
from shared.messaging.topics import KafkaLogin

# The producer's limit on one record (aiokafka's max_request_size), which is also what a
# default Kafka broker takes (message.max.bytes). Every event must fit: the largest one, a
# report or message at the envelope's MAX_PADDED_LEN, takes about three quarters of it
# (tests/unit/shared/test_record_limits.py). A record that does not fit is set aside by the
# outbox relay, never retried forever.
MAX_RECORD_BYTES = 1 << 20


def create_broker(
    bootstrap_servers: str,
    service: str,
    metrics: CollectorRegistry,
    login: KafkaLogin | None = None,
    tracer_provider: TracerProvider | None = None,
) -> KafkaBroker:
    middlewares: list[Any] = [
        KafkaPrometheusMiddleware(registry=metrics, app_name=f"safehands-{service}")
    ]
    if tracer_provider is not None:
        # Spans for publishing and consuming, and the W3C `traceparent` header on each record
        # (shared/trace_context.py): only when tracing is on (and only then imported), so it
        # costs nothing otherwise.
        from faststream.kafka.opentelemetry import KafkaTelemetryMiddleware

        middlewares.append(KafkaTelemetryMiddleware(tracer_provider=tracer_provider))
    return KafkaBroker(
        bootstrap_servers,
        security=login.faststream() if login else None,
        client_id=f"safehands-{service}",
        acks="all",
        max_request_size=MAX_RECORD_BYTES,
        # Through the JSON log pipeline; per-message lines only at DEBUG.
        logger=logging.getLogger("faststream"),
        log_level=logging.DEBUG,
        middlewares=middlewares,
    )


def producer_of(broker: KafkaBroker) -> AIOKafkaProducer:
    """The aiokafka producer under the broker's publishing, for the outbox relay's untraced
    sends (shared/messaging/outbox_relay.py says why). FastStream 0.6 keeps it there;
    tests/integration/test_relay_sends.py fails if an upgrade moves it. Raises FastStream's
    IncorrectState before the broker is connected, as `broker.publish` does."""
    producer: AIOKafkaProducer = broker.config.producer._producer.producer  # type: ignore[attr-defined]
    return producer


def headers_as_published(headers: Mapping[str, str]) -> list[tuple[str, bytes]]:
    """A record's headers as `broker.publish` sets them on a body of bytes: an empty
    `content-type` (the event's own, among `headers`, takes its place) and a random
    `correlation_id` (in the AsyncAPI document: "ignore it"), then `headers`."""
    together = {"content-type": "", "correlation_id": str(uuid.uuid4()), **headers}
    return [(name, value.encode()) for name, value in together.items()]


async def _leave_body_raw(_message: StreamMessage[Any]) -> None:
    """The consumer decodes raw records itself: FastStream's JSON parsing would turn a
    malformed record into an error before it could be dead-lettered."""
    return None


# How long an idle consumer waits on the fetch before it looks again. FastStream's batch
# subscriber asks aiokafka for records with this timeout and, when none came, SLEEPS as long
# again before it asks anew: with its 200 ms default an event arriving in a quiet moment
# waited up to 400 ms for nothing, and with a short timeout (10 ms, until issue 27) an idle
# consumer woke a hundred times a second. `_wait_on_the_fetch` below drops the sleep:
# aiokafka's getmany returns as soon as a fetch brings records, so a long wait costs no
# latency, and an idle consumer wakes only for the broker's fetch answers and once a second.
BATCH_WAIT_MS = 1000


def _wait_on_the_fetch() -> None:
    """Patch FastStream's BatchSubscriber (0.6) to wait on the fetch without sleeping after an
    empty one; tests/unit/shared/test_consumer_wait.py fails if an upgrade changes that."""

    async def get_msg(
        self: BatchSubscriber, consumer: AIOKafkaConsumer
    ) -> tuple[ConsumerRecord[Any, Any], ...]:
        return await fetch_contiguous(
            consumer, _gaps_of(self), timeout_ms=self.batch_timeout_ms, max_records=self.max_records
        )

    BatchSubscriber.get_msg = get_msg  # type: ignore[method-assign]


def _gaps_of(subscriber: BatchSubscriber) -> OffsetGaps:
    gaps: OffsetGaps | None = getattr(subscriber, "_safehands_offset_gaps", None)
    if gaps is None:
        gaps = OffsetGaps()
        subscriber._safehands_offset_gaps = gaps  # type: ignore[attr-defined]
    return gaps


_wait_on_the_fetch()


def consumer_group(group_prefix: str, name: str) -> str:
    """The consumer group of a service's instances (shared/messaging/follower.py waits on it)."""
    return f"{group_prefix}-{name}"


def subscribe(
    broker: KafkaBroker,
    consumer: EventConsumer,
    group_prefix: str,
    max_records: int,
    fetch_max_wait_ms: int,
    session_timeout_ms: int,
) -> None:
    """Feed fetched batches to the consumer.

    NACK_ON_ERROR: success commits the offsets (after processing, never before); an
    exception (only an outage reaches here) seeks back so the batch is fetched again.
    """

    @broker.subscriber(
        *consumer.topics,
        group_id=consumer_group(group_prefix, consumer.name),
        batch=True,
        max_records=max_records,
        batch_timeout_ms=BATCH_WAIT_MS,
        fetch_max_wait_ms=fetch_max_wait_ms,
        session_timeout_ms=session_timeout_ms,
        # Three heartbeats to a session, as Kafka's defaults have it.
        heartbeat_interval_ms=session_timeout_ms // 3,
        auto_offset_reset="earliest",
        ack_policy=AckPolicy.NACK_ON_ERROR,
        title=f"{consumer.name}-events",
        decoder=_leave_body_raw,
    )
    async def on_batch(message: KafkaMessage) -> None:
        raw = message.raw_message
        await consumer.process(raw if isinstance(raw, tuple) else (raw,))
