"""Sign-in requests limited per address and per client, counted together by every identity
instance in MongoDB (the pattern of intake's limiter).

Neither the address nor the client's IP is stored: a counter's key is an HMAC of it under a
random key that lives as long as its window, so once the window is over nobody can tell
whose counter it was.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import time
from datetime import UTC, datetime

from fastapi import HTTPException, Request, status
from pymongo import ReturnDocument
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from services.identity.domain.rate_limits import Window, retry_after_seconds
from services.identity.storage import RATE_LIMITS
from shared.runtime.service import Runtime
from shared.storage.tenancy import Document

TOO_MANY = "Too many sign-in requests; please wait a little and try again."


class SignInLimiter:
    def __init__(self, counters: AsyncCollection[Document], window_seconds: int) -> None:
        self._counters = counters
        self._window_seconds = window_seconds
        self._keys: dict[int, bytes] = {}

    async def _window_key(self, window: Window) -> bytes:
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
                doc = None
            if doc is None:
                doc = await self._counters.find_one({"_id": doc_id})
            assert doc is not None
            self._keys = {window.index: bytes(doc["key"])}
        return self._keys[window.index]

    async def _count(self, counter: str, window: Window) -> int:
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
                continue
            if doc is not None:
                return int(doc["count"])
        raise RuntimeError("rate-limit counter could not be created")

    async def admit(
        self, address: str, client: str, per_address: int, per_client: int
    ) -> int | None:
        """None when the request may go ahead, else the seconds until it may be retried.
        Both counters are always counted, so a known and an unknown address cost the same."""
        now = time.time()
        window = Window.containing(now, self._window_seconds)
        key = await self._window_key(window)
        by_address = await self._count(f"sign-in:address:{_pseudonym(key, address)}", window)
        by_client = await self._count(f"sign-in:client:{_pseudonym(key, client)}", window)
        if by_address > per_address or by_client > per_client:
            return retry_after_seconds(window, now)
        return None


def _pseudonym(key: bytes, value: str) -> str:
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def _at(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, UTC)


def limiter_of(runtime: Runtime) -> SignInLimiter:
    limiter = runtime.extensions.get("sign_in_limiter")
    if not isinstance(limiter, SignInLimiter):
        limiter = SignInLimiter(
            runtime.db.platform_collection(RATE_LIMITS),
            runtime.settings.sign_in_limit_window_seconds,
        )
        runtime.extensions["sign_in_limiter"] = limiter
    return limiter


async def admit_sign_in(runtime: Runtime, request: Request, address: str) -> None:
    """Raise 429 with Retry-After when this address or this client asked too often."""
    client = request.client.host if request.client else "unknown"
    settings = runtime.settings
    retry_after = await limiter_of(runtime).admit(
        address, client, settings.sign_in_limit_per_address, settings.sign_in_limit_per_client
    )
    if retry_after is not None:
        raise HTTPException(
            status.HTTP_429_TOO_MANY_REQUESTS, TOO_MANY, headers={"Retry-After": str(retry_after)}
        )
