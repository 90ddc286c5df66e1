"""A consumer's fetch wait is short while records flow and long once it has been quiet
(shared/messaging/fetch_wait.py; issue 27: an idle platform that rests, with the latency
of a flowing event no worse)."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any

import pytest
from aiokafka.consumer.fetcher import Fetcher

from shared.messaging import fetch_wait

SHORT, LONG = 50, 500


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    clock = Clock()
    monkeypatch.setattr(fetch_wait, "_now", clock)
    before = fetch_wait.idle_fetch_wait_ms()
    fetch_wait.lengthen_fetch_wait_when_quiet(LONG)
    yield clock
    fetch_wait.lengthen_fetch_wait_when_quiet(before)


def fetcher() -> Any:
    fake = Fetcher.__new__(Fetcher)
    fake._fetch_max_wait_ms = SHORT
    return fake


async def fetch(fake: Any, monkeypatch: pytest.MonkeyPatch, *, records: bool) -> int:
    """One fetch that brought records or not; the wait the next one asks for."""

    async def aiokafkas(_fetcher: Any, *_args: Any) -> bool:
        return records

    monkeypatch.setattr(fetch_wait, "_fetch", aiokafkas)
    assert await Fetcher._proc_fetch_request(fake, None, 0, None) is records
    return int(fake._fetch_max_wait_ms)


def test_aiokafkas_fetch_is_the_one_wrapped() -> None:
    assert Fetcher._proc_fetch_request is fetch_wait._adapting
    original = fetch_wait._fetch
    assert inspect.iscoroutinefunction(original)
    assert list(inspect.signature(original).parameters) == [
        "self",
        "assignment",
        "node_id",
        "request",
    ]
    assert "self._fetch_max_wait_ms" in inspect.getsource(Fetcher._get_actions_per_node)


async def test_the_wait_stays_short_until_the_consumer_has_been_quiet(
    clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    consumer = fetcher()
    assert await fetch(consumer, monkeypatch, records=False) == SHORT
    clock.now += fetch_wait.QUIET_SECONDS - 1
    assert await fetch(consumer, monkeypatch, records=False) == SHORT
    clock.now += 1
    assert await fetch(consumer, monkeypatch, records=False) == LONG
    assert await fetch(consumer, monkeypatch, records=False) == LONG


async def test_records_put_the_short_wait_back_and_start_the_quiet_anew(
    clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    consumer = fetcher()
    await fetch(consumer, monkeypatch, records=False)
    clock.now += fetch_wait.QUIET_SECONDS
    assert await fetch(consumer, monkeypatch, records=False) == LONG
    assert await fetch(consumer, monkeypatch, records=True) == SHORT
    clock.now += fetch_wait.QUIET_SECONDS - 1
    assert await fetch(consumer, monkeypatch, records=False) == SHORT


async def test_a_long_wait_no_longer_than_the_short_one_changes_nothing(
    clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Kafka (compose, Kubernetes): both 500 ms. Off: 0."""
    for idle in (0, SHORT):
        fetch_wait.lengthen_fetch_wait_when_quiet(idle)
        consumer = fetcher()
        await fetch(consumer, monkeypatch, records=False)
        clock.now += fetch_wait.QUIET_SECONDS * 2
        assert await fetch(consumer, monkeypatch, records=False) == SHORT
