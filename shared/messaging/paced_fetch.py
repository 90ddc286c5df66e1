"""Fetches paced by the consumer, for a broker that holds every fetch (issue 27: an idle
platform that rests).

Kafka answers a fetch as soon as a record arrives, or after `fetch_max_wait_ms` when none
does: there a consumer waits on the broker, and an idle one costs a fetch per wait (compose
and Kubernetes: 500 ms). Tansu, the embedded broker (0.6), reads the partitions once when a
fetch arrives and then sleeps out the wait before it answers, records or not
(tansu-storage `service/fetch.rs`). So on Tansu the wait buys nothing: a record that
arrives during it is not in the answer; it is each hop's latency, and every fetch costs
both sides CPU. With the 50 ms it used to be, each idle consumer fetched 20 times a second
and the broker alone took 16 % of a core.

So on the embedded default a consumer asks the broker to wait a millisecond
(`fetch_max_wait_ms=1`: Tansu reads and answers at once; with 0 it never answers with
records), and no consumer fetches an idle partition more often than once a pause
(`kafka_empty_fetch_pause_ms`): after a fetch that brought nothing, it waits out the rest of
the pause since the fetch was sent, or less, when the consumer takes records it fetched
before (the next fetch then goes at once, as aiokafka's does). The read happens at the end
of the pause instead of the start of the broker's wait: a record waits half the pause on
average, where it waited half the wait and then the whole wait; at the same latency there
are fewer fetches (120 ms paced: about 60 ms on average and 8 fetches a second; 50 ms held:
about 75 ms and 20). A busy consumer is not slowed: a fetch that brings records is followed
by the next at once. A fetch the broker held at least the pause (Kafka's long poll, 500 ms
in compose and Kubernetes) is followed at once too, so there nothing changes.

aiokafka 0.14's `Fetcher._proc_fetch_request` is wrapped; tests/unit/shared/test_paced_fetch.py
fails should an upgrade change what it takes or returns.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from aiokafka.consumer.fetcher import Fetcher

# Seconds; a service sets it from its settings when its runtime is made. Until then (the
# command line, tests) no consumer is paced.
_pause = 0.0


def pace_empty_fetches(pause_ms: int) -> None:
    """From now on, no consumer of this process fetches an idle partition more often than
    once every `pause_ms` (0: as aiokafka does)."""
    global _pause
    _pause = pause_ms / 1000


def empty_fetch_pause() -> float:
    return _pause


_fetch = Fetcher._proc_fetch_request


async def _paced(self: Any, assignment: Any, node_id: int, request: Any) -> bool:
    """aiokafka's fetch, then the rest of the pause when it brought nothing. True when it
    added records (aiokafka then wakes whoever waits for them)."""
    sent_at = time.monotonic()
    added: bool = await _fetch(self, assignment, node_id, request)
    rest = _pause - (time.monotonic() - sent_at)
    task = asyncio.current_task()
    if added or rest <= 0 or (task is not None and task.cancelling()):
        return added
    # The fetcher's signal that the consumer took records: its next fetch should go now.
    consumed = self._wait_consume_future
    if consumed is None or consumed.done():
        return added
    try:
        # asyncio.wait never cancels what it waits for; the fetcher reuses the future.
        await asyncio.wait({consumed}, timeout=rest)
    except asyncio.CancelledError:
        # Closed or unassigned meanwhile: the fetcher cancels its fetches and awaits them,
        # and aiokafka's own fetch answers a cancellation with False; so does the pause.
        return False
    return added


Fetcher._proc_fetch_request = _paced
