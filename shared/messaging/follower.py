"""An in-memory copy of a projection, kept current by following its events in every instance.

A service's event handlers run in one instance per consumer group: each event reaches one of
its instances, which applies it to the projection in the database. A request that reads that
projection on every call pays a round trip for it. A `Follower` lets every instance keep its
own copy instead, so a request reads memory:

1. at start-up it records the end offset of every partition of the topics (`recorded`);
2. it waits until the service's consumer group has committed at least those offsets, so the
   database projection holds every event before them (the group commits after applying);
3. it loads the copy from the database projection (`load`);
4. it follows the topics from `recorded` with a consumer of its own, outside any consumer
   group (all partitions assigned, nothing committed), and applies each event to the copy
   (`apply`). Events after `recorded` may already be in what it loaded; `apply` must be
   idempotent, and since a partition keeps one key's events in order, replaying them in
   order ends in the same state;
5. it is `ready` once it has reached the partitions' ends as they were after the load, so a
   replayed event never shows an older state to a request.

Not the change streams of MongoDB: the embedded database (SecantusDB) has none, and the
events are the projection's source anyway. A record that cannot be decoded, or of a type
the copy does not follow, is skipped: the consumer group dead-letters it, the copy has
nothing to learn from it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from shared.cancellation import raise_if_cancelled
from shared.events import Event, EventRegistry
from shared.events.cloudevents import MalformedEvent, decode
from shared.logs import get_logger
from shared.messaging.offset_gaps import OffsetGaps, fetch_contiguous
from shared.messaging.topics import KafkaLogin

log = get_logger(__name__)

# How long a quiet follower waits on one fetch before it asks again (aiokafka answers as
# soon as records arrive, so this costs no latency; see shared/messaging/broker.py).
WAIT_MS = 1000
# How often it looks whether the consumer group has caught up, at start-up.
GROUP_POLL_SECONDS = 0.2
# How long it waits before starting over after following failed.
RETRY_SECONDS = 1.0


class Follower:
    """A BackgroundTask (shared/runtime/background.py) that keeps one copy current."""

    def __init__(
        self,
        name: str,
        *,
        bootstrap_servers: str,
        login: KafkaLogin | None,
        group_id: str,
        events: Sequence[type[Event]],
        registry: EventRegistry,
        load: Callable[[], Awaitable[None]],
        apply: Callable[[Event], None],
        on_ready: Callable[[bool], None] | None = None,
        fetch_max_wait_ms: int = 50,
    ) -> None:
        self.name = name
        self._bootstrap = bootstrap_servers
        self._login = login.aiokafka() if login else {}
        self._group_id = group_id
        self._types = {event.type_name for event in events}
        self.topics = sorted({event.topic() for event in events})
        self._registry = registry
        self._load = load
        self._apply = apply
        self._on_ready = on_ready
        self._fetch_max_wait_ms = fetch_max_wait_ms
        self._consumer: AIOKafkaConsumer | None = None
        # Set once the copy has caught up (step 5); the service's /readyz waits for it.
        self.ready = False
        self.applied = 0

    async def run(self) -> None:
        """Follow until cancelled. Should following fail (the broker away longer than the
        client rides out), the copy counts as not ready — requests read the database, the
        instance says so at /readyz — and it starts over: recorded offsets, load, follow."""
        while True:
            raise_if_cancelled()  # a cancellation a client lost (shared/cancellation.py)
            try:
                await self._follow()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                self._set_ready(False)
                log.warning(
                    "copy stopped following; starting over",
                    copy=self.name,
                    error=type(exc).__name__,
                    retry_in_seconds=RETRY_SECONDS,
                )
                await self.close()
                await asyncio.sleep(RETRY_SECONDS)

    def _set_ready(self, ready: bool) -> None:
        self.ready = ready
        if self._on_ready is not None:
            self._on_ready(ready)

    async def _follow(self) -> None:
        consumer = AIOKafkaConsumer(
            bootstrap_servers=self._bootstrap,
            group_id=None,
            enable_auto_commit=False,
            fetch_max_wait_ms=self._fetch_max_wait_ms,
            **self._login,
        )
        self._consumer = consumer
        await consumer.start()
        partitions = await self._partitions(consumer)
        recorded = await consumer.end_offsets(partitions)
        await self._wait_for_group(consumer, recorded)
        await self._load()
        consumer.assign(partitions)
        for partition, offset in recorded.items():
            consumer.seek(partition, offset)
        caught_up_at = await consumer.end_offsets(partitions)
        log.info("copy loaded; following its events", copy=self.name)
        gaps = OffsetGaps()
        while True:
            for record in await fetch_contiguous(
                consumer, gaps, timeout_ms=WAIT_MS, max_records=None
            ):
                self._apply_record(record)
            if not self.ready and await self._reached(consumer, caught_up_at):
                self._set_ready(True)
                log.info("copy caught up", copy=self.name)

    async def _partitions(self, consumer: AIOKafkaConsumer) -> list[TopicPartition]:
        # The runtime created the topics before starting background tasks; the metadata may
        # still be on its way.
        while True:
            await consumer.topics()
            found = [
                TopicPartition(topic, number)
                for topic in self.topics
                for number in sorted(consumer.partitions_for_topic(topic) or ())
            ]
            if {partition.topic for partition in found} == set(self.topics):
                return found
            await asyncio.sleep(GROUP_POLL_SECONDS)

    async def _wait_for_group(
        self, consumer: AIOKafkaConsumer, recorded: dict[TopicPartition, int]
    ) -> None:
        """Until the consumer group's committed offsets reach `recorded`: then the database
        projection holds every event before them. A partition the group never committed
        counts from its first retained offset (nothing before it exists any more)."""
        starts = await consumer.beginning_offsets(list(recorded))
        admin = AIOKafkaAdminClient(bootstrap_servers=self._bootstrap, **self._login)
        await admin.start()
        try:
            while True:
                committed = await admin.list_consumer_group_offsets(
                    self._group_id, partitions=list(recorded)
                )
                behind = [
                    partition
                    for partition, end in recorded.items()
                    if _offset(committed.get(partition), starts[partition]) < end
                ]
                if not behind:
                    return
                await asyncio.sleep(GROUP_POLL_SECONDS)
        finally:
            await admin.close()

    async def _reached(self, consumer: AIOKafkaConsumer, ends: dict[TopicPartition, int]) -> bool:
        for partition, end in ends.items():
            if await consumer.position(partition) < end:
                return False
        return True

    def _apply_record(self, record: Any) -> None:
        headers = dict(record.headers)
        kind = headers.get("ce_type", b"").decode("utf-8", "replace")
        if kind not in self._types:
            return
        try:
            received = decode(record.headers, record.value, self._registry)
        except MalformedEvent as exc:
            # The consumer group dead-letters it; its reason names no content.
            log.warning("copy skips a malformed event", copy=self.name, reason=str(exc))
            return
        self._apply(received.event)
        self.applied += 1

    async def close(self) -> None:
        consumer, self._consumer = self._consumer, None
        if consumer is not None:
            with contextlib.suppress(Exception):
                await consumer.stop()


def _offset(committed: Any, start: int) -> int:
    """A committed offset from the admin client's answer (-1 or None: never committed)."""
    offset = getattr(committed, "offset", None)
    return start if offset is None or offset < 0 else int(offset)
