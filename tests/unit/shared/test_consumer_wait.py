"""An idle consumer waits on the fetch, and does not sleep after an empty one (issue 27:
an idle platform that rests). FastStream's batch subscriber slept as long as its timeout
after every empty fetch, so that either a record waited for the sleep to end or an idle
consumer woke a hundred times a second; shared/messaging/broker.py patches that away."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any

from faststream.kafka.subscriber.usecase import BatchSubscriber

from shared.messaging.broker import BATCH_WAIT_MS


@dataclass(frozen=True)
class Record:
    offset: int


class Consumer:
    """aiokafka's getmany as the subscriber sees it: empty after its wait, or records."""

    def __init__(self, answers: list[dict[Any, list[Record]]]) -> None:
        self.answers = answers
        self.timeouts: list[int] = []

    def assignment(self) -> set[Any]:
        return set()

    async def getmany(self, *, timeout_ms: int, max_records: int | None) -> dict[Any, list[Record]]:
        self.timeouts.append(timeout_ms)
        await asyncio.sleep(0)
        return self.answers.pop(0)


def subscriber() -> Any:
    fake = BatchSubscriber.__new__(BatchSubscriber)
    fake.batch_timeout_ms = BATCH_WAIT_MS
    fake.max_records = 500
    return fake


async def test_an_empty_fetch_is_answered_at_once_without_a_sleep() -> None:
    consumer = Consumer([{}, {("topic", 0): [Record(0), Record(1)]}])
    started = time.monotonic()
    assert await subscriber().get_msg(consumer) == ()
    assert await subscriber().get_msg(consumer) == (Record(0), Record(1))
    # The original slept BATCH_WAIT_MS (a second) after the empty fetch.
    assert time.monotonic() - started < BATCH_WAIT_MS / 1000 / 2
    assert consumer.timeouts == [BATCH_WAIT_MS, BATCH_WAIT_MS]


def test_an_idle_consumer_wakes_about_once_a_second() -> None:
    assert BATCH_WAIT_MS >= 1000
