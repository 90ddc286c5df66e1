"""Rate limits for anonymous routes, shared by every instance of a service through MongoDB.

A reusable FastAPI dependency: `dependencies=[Depends(rate_limited("reports"))]` on a route
of a service whose definition says `rate_limited=True`. Every route is limited per client.
There is no limit per organisation: anyone could use it up and so silence the organisation's
honest reporters. Instead an organisation's requests are counted per minute without refusing
any, and above a threshold (the organisation is "under pressure") every client must solve a
proof-of-work challenge before its request counts (shared/runtime/proof_of_work.py).

Fixed windows: one counter document per (scope, organisation or client, window), incremented
atomically, so several instances count together. The counters expire by themselves (TTL).

No database round trip on most requests: an instance claims its share of a limit a block at
a time (a tenth of the limit, at least one request) with one atomic `$inc`, and admits
requests from that block in memory until it is used up. Claimed blocks never add up to more
than the limit, so across any number of instances no more than the limit is admitted. The
price is the other way round: a block claimed but not yet used by one instance counts as
used for the others, so with N instances a client or organisation may be refused after
`limit - (N - 1) * (block - 1)` requests at worst. Limits below 20 have blocks of one, so
they count exactly, with a round trip per request, as before. Once the database says a
counter is used up, the instance refuses from memory until the window ends. An instance
claims one block of a counter at a time: requests that arrive while it claims wait for that
block (tests/integration/test_rate_limit_blocks.py).

The client's address is needed only to tell clients apart. It is never stored or logged:
the counter's key is an HMAC of it under a key derived per window from a secret setting
that the instances share (`SAFEHANDS_RATE_LIMIT_SECRET`) and that is never written to the
database. A copy of the database therefore cannot be matched against candidate addresses.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import math
import secrets
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from fastapi import HTTPException, Request, status
from pymongo import ReturnDocument
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from shared.http.client_address import IPNetwork, client_address, client_identity
from shared.http.openapi import answers
from shared.private_files import write_private_file
from shared.runtime.proof_of_work import HEADER, ProofOfWorkRequired, proof_of_work_of
from shared.settings import Settings, SettingsError
from shared.storage.database import IndexSpec
from shared.storage.tenancy import Document

# Not per organisation: a client is limited across all organisations. Expired windows go by
# themselves (TTL on `expires_at`).
RATE_LIMITS = "rate_limits"
RATE_LIMIT_INDEXES = (
    IndexSpec(RATE_LIMITS, (("expires_at", 1),), tenant=False, expire_after_seconds=0),
)
MIN_SECRET_LENGTH = 32
# An instance claims a limit in blocks of this share of it (see the module's docstring).
BLOCKS_PER_LIMIT = 10
# An organisation's pressure is counted per minute.
PRESSURE_WINDOW_SECONDS = 60


def create_rate_limit_secret(path: Path) -> None:
    """Create the local secret once (as `safehands up` does for the JWT keys); kept after."""
    if path.exists():
        return
    write_private_file(path, (secrets.token_hex(32) + "\n").encode(), overwrite=False)


def load_rate_limit_secret(settings: Settings) -> bytes:
    """The shared secret: the setting itself, else the file it names (by default
    `<DATA_DIR>/keys/rate_limit_secret`, which `safehands up` creates)."""
    if settings.rate_limit_secret is not None:
        secret = settings.rate_limit_secret.get_secret_value().strip()
        where = "SAFEHANDS_RATE_LIMIT_SECRET"
    else:
        path = settings.rate_limit_secret_path
        try:
            secret = path.read_text().strip()
        except FileNotFoundError:
            raise SettingsError(
                f"The rate-limit secret file {path} does not exist: run `safehands up` once "
                f"to create it, or set SAFEHANDS_RATE_LIMIT_SECRET (the same on every instance)."
            ) from None
        where = str(path)
    if len(secret) < MIN_SECRET_LENGTH:
        raise SettingsError(
            f"The rate-limit secret in {where} is too short: use at least "
            f"{MIN_SECRET_LENGTH} random characters."
        )
    return secret.encode()


@dataclass(frozen=True)
class Window:
    seconds: int
    index: int
    ends_at: float

    @classmethod
    def containing(cls, now: float, seconds: int) -> Window:
        index = math.floor(now / seconds)
        return cls(seconds=seconds, index=index, ends_at=(index + 1) * seconds)


@dataclass(frozen=True)
class Limits:
    per_client: int
    window_seconds: int
    trusted_proxies: Sequence[IPNetwork]
    # An organisation's anonymous requests per minute above which proof of work is asked.
    pressure_per_minute: int = 60

    @classmethod
    def from_settings(cls, settings: Settings) -> Limits:
        return cls(
            per_client=settings.rate_limit_per_client,
            window_seconds=settings.rate_limit_window_seconds,
            trusted_proxies=settings.trusted_proxy_networks,
            pressure_per_minute=settings.proof_of_work_above_per_minute,
        )


@dataclass
class Quota:
    """What this instance may still admit of one counter in one window, without asking."""

    remaining: int
    ends_at: float
    # The database's count reached the limit: refuse from memory until the window ends.
    used_up: bool


def _block_spent(quota: Quota) -> bool:
    """This instance's block is used while the limit has more to give: time to claim one."""
    return quota.remaining == 0 and not quota.used_up


