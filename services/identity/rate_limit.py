"""Sign-in requests limited per address and per client, with the shared rate limiter
(shared/runtime/rate_limit.py): counted together by every identity instance in MongoDB,
under keys that are HMACs of the address and of the client, never the values themselves.

Sign-in has limits of its own (SAFEHANDS_SIGN_IN_LIMIT_*): a person asks for a link a few
times at most, while one client (a school's shared connection) may serve many people.

Only a client is refused (429). An address past its limits (SIGN_IN_LIMIT_PER_ADDRESS in the
window, SIGN_IN_MAILS_PER_ADDRESS_PER_DAY per day) is answered like any other request and
simply mailed nothing more: anyone can type someone's address, so a 429 for the address
would let them lock that person out of their own sign-in. The links already mailed stay
valid (a new request revokes none), so the person signs in with one of those.
"""

from __future__ import annotations

import math
import time
from enum import Enum

from fastapi import HTTPException, Request, status

from services.identity.storage import RATE_LIMITS
from shared.http.client_address import client_address, client_identity
from shared.runtime.rate_limit import Limits, RateLimiter, Window, load_rate_limit_secret
from shared.runtime.runtime import Runtime

TOO_MANY = "Too many sign-in requests; please wait a little and try again."
SCOPE = "sign-in"
DAY_SECONDS = 24 * 60 * 60


class SignInAdmission(Enum):
    """What a sign-in request that a client may make leads to."""

    MAIL = "mail"
    # The address had its mails for now: the same answer, no code and no mail.
    NOTHING_MORE = "nothing more"


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


async def admit_client(request: Request, limiter: RateLimiter, scope: str) -> None:
    """Raise 429 with Retry-After when this client asked too often in `scope`."""
    client = client_identity(
        client_address(
            request.client.host if request.client else None,
            request.headers.getlist("x-forwarded-for"),
            limiter.limits.trusted_proxies,
        )
    )
    client_wait = await limiter.admit(scope, client)
    if client_wait is not None:
        raise HTTPException(
            status.HTTP_429_TOO_MANY_REQUESTS,
            TOO_MANY,
            headers={"Retry-After": str(max(1, math.ceil(client_wait)))},
        )


async def admit_sign_in(
    runtime: Runtime, request: Request, address: str, limiter: RateLimiter
) -> SignInAdmission:
    """Raise 429 with Retry-After when this client asked too often; otherwise say whether
    this address may be mailed. The address is counted whether or not it is known, so a
    known and an unknown address cost the same; a client refused is not counted for it."""
    await admit_client(request, limiter, SCOPE)
    settings = runtime.settings
    now = time.time()
    window = Window.containing(now, limiter.limits.window_seconds)
    by_address = await limiter.count(
        f"{SCOPE}:address:{limiter.client_key(address, window)}", window
    )
    if by_address > settings.sign_in_limit_per_address:
        return SignInAdmission.NOTHING_MORE
    # Counted only for requests within the window's limit: the mails this address got today.
    day = Window.containing(now, DAY_SECONDS)
    mailed_today = await limiter.count(f"{SCOPE}:day:{limiter.client_key(address, day)}", day)
    if mailed_today > settings.sign_in_mails_per_address_per_day:
        return SignInAdmission.NOTHING_MORE
    return SignInAdmission.MAIL
