"""The outbox relay sends untraced records straight to aiokafka's producer, past FastStream's
per-record publish (shared/messaging/outbox_relay.py): the record on the topic is the one
FastStream's publish makes of the same row (key, value, timestamp, headers and their order;
only the random correlation id differs), and the relay counts what it published."""

from __future__ import annotations

import uuid
from typing import Any

from prometheus_client import CollectorRegistry

from shared import trace_context
from shared.messaging.broker import create_broker
from shared.messaging.metrics import MessagingMetrics
from shared.messaging.outbox_relay import OutboxRelay, _headers, record_timestamp_ms
from shared.storage.outbox_bundles import records_in
from tests.integration.test_outbox_bundles import TOPIC, announce, outbox
from tests.support.kafka import read_topic
from tests.support.platform import Infrastructure


def described(record: Any) -> dict[str, Any]:
    headers = [(name, value.decode()) for name, value in record.headers]
    return {
        "key": record.key,
        "value": record.value,
        "timestamp": record.timestamp,
        "header names": [name for name, _ in headers],
        "headers": {name: value for name, value in headers if name != "correlation_id"},
        "correlation id": uuid.UUID(dict(headers)["correlation_id"]).version,
    }


async def test_the_relays_record_is_the_one_faststreams_publish_makes(
    infra: Infrastructure,
) -> None:
    assert not trace_context.tracing()  # the path under test: tests do not trace
    registry = CollectorRegistry()
    async with infra.scratch_database("relay-sends") as database:
        broker = create_broker(infra.kafka_bootstrap, "tests", CollectorRegistry())
        await broker.start()
        try:
            org, [event_id] = await announce(database, 1)
            [row] = [
                record for document in await outbox(database) for record in records_in(document)
            ]
            relay = OutboxRelay(database, broker, "tests", metrics=MessagingMetrics(registry))
            assert await relay.publish_pending() == 1
            # The same row through FastStream's publish, as the traced path sends it.
            headers = _headers(row)
            await broker.publish(
                row["value"],
                topic=row["topic"],
                key=row["key"],
                headers=headers,
                timestamp_ms=record_timestamp_ms(headers),
            )
        finally:
            await broker.stop()

    def ours(records: list[Any]) -> list[Any]:
        return [r for r in records if r.key is not None and r.key.startswith(f"{org}:".encode())]

    records = ours(
        await read_topic(
            infra.kafka_bootstrap, TOPIC, until=lambda rs: len(ours(rs)) >= 2, timeout=20
        )
    )
    relayed, published = (described(record) for record in records)
    assert relayed["headers"]["ce_id"] == event_id
    assert relayed == published
    counted = registry.get_sample_value("safehands_outbox_published_total", {"topic": TOPIC})
    assert counted == 1
