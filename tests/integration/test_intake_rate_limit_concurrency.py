"""Many first requests of a window at once: every one is counted, none fails."""

from __future__ import annotations

import asyncio

from shared.runtime.rate_limit import RATE_LIMITS, Limits, RateLimiter, Window
from tests.support.platform import Infrastructure


async def test_concurrent_first_requests_are_all_counted(infra: Infrastructure) -> None:
    async with infra.scratch_database("ratelimit") as db:
        limits = Limits(per_client=1, window_seconds=3600, trusted_proxies=())
        limiter = RateLimiter(db.platform_collection(RATE_LIMITS), limits, b"s" * 32)
        window = Window.containing(1_000_000.0, 3600)
        counts = await asyncio.gather(*(limiter.count("c", window) for _ in range(40)))
        # Never fewer than the requests made: a limiter may over-count, never under-count.
        assert max(counts) >= 40
        stored = await db.platform_collection(RATE_LIMITS).find_one({"_id": f"c:{window.index}"})
        assert stored is not None and stored["count"] >= 40
