"""Rate limits for the anonymous edge, shared by every intake instance through MongoDB.

Fixed windows: one counter document per (scope, organisation or client, window), incremented
atomically, so several instances count together. The counters expire by themselves (TTL).

The client's address is needed only to tell clients apart. It is never stored or logged:
the counter's key is an HMAC of it under a random key that lives as long as the window, so
once a window is over nobody — not even with the database — can tell which address it was.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import os
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from fastapi import Depends, HTTPException, Request, status
from pymongo import ReturnDocument
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from services.intake.storage import RATE_LIMITS
from shared.runtime.openapi import answers
from shared.runtime.service import Runtime, runtime_of
from shared.storage.tenancy import Document


@dataclass(frozen=True)
class Window:
    index: int
    ends_at: float

    @classmethod
    def containing(cls, now: float, seconds: int) -> Window:
        index = math.floor(now / seconds)
        return cls(index=index, ends_at=(index + 1) * seconds)


class RateLimiter:
    def __init__(self, counters: AsyncCollection[Document], window_seconds: int) -> None:
        self._counters = counters
        self._window_seconds = window_seconds
        self._keys: dict[int, bytes] = {}

    async def _window_key(self, window: Window) -> bytes:
        """The random HMAC key of a window, the same for every instance."""
        if window.index not in self._keys:
            doc_id = f"hmac-key:{window.index}"
            try:
                doc = await self._counters.find_one_and_update(
                    {"_id": doc_id},
                    {"$setOnInsert": {"key": os.urandom(32), "expires_at": _at(window.ends_at)}},
                    upsert=True,
                    return_document=ReturnDocument.AFTER,
                )
            except DuplicateKeyError:
                # Another instance created it at the same moment: use theirs.
                doc = await self._counters.find_one({"_id": doc_id})
            assert doc is not None
            self._keys = {window.index: bytes(doc["key"])}
        return self._keys[window.index]

    async def client_key(self, address: str, window: Window) -> str:
        key = await self._window_key(window)
        return hmac.new(key, address.encode(), hashlib.sha256).hexdigest()

    async def count(self, counter: str, window: Window) -> int:
        """Add one to `counter` in `window` and return the new count."""
        doc_id = f"{counter}:{window.index}"
        for _attempt in range(3):
            try:
                doc = await self._counters.find_one_and_update(
                    {"_id": doc_id},
                    {"$inc": {"count": 1}, "$setOnInsert": {"expires_at": _at(window.ends_at)}},
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

    async def admit(
        self, scope: str, org: str, address: str, per_client: int, per_org: int
    ) -> float | None:
        """None when the request may go ahead, else the seconds until it may be retried."""
        window = Window.containing(time.time(), self._window_seconds)
        client = await self.client_key(address, window)
        if await self.count(f"{scope}:client:{client}", window) > per_client:
            return window.ends_at - time.time()
        if await self.count(f"{scope}:org:{org}", window) > per_org:
            return window.ends_at - time.time()
        return None


def _at(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, UTC)


def limiter_of(runtime: Runtime) -> RateLimiter:
    """One limiter per process, made on first use (it caches the window's HMAC key)."""
    limiter = runtime.extensions.get("rate_limiter")
    if not isinstance(limiter, RateLimiter):
        limiter = RateLimiter(
            runtime.db.platform_collection(RATE_LIMITS), runtime.settings.rate_limit_window_seconds
        )
        runtime.extensions["rate_limiter"] = limiter
    return limiter


def rate_limited(scope: str) -> Callable[..., Awaitable[None]]:
    """A FastAPI dependency that refuses with 429 once the client or the organisation made too
    many requests of `scope` in the current window."""

    @answers(429)
    async def dependency(
        org: str, request: Request, runtime: Runtime = Depends(runtime_of)
    ) -> None:
        address = request.client.host if request.client else "unknown"
        settings = runtime.settings
        retry_after = await limiter_of(runtime).admit(
            scope, org, address, settings.rate_limit_per_client, settings.rate_limit_per_org
        )
        if retry_after is not None:
            raise HTTPException(
                status.HTTP_429_TOO_MANY_REQUESTS,
                "Too many requests from you or for this organisation; please try again later.",
                headers={"Retry-After": str(max(1, math.ceil(retry_after)))},
            )

    return dependency
