"""A group's lag is its partitions' ends minus what it committed; where a partition starts
is asked only where the group never committed (issue 27: on Tansu each such offset lookup
lists every record batch of the partition in the object store)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from aiokafka import TopicPartition
from prometheus_client import CollectorRegistry

from shared.messaging.lag import sample_once
from shared.messaging.metrics import MessagingMetrics

COMMITTED, NEVER = TopicPartition("safehands.volunteer", 0), TopicPartition("safehands.role", 0)


class Consumer:
    _group_id = "safehands-policy"

    def __init__(self) -> None:
        self.asked_for_starts: list[list[TopicPartition]] = []

    def assignment(self) -> set[TopicPartition]:
        return {COMMITTED, NEVER}

    async def end_offsets(self, partitions: list[TopicPartition]) -> dict[TopicPartition, int]:
        return {COMMITTED: 40, NEVER: 9}

    async def committed(self, partition: TopicPartition) -> int | None:
        return 35 if partition == COMMITTED else None

    async def beginning_offsets(
        self, partitions: list[TopicPartition]
    ) -> dict[TopicPartition, int]:
        self.asked_for_starts.append(list(partitions))
        return {partition: 4 for partition in partitions}


async def test_the_start_is_asked_only_where_nothing_was_committed() -> None:
    registry = CollectorRegistry()
    consumer = Consumer()
    broker: Any = SimpleNamespace(subscribers=[SimpleNamespace(consumer=consumer)])
    await sample_once(broker, MessagingMetrics(registry))
    assert consumer.asked_for_starts == [[NEVER]]

    def lag(partition: TopicPartition) -> float | None:
        return registry.get_sample_value(
            "safehands_consumer_lag",
            {"group": "safehands-policy", "topic": partition.topic, "partition": "0"},
        )

    assert lag(COMMITTED) == 5
    assert lag(NEVER) == 5


async def test_a_group_that_committed_everywhere_never_asks_for_the_start() -> None:
    consumer = Consumer()

    async def always(partition: TopicPartition) -> int:
        return 9

    consumer.committed = always  # type: ignore[method-assign]
    broker: Any = SimpleNamespace(subscribers=[SimpleNamespace(consumer=consumer)])
    await sample_once(broker, MessagingMetrics(CollectorRegistry()))
    assert consumer.asked_for_starts == []