def block_size(limit: int) -> int:
    return max(1, limit // BLOCKS_PER_LIMIT)


class RateLimiter:
    def __init__(self, counters: AsyncCollection[Document], limits: Limits, secret: bytes) -> None:
        self._counters = counters
        self.limits = limits
        self._secret = secret
        self._quotas: dict[str, Quota] = {}
        # Per counter and window: held while this instance claims a block of it, so that
        # requests arriving meanwhile wait for that block instead of each claiming one.
        self._claiming: dict[str, asyncio.Lock] = {}
        # Organisations found under pressure, until when this instance keeps asking for proof
        # of work without looking again (the rest of the minute and the next one).
        self._pressure_until: dict[str, float] = {}

    def _window_key(self, window: Window) -> bytes:
        """The window's HMAC key, the same on every instance, never stored: once the
        window is over, no key to it exists anywhere but in the secret."""
        label = f"safehands/rate-limit/{window.seconds}/{window.index}"
        return hmac.new(self._secret, label.encode(), hashlib.sha256).digest()

    def client_key(self, identity: str, window: Window) -> str:
        """The pseudonym a value (a client, an e-mail address) is counted under."""
        return hmac.new(self._window_key(window), identity.encode(), hashlib.sha256).hexdigest()

    async def count(self, counter: str, window: Window, amount: int = 1) -> int:
        """Add `amount` to `counter` in `window` and return the new count."""
        doc_id = f"{counter}:{window.index}"
        for _attempt in range(3):
            try:
                doc = await self._counters.find_one_and_update(
                    {"_id": doc_id},
                    {
                        "$inc": {"count": amount},
                        "$setOnInsert": {"expires_at": _at(window.ends_at)},
                    },
                    upsert=True,
                    return_document=ReturnDocument.AFTER,
                )
            except DuplicateKeyError:
                # Two first requests raced on the upsert; the next try finds the document.
                continue
            # Under concurrent first requests the server may answer the upsert without the
            # document (seen on SecantusDB). Trying again may count this request twice: a
            # rate limit errs on the side of counting too much, never too little.
            if doc is not None:
                return int(doc["count"])
        raise RuntimeError("rate-limit counter could not be created")

    async def within(self, counter: str, window: Window, limit: int) -> bool:
        """Count one request on `counter` in `window`: True while at most `limit` are, from
        this instance's block of the limit when it has one left (see the module docstring)."""
        doc_id = f"{counter}:{window.index}"
        quota = self._quotas.get(doc_id)
        if quota is None or _block_spent(quota):
            quota = await self._claimed_once(doc_id, counter, window, limit)
        if quota.remaining == 0:
            return False
        quota.remaining -= 1
        return True

    async def _claimed_once(self, doc_id: str, counter: str, window: Window, limit: int) -> Quota:
        """The quota after this instance's one claim under way for the counter: its own, or
        the one a request that came first claimed meanwhile. Requests that arrive together
        at the start of a window (a page's parallel requests, a poster's QR code at a
        volunteer fair) each claimed a block of their own, and a few of them used up the
        whole limit: under the admission bench at 50/s an organisation with a pressure limit
        of a million a minute was "under pressure" and refused 133 applications with 428."""
        async with self._claiming.setdefault(doc_id, asyncio.Lock()):
            quota = self._quotas.get(doc_id)
            if quota is None or _block_spent(quota):
                quota = self._quotas[doc_id] = await self._claim(counter, window, limit)
            return quota

    async def _claim(self, counter: str, window: Window, limit: int) -> Quota:
        block = block_size(limit)
        total = await self.count(counter, window, block)
        # The claimed block covers counts total - block + 1 … total; those up to the limit
        # may be admitted. A block cut short reached the limit: nothing more to claim.
        usable = max(0, min(block, limit - (total - block)))
        self._forget_ended(time.time())
        return Quota(remaining=usable, ends_at=window.ends_at, used_up=usable < block)

    def _forget_ended(self, now: float) -> None:
        for doc_id in [k for k, q in self._quotas.items() if q.ends_at <= now]:
            del self._quotas[doc_id]
        # The locks of counters whose quota is gone (their window ended), unless held.
        for doc_id in [
            k for k, lock in self._claiming.items() if not lock.locked() and k not in self._quotas
        ]:
            del self._claiming[doc_id]

    async def admit(self, scope: str, identity: str) -> float | None:
        """None when the client's request may go ahead, else the seconds until it may be
        retried."""
        window = Window.containing(time.time(), self.limits.window_seconds)
        client = self.client_key(identity, window)
        if not await self.within(f"{scope}:client:{client}", window, self.limits.per_client):
            return window.ends_at - time.time()
        return None

    async def under_pressure(self, org: str) -> bool:
        """Count one anonymous request for `org` (every route and client together, refused or
        not) and say whether the organisation is under pressure: more than
        `pressure_per_minute` in this minute, or in the one before as this instance saw it
        (so a flood that starts each minute anew gets no free start). Counted a block at a
        time like any limit: with N instances pressure may start up to (N-1)*(block-1)
        requests early, which costs honest clients a little work, never a refusal."""
        now = time.time()
        window = Window.containing(now, PRESSURE_WINDOW_SECONDS)
        within = await self.within(f"pressure:org:{org}", window, self.limits.pressure_per_minute)
        if not within:
            self._pressure_until[org] = window.ends_at + PRESSURE_WINDOW_SECONDS
        for ended in [o for o, until in self._pressure_until.items() if until <= now]:
            del self._pressure_until[ended]
        return org in self._pressure_until


def requesting_client(request: Request, limiter: RateLimiter) -> str:
    """Who sent the request, as the limiter counts it: the peer or, from a trusted proxy,
    the client it names; IPv6 by /64."""
    address = client_address(
        request.client.host if request.client else None,
        request.headers.getlist("x-forwarded-for"),
        limiter.limits.trusted_proxies,
    )
    return client_identity(address)


def limiter_of(request: Request) -> RateLimiter:
    limiter = request.app.state.runtime.rate_limiter
    if not isinstance(limiter, RateLimiter):
        raise RuntimeError("the service uses the rate limiter without rate_limited=True")
    return limiter


def _at(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, UTC)


def rate_limited(scope: str) -> Callable[[Request], Awaitable[None]]:
    """A FastAPI dependency that, while the organisation (the path's `{org}`, if the route
    has one) is under pressure, refuses with 428 a request without a valid proof of work
    (before it counts for the client), and refuses with 429 once the client made too many
    requests of `scope` in the window."""

    @answers(428, 429)
    async def dependency(request: Request) -> None:
        limiter = limiter_of(request)
        org = request.path_params.get("org")
        if org is not None and await limiter.under_pressure(org):
            proof = proof_of_work_of(request)
            reason = await proof.redeem(request.headers.get(HEADER), org)
            if reason is not None:
                raise ProofOfWorkRequired(reason, proof.challenge(org))
        retry_after = await limiter.admit(scope, requesting_client(request, limiter))
        if retry_after is not None:
            raise HTTPException(
                status.HTTP_429_TOO_MANY_REQUESTS,
                "Too many requests from you; please try again later.",
                headers={"Retry-After": str(max(1, math.ceil(retry_after)))},
            )

    return dependency
