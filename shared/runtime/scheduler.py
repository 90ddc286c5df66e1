"""Periodic work that runs on one instance at a time, whatever the number of instances."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from shared.cancellation import raise_if_cancelled
from shared.logs import get_logger
from shared.progress import one_round
from shared.storage.leases import Lease

log = get_logger(__name__)


async def run_periodically(
    name: str, work: Callable[[], Awaitable[None]], lease: Lease, interval_seconds: float
) -> None:
    """Run `work` every `interval_seconds` while this instance holds `lease`; a failure is
    logged and the next round comes as planned."""
    while True:
        raise_if_cancelled()  # a cancellation PyMongo lost (shared/cancellation.py)
        try:
            with one_round():
                if await lease.acquire():
                    await work()
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.error("periodic job failed", job=name, error=f"{type(exc).__name__}: {exc}")
        await asyncio.sleep(interval_seconds)
