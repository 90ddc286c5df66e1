"""No consumer fetches an idle partition more often than once a pause; a fetch that brought
records, or that the broker held that long, is followed at once
(shared/messaging/paced_fetch.py; issue 27: an idle platform that rests)."""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Iterator
from typing import Any

import pytest
from aiokafka.consumer.fetcher import Fetcher

from shared.messaging import paced_fetch

PAUSE_MS = 200


class FakeFetch:
    """aiokafka's own fetch: True when it added records, after the broker's wait."""

    def __init__(self, added: bool, held: float) -> None:
        self.added = added
        self.held = held

    async def __call__(self, _fetcher: Any, *_args: Any) -> bool:
        await asyncio.sleep(self.held)
        return self.added


@pytest.fixture(autouse=True)
def paced() -> Iterator[None]:
    before = paced_fetch.empty_fetch_pause()
    paced_fetch.pace_empty_fetches(PAUSE_MS)
    yield
    paced_fetch.pace_empty_fetches(int(before * 1000))


def fetcher() -> Any:
    fake = Fetcher.__new__(Fetcher)
    fake._wait_consume_future = asyncio.get_running_loop().create_future()
    return fake


async def timed(
    fake: Any, monkeypatch: pytest.MonkeyPatch, added: bool, held: float = 0.001
) -> tuple[bool, float]:
    monkeypatch.setattr(paced_fetch, "_fetch", FakeFetch(added, held))
    started = time.monotonic()
    result = await Fetcher._proc_fetch_request(fake, None, 0, None)
    return result, time.monotonic() - started


def test_aiokafkas_fetch_is_the_one_wrapped() -> None:
    assert Fetcher._proc_fetch_request is paced_fetch._paced
    original = paced_fetch._fetch
    assert inspect.iscoroutinefunction(original)
    assert list(inspect.signature(original).parameters) == [
        "self",
        "assignment",
        "node_id",
        "request",
    ]


async def test_an_empty_fetch_that_asked_the_broker_not_to_wait_pauses(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    added, took = await timed(fetcher(), monkeypatch, added=False)
    assert added is False
    assert took >= PAUSE_MS / 1000 * 0.9


async def test_a_fetch_that_brought_records_is_followed_at_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    added, took = await timed(fetcher(), monkeypatch, added=True)
    assert added is True
    assert took < PAUSE_MS / 1000 / 2


async def test_a_fetch_the_broker_held_is_paced_only_for_the_rest_of_the_pause(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, took = await timed(fetcher(), monkeypatch, added=False, held=PAUSE_MS / 1000 / 2)
    assert PAUSE_MS / 1000 * 0.9 <= took < PAUSE_MS / 1000 * 1.4


async def test_a_fetch_the_broker_held_the_whole_pause_is_followed_at_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Kafka's long poll (500 ms in compose and Kubernetes) is left as it is."""
    held = PAUSE_MS / 1000 * 1.5
    _, took = await timed(fetcher(), monkeypatch, added=False, held=held)
    assert took < held + PAUSE_MS / 1000 / 2


async def test_the_pause_ends_when_the_consumer_takes_what_was_fetched(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake = fetcher()
    asyncio.get_running_loop().call_later(0.02, fake._wait_consume_future.set_result, None)
    _, took = await timed(fake, monkeypatch, added=False)
    assert took < PAUSE_MS / 1000 / 2


async def test_a_fetch_being_cancelled_does_not_pause(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = fetcher()

    async def cancelled_on_the_wire(_fetcher: Any, *_args: Any) -> bool:
        task = asyncio.current_task()
        assert task is not None
        task.cancel()
        try:
            await asyncio.sleep(1)
        except asyncio.CancelledError:
            return False  # as aiokafka's fetch does when closed or unassigned
        raise AssertionError("not cancelled")

    monkeypatch.setattr(paced_fetch, "_fetch", cancelled_on_the_wire)
    started = time.monotonic()
    assert await Fetcher._proc_fetch_request(fake, None, 0, None) is False
    assert time.monotonic() - started < PAUSE_MS / 1000 / 2


async def test_no_pause_set_means_none(monkeypatch: pytest.MonkeyPatch) -> None:
    paced_fetch.pace_empty_fetches(0)
    _, took = await timed(fetcher(), monkeypatch, added=False)
    assert took < PAUSE_MS / 1000 / 2
