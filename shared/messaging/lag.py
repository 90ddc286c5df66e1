"""Each consumer group's lag, sampled from the broker every few seconds: how far the
committed offsets trail the partitions' ends. A consumer that stops committing (stuck on a
handler, a database away) shows a growing lag; the alert rules watch for it."""

from __future__ import annotations

import asyncio
from typing import Any

from faststream.kafka import KafkaBroker

from shared.cancellation import raise_if_cancelled
from shared.logs import get_logger
from shared.messaging.metrics import MessagingMetrics

log = get_logger(__name__)

SAMPLE_SECONDS = 15.0


async def sample_once(broker: KafkaBroker, metrics: MessagingMetrics) -> None:
    for subscriber in broker.subscribers:
        consumer: Any = getattr(subscriber, "consumer", None)
        group = getattr(consumer, "_group_id", None)
        if consumer is None or not group:
            continue
        assigned = list(consumer.assignment())
        lags: dict[tuple[str, int], int] = {}
        if assigned:
            ends = await consumer.end_offsets(assigned)
            done = {partition: await consumer.committed(partition) for partition in assigned}
            # Where a partition starts only matters where the group never committed: on
            # Tansu every offset lookup lists every record batch of the partition in the
            # object store, a cost that grows with the topic (issue 27's idle platform).
            never = [partition for partition, offset in done.items() if offset is None]
            starts = await consumer.beginning_offsets(never) if never else {}
            for partition in assigned:
                offset = done[partition]
                start = starts[partition] if offset is None else offset
                lags[(partition.topic, partition.partition)] = max(0, ends[partition] - start)
        metrics.consumer_lag(group, lags)


async def sample_lag(
    broker: KafkaBroker, metrics: MessagingMetrics, every: float = SAMPLE_SECONDS
) -> None:
    """Runs until cancelled; a failed sample (a broker away) is tried again next time."""
    while True:
        raise_if_cancelled()  # a cancellation a client lost (shared/cancellation.py)
        try:
            await sample_once(broker, metrics)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.info("consumer lag not sampled", error=type(exc).__name__)
        await asyncio.sleep(every)
