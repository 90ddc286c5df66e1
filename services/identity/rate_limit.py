"""Sign-in requests limited per address and per client, counted together by every identity
instance in MongoDB, with the shared rate limiter (shared/runtime/rate_limit.py).

Neither the address nor the client's IP is stored: a counter's key is an HMAC of it under a
key derived per window from SAFEHANDS_RATE_LIMIT_SECRET, which is never in the database, so
a copy of the database cannot be matched against a list of members' addresses.
"""

from __future__ import annotations

import math

from fastapi import HTTPException, Request, status

from shared.runtime.rate_limit import limiter_of, requesting_client
from shared.runtime.service import Runtime

TOO_MANY = "Too many sign-in requests; please wait a little and try again."


async def admit_sign_in(runtime: Runtime, request: Request, address: str) -> None:
    """Raise 429 with Retry-After when this address or this client asked too often.
    Both are always counted, so a known and an unknown address cost the same."""
    limiter = limiter_of(request)
    settings = runtime.settings
    retry_after = await limiter.admit_all(
        "sign-in",
        [
            ("address", address, settings.sign_in_limit_per_address),
            ("client", requesting_client(request, limiter), settings.sign_in_limit_per_client),
        ],
        settings.sign_in_limit_window_seconds,
    )
    if retry_after is not None:
        raise HTTPException(
            status.HTTP_429_TOO_MANY_REQUESTS,
            TOO_MANY,
            headers={"Retry-After": str(max(1, math.ceil(retry_after)))},
        )
