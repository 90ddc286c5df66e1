"""Sign-in requests limited per address and per client, with the shared rate limiter
(shared/runtime/rate_limit.py): counted together by every identity instance in MongoDB,
under keys that are HMACs of the address and of the client, never the values themselves.

Sign-in has limits of its own (SAFEHANDS_SIGN_IN_LIMIT_*): a person asks for a link a few
times at most, while one client (a school's shared connection) may serve many people.
"""

from __future__ import annotations

import math
import time

from fastapi import HTTPException, Request, status

from services.identity.storage import RATE_LIMITS
from shared.http.client_address import client_address, client_identity
from shared.runtime.rate_limit import Limits, RateLimiter, Window, load_rate_limit_secret
from shared.runtime.runtime import Runtime

TOO_MANY = "Too many sign-in requests; please wait a little and try again."
SCOPE = "sign-in"


def sign_in_limiter(runtime: Runtime) -> RateLimiter:
    """The process's limiter with sign-in's limits, made once at start (an extension)."""
    settings = runtime.settings
    return RateLimiter(
        runtime.db.platform_collection(RATE_LIMITS),
        Limits(
            per_client=settings.sign_in_limit_per_client,
            window_seconds=settings.sign_in_limit_window_seconds,
            trusted_proxies=settings.trusted_proxy_networks,
        ),
        load_rate_limit_secret(settings),
    )


async def admit_sign_in(
    runtime: Runtime, request: Request, address: str, limiter: RateLimiter
) -> None:
    """Raise 429 with Retry-After when this address or this client asked too often. Both
    are always counted, so a known and an unknown address cost the same."""
    window = Window.containing(time.time(), limiter.limits.window_seconds)
    by_address = await limiter.count(
        f"{SCOPE}:address:{limiter.client_key(address, window)}", window
    )
    client = client_identity(
        client_address(
            request.client.host if request.client else None,
            request.headers.getlist("x-forwarded-for"),
            limiter.limits.trusted_proxies,
        )
    )
    client_wait = await limiter.admit(SCOPE, client)
    if by_address > runtime.settings.sign_in_limit_per_address or client_wait is not None:
        retry_after = max(1, math.ceil(window.ends_at - time.time()))
        raise HTTPException(
            status.HTTP_429_TOO_MANY_REQUESTS, TOO_MANY, headers={"Retry-After": str(retry_after)}
        )
