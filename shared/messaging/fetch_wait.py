"""A consumer's fetch wait: short while records flow, long once it has been quiet (issue 27:
an idle platform that rests, with the p50 from a request to its event consumed no worse).

`fetch_max_wait_ms` is how long the broker may hold a fetch that found nothing. Kafka
answers as soon as a record arrives, so there a long wait costs nothing (compose and
Kubernetes: 500 ms). Tansu, the embedded broker, looks again only a few times during the
wait, each time after half of what is left of it (with 50 ms at 0, 25, 37 ms…; with 500 ms
at 0, 250, 375 ms…), and every look reads every partition of the fetch. So on Tansu the wait
is a trade: measured with five idle consumers of eight topics each, 50 ms gave a record
p50 9 ms to its consumer and cost the broker 7.9 % of a core and the clients 3.5 %; 500 ms
gave 103 ms, 1.6 % and 1.0 %. A wait paced by the client instead (ask for 1 ms, pause 120
ms after an empty fetch) was no better than a longer wait: 55 ms, 2.7 % and 2.1 %.

So a consumer keeps the short wait (`kafka_fetch_max_wait_ms`) while records reach it,
and after `QUIET_SECONDS` without any asks the broker for the long one
(`kafka_idle_fetch_max_wait_ms`); the first fetch that brings records puts the short wait
back. A steady flow, even one event every few seconds, sees the short wait's latency; an
idle platform rests; what it costs is the first event after a quiet spell, which reaches a
consumer up to the long wait later (p50 about 100 ms more at 500 ms). On Kafka the two
waits are equal and nothing changes.

aiokafka 0.14's `Fetcher._proc_fetch_request` is wrapped: each fetch request is built from
the fetcher's `_fetch_max_wait_ms`, which the wrapper sets for the next one.
tests/unit/shared/test_fetch_wait.py fails should an upgrade change what it takes or
returns.
"""

from __future__ import annotations

import time
from typing import Any

from aiokafka.consumer.fetcher import Fetcher

# How long a consumer has seen no records before it asks for the long wait.
QUIET_SECONDS = 10.0
_now = time.monotonic  # the tests' clock

# Milliseconds; a service sets it from its settings when its runtime is made. Until then
# (the command line, tests) 0: no consumer lengthens its wait.
_idle_wait_ms = 0


def lengthen_fetch_wait_when_quiet(idle_wait_ms: int) -> None:
    """From now on, a consumer of this process that saw no records for QUIET_SECONDS lets
    the broker hold its fetches `idle_wait_ms` (0, or no more than its own wait: never)."""
    global _idle_wait_ms
    _idle_wait_ms = idle_wait_ms


def idle_fetch_wait_ms() -> int:
    return _idle_wait_ms


_fetch = Fetcher._proc_fetch_request


async def _adapting(self: Any, assignment: Any, node_id: int, request: Any) -> bool:
    """aiokafka's fetch; then the wait for the next one. True when it added records
    (aiokafka then wakes whoever waits for them)."""
    added: bool = await _fetch(self, assignment, node_id, request)
    now = _now()
    # Kept on the fetcher, set at its first fetch: the wait it was made with is the short one.
    if not hasattr(self, "_short_fetch_wait_ms"):
        self._short_fetch_wait_ms = self._fetch_max_wait_ms
        self._records_seen_at = now
    if added:
        self._records_seen_at = now
        self._fetch_max_wait_ms = self._short_fetch_wait_ms
    elif _idle_wait_ms > self._short_fetch_wait_ms and now - self._records_seen_at >= QUIET_SECONDS:
        self._fetch_max_wait_ms = _idle_wait_ms
    return added


Fetcher._proc_fetch_request = _adapting
