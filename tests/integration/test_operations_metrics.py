"""The metrics the dashboard and the alert rules read (deploy/grafana/, deploy/prometheus/):
a running service counts dead letters by consumer and topic, reports its consumer group's
lag per partition, and the age of its outbox."""

from __future__ import annotations

import time
import uuid

from prometheus_client import CollectorRegistry
from prometheus_client.parser import text_string_to_metric_families

from shared.messaging.metrics import MessagingMetrics
from tests.support.kafka import produce
from tests.support.platform import Platform, eventually


def samples(text: str, name: str) -> list[tuple[dict[str, str], float]]:
    return [
        (sample.labels, sample.value)
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == name
    ]


async def test_a_dead_letter_is_counted_and_the_group_lag_is_reported(platform: Platform) -> None:
    policy = platform.start("policy", env={"SAFEHANDS_CONSUMER_LAG_SAMPLE_SECONDS": "0.3"})
    org = f"org-{uuid.uuid4().hex[:6]}"
    headers = [
        ("ce_id", str(uuid.uuid4()).encode()),
        ("ce_type", b"nl.safehands.volunteer.applied.v1"),
        ("ce_source", b"/test"),
        ("ce_specversion", b"1.0"),
        ("ce_time", b"2026-01-01T00:00:00Z"),
        ("ce_tenantid", org.encode()),
    ]
    await produce(
        platform.infra.kafka_bootstrap, "safehands.volunteer", b"not json", org.encode(), headers
    )
    with policy.client() as http:

        def dead_letters() -> float:
            text = http.get("/metrics").text
            return sum(
                value
                for labels, value in samples(text, "safehands_dead_letters_total")
                if labels == {"consumer": "policy", "topic": "safehands.volunteer"}
            )

        assert eventually(dead_letters, timeout=30) == 1.0
        group = f"{platform.name}-policy"

        def lag_of_the_group() -> list[tuple[dict[str, str], float]]:
            text = http.get("/metrics").text
            return [s for s in samples(text, "safehands_consumer_lag") if s[0]["group"] == group]

        lags = eventually(lag_of_the_group, timeout=30)
        topics = {labels["topic"] for labels, _ in lags}
        assert "safehands.volunteer" in topics
        # Everything consumed and committed, the dead letter included.
        eventually(lambda: all(value == 0 for _, value in lag_of_the_group()), timeout=30)
        text = http.get("/metrics").text
    assert samples(text, "safehands_outbox_oldest_age_seconds") == [({}, 0.0)]


def test_the_outbox_age_grows_while_its_oldest_row_waits() -> None:
    registry = CollectorRegistry()
    metrics = MessagingMetrics(registry)
    metrics.outbox_oldest(time.time() - 90)
    age = registry.get_sample_value("safehands_outbox_oldest_age_seconds")
    assert age is not None and 90 <= age < 95
    metrics.outbox_oldest(None)
    assert registry.get_sample_value("safehands_outbox_oldest_age_seconds") == 0.0


def test_a_partition_that_moved_to_another_instance_is_no_longer_reported() -> None:
    registry = CollectorRegistry()
    metrics = MessagingMetrics(registry)
    metrics.consumer_lag("g", {("t", 0): 5, ("t", 1): 2})
    metrics.consumer_lag("g", {("t", 1): 3})
    value = registry.get_sample_value
    assert value("safehands_consumer_lag", {"group": "g", "topic": "t", "partition": "0"}) is None
    assert value("safehands_consumer_lag", {"group": "g", "topic": "t", "partition": "1"}) == 3
