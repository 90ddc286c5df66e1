"""Periodic jobs that run on one instance at a time, whatever the number of instances."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from shared.logs import get_logger
from shared.storage.leases import LEASES, Lease

if TYPE_CHECKING:
    from shared.runtime.service import Runtime

log = get_logger(__name__)


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    run: Callable[[Runtime], Awaitable[None]]
    # None: the service's `scheduler_interval_seconds` setting.
    interval_seconds: float | None = None


async def run_periodically(job: PeriodicJob, runtime: Runtime) -> None:
    settings = runtime.settings
    interval = job.interval_seconds or settings.scheduler_interval_seconds
    lease = Lease(
        runtime.db.platform_collection(LEASES),
        f"job:{job.name}",
        runtime.instance_id,
        max(settings.lease_seconds, interval * 2),
    )
    while True:
        try:
            if await lease.acquire():
                await job.run(runtime)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.error("periodic job failed", job=job.name, error=f"{type(exc).__name__}: {exc}")
        await asyncio.sleep(interval)
