"""The messaging side of a service's Prometheus metrics, which the dashboard and the alert
rules read (deploy/grafana/, deploy/prometheus/alerts.yml): records dead-lettered, the age
of the oldest outbox row not yet published, and each consumer group's lag."""

from __future__ import annotations

import time
from collections.abc import Mapping

from prometheus_client import CollectorRegistry, Counter, Gauge

# The `consumer` label of a record the outbox relay set aside (the broker refused it).
RELAY = "outbox-relay"


class MessagingMetrics:
    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        registry = registry if registry is not None else CollectorRegistry()
        self.dead_letters = Counter(
            "safehands_dead_letters_total",
            "Records dead-lettered (to <topic>.dlq), by the consumer that gave up on them "
            "(outbox-relay: the broker refused to take it) and the record's topic.",
            ["consumer", "topic"],
            registry=registry,
        )
        self._published = Counter(
            "safehands_outbox_published_total",
            "Records the outbox relay published (the broker took them), by topic.",
            ["topic"],
            registry=registry,
        )
        # When the oldest unpublished outbox row was written, as the relay saw it last; None
        # when the outbox was empty (or another instance relays).
        self._oldest: float | None = None
        outbox_age = Gauge(
            "safehands_outbox_oldest_age_seconds",
            "Age of the oldest outbox row not yet published (0: the outbox is empty, or "
            "another instance of the service relays).",
            registry=registry,
        )
        # Computed when scraped: a relay stuck on a broker that does not answer shows a
        # growing age, not the one it saw before it got stuck.
        outbox_age.set_function(self._outbox_age)
        self._lag = Gauge(
            "safehands_consumer_lag",
            "Records on a partition that the consumer group has not committed yet, for the "
            "partitions assigned to this instance.",
            ["group", "topic", "partition"],
            registry=registry,
        )
        self._reported: dict[str, set[tuple[str, int]]] = {}

    def published_from_outbox(self, by_topic: Mapping[str, int]) -> None:
        """Counted once per topic and round, not per record (a backlog's round is 500)."""
        for topic, count in by_topic.items():
            self._published.labels(topic).inc(count)

    def outbox_oldest(self, created_at: float | None) -> None:
        self._oldest = created_at

    def _outbox_age(self) -> float:
        return 0.0 if self._oldest is None else max(0.0, time.time() - self._oldest)

    def consumer_lag(self, group: str, lags: Mapping[tuple[str, int], int]) -> None:
        """This instance's partitions of `group` and their lag, replacing what it said before
        (partitions move between instances as the group rebalances)."""
        for topic, partition in self._reported.get(group, set()) - set(lags):
            self._lag.remove(group, topic, str(partition))
        for (topic, partition), lag in lags.items():
            self._lag.labels(group, topic, str(partition)).set(lag)
        self._reported[group] = set(lags)
