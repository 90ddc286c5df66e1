"""Reading a dead-letter topic and re-injecting its records, for `safehands dlq`.

Replays are recorded on `<topic>.dlq.replayed` (key: the dead letter's `partition:offset`),
so that a record is not replayed twice by accident; `--again` overrides that on purpose.
A replay goes only to the consumer that failed on the record: it is re-injected with its
original headers and `x-replay-for: <the consumer in x-dlq-consumer>`, and the topic's other
consumers skip it. (A retry topic per consumer would do the same with a topic and a
subscription more per consumer; a header needs neither, and the record keeps its place in
its own topic.) A replay that dies between re-injecting and recording is harmless: the
record carries its original `ce_id`, and the consumer skips what it has already processed
(inbox).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from shared.messaging import dead_letters
from shared.messaging.topics import DLQ_SUFFIX, dead_letter_topic, ensure_topics

REPLAYED_SUFFIX = ".replayed"


@dataclass(frozen=True)
class DeadLetter:
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: list[tuple[str, bytes]]
    replayed: bool = False

    @property
    def position(self) -> str:
        return f"{self.partition}:{self.offset}"

    def header(self, name: str) -> str:
        for header, value in self.headers:
            if header == name:
                return value.decode("utf-8", "replace")
        return ""

    @property
    def event_id(self) -> str:
        return self.header("ce_id")

    @property
    def consumer(self) -> str:
        """The consumer that failed on the record ("" for a dead letter that does not say)."""
        return self.header(dead_letters.CONSUMER)

    def original_headers(self) -> list[tuple[str, bytes]]:
        return [
            (name, value)
            for name, value in self.headers
            if name not in dead_letters.NOT_ORIGINAL_HEADERS
        ]

    def replay_headers(self) -> list[tuple[str, bytes]]:
        """The original headers, addressed to the consumer that failed on the record."""
        addressed = [(dead_letters.REPLAY_FOR, self.consumer.encode())] if self.consumer else []
        return [*self.original_headers(), *addressed]

    def matches(self, selector: str) -> bool:
        """`selector` is the record's event id (ce_id) or its position `partition:offset`."""
        return selector in (self.event_id, self.position)


def origin_topic(topic: str) -> str:
    """Accept `safehands.volunteer` as well as `safehands.volunteer.dlq`."""
    return topic.removesuffix(DLQ_SUFFIX)


def replayed_topic(topic: str) -> str:
    return dead_letter_topic(origin_topic(topic)) + REPLAYED_SUFFIX


async def read_all(
    bootstrap: str, topic: str
) -> list[tuple[int, int, bytes | None, bytes | None, list[tuple[str, bytes]]]]:
    """Every record of `topic` now, as (partition, offset, key, value, headers)."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, enable_auto_commit=False, request_timeout_ms=10_000
    )
    await consumer.start()
    try:
        await consumer._client.force_metadata_update()
        partitions = consumer.partitions_for_topic(topic)
        if not partitions:
            return []
        assigned = [TopicPartition(topic, p) for p in sorted(partitions)]
        consumer.assign(assigned)
        await consumer.seek_to_beginning(*assigned)
        ends = await consumer.end_offsets(assigned)
        remaining = {tp for tp in assigned if ends[tp] > 0}
        records = []
        while remaining:
            batch = await consumer.getmany(*remaining, timeout_ms=1000)
            for tp, found in batch.items():
                for record in found:
                    if record.offset < ends[tp]:
                        records.append(
                            (
                                record.partition,
                                record.offset,
                                record.key,
                                record.value,
                                list(record.headers),
                            )
                        )
                if await consumer.position(tp) >= ends[tp]:
                    remaining.discard(tp)
        return sorted(records, key=lambda record: (record[0], record[1]))
    finally:
        await consumer.stop()


async def dead_letters_of(bootstrap: str, topic: str) -> list[DeadLetter]:
    replayed = {
        key.decode() for _, _, key, _, _ in await read_all(bootstrap, replayed_topic(topic)) if key
    }
    return [
        DeadLetter(partition, offset, key, value, headers, f"{partition}:{offset}" in replayed)
        for partition, offset, key, value, headers in await read_all(
            bootstrap, dead_letter_topic(origin_topic(topic))
        )
    ]


async def replay(bootstrap: str, topic: str, letters: list[DeadLetter]) -> None:
    """Re-inject each record to its origin topic as it was, addressed to the consumer that
    failed on it, then record the replay."""
    await ensure_topics(bootstrap, [replayed_topic(topic)], partitions=1)
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        for letter in letters:
            await producer.send_and_wait(
                letter.header(dead_letters.ORIGIN_TOPIC) or origin_topic(topic),
                letter.value,
                key=letter.key,
                headers=letter.replay_headers(),
            )
            await producer.send_and_wait(
                replayed_topic(topic),
                json.dumps(
                    {"event_id": letter.event_id, "replayed_at": datetime.now(UTC).isoformat()}
                ).encode(),
                key=letter.position.encode(),
            )
    finally:
        await producer.stop()
