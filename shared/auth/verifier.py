"""The keys a service verifies access tokens with: configured key files and identity's JWKS.

Keys fetched from the JWKS are cached. A token naming a `kid` that is not cached makes the
verifier fetch the JWKS again, at most once per `refetch_interval`, so that a rotated key is
picked up without a restart while a flood of made-up `kid`s cannot turn every request into a
fetch.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from shared.auth.tokens import (
    CLOCK_SKEW,
    ISSUER,
    MAX_TOKEN_LIFETIME,
    InvalidToken,
    Principal,
    key_id,
    public_key_from_jwk,
    token_key_id,
    verify_token,
)
from shared.logs import get_logger

log = get_logger(__name__)

JWKS_TIMEOUT_SECONDS = 5.0


class KeysUnavailable(Exception):
    """The JWKS could not be fetched: the token can be neither accepted nor refused now."""


class TokenVerifier:
    def __init__(
        self,
        static_keys: Iterable[Ed25519PublicKey] = (),
        *,
        jwks_url: str | None = None,
        issuer: str = ISSUER,
        refetch_interval: float = 10.0,
        max_age: float = 3600.0,
        max_lifetime: timedelta = MAX_TOKEN_LIFETIME,
    ) -> None:
        self.issuer = issuer
        self.jwks_url = jwks_url
        self.max_lifetime = max_lifetime
        self._static = {key_id(key): key for key in static_keys}
        self._fetched: dict[str, Ed25519PublicKey] = {}
        # Keys that left the JWKS, until (monotonic) no token they signed can still be valid.
        self._retired: dict[str, tuple[Ed25519PublicKey, float]] = {}
        self._fetched_at: float | None = None
        self._last_fetch_failed = False
        self._refetch_interval = refetch_interval
        self._max_age = max_age
        self._lock = asyncio.Lock()

    def add_key(self, key: Ed25519PublicKey) -> None:
        """Trust one more key (identity trusts its own signing key without a fetch)."""
        self._static[key_id(key)] = key

    async def verify(self, token: str, now: datetime | None = None) -> Principal:
        kid = token_key_id(token)
        key = await self.key_for(kid)
        if key is None:
            raise InvalidToken("the token names a key this service does not know")
        return verify_token(
            token, key, issuer=self.issuer, now=now, kid=kid, max_lifetime=self.max_lifetime
        )

    async def key_for(self, kid: str) -> Ed25519PublicKey | None:
        if kid in self._static:
            return self._static[kid]
        if self.jwks_url is None:
            return None
        async with self._lock:
            age = None if self._fetched_at is None else time.monotonic() - self._fetched_at
            stale = age is None or age >= self._max_age
            # After a failed fetch (identity still starting), try again sooner.
            interval = (
                min(1.0, self._refetch_interval)
                if self._last_fetch_failed
                else self._refetch_interval
            )
            may_refetch = age is None or age >= interval
            if stale or (kid not in self._fetched and may_refetch):
                await self._fetch()
            if kid in self._fetched:
                return self._fetched[kid]
            retired = self._retired.get(kid)
            if retired is not None and retired[1] > time.monotonic():
                return retired[0]
            if self._last_fetch_failed:
                raise KeysUnavailable("the JWKS could not be fetched")
            return None

    async def _fetch(self) -> None:
        assert self.jwks_url is not None
        try:
            async with httpx.AsyncClient(timeout=JWKS_TIMEOUT_SECONDS) as client:
                answer = await client.get(self.jwks_url)
                answer.raise_for_status()
                document: Any = answer.json()
        except (httpx.HTTPError, ValueError) as exc:
            # A failed fetch also counts for the rate limit: no retry storm against identity.
            self._fetched_at = time.monotonic()
            self._last_fetch_failed = True
            log.warning("token keys could not be fetched", error=type(exc).__name__)
            return
        keys: dict[str, Ed25519PublicKey] = {}
        for jwk in document.get("keys", []) if isinstance(document, dict) else []:
            if not isinstance(jwk, dict):
                continue
            key = public_key_from_jwk(jwk)
            if key is not None:
                keys[str(jwk.get("kid") or key_id(key))] = key
        now = time.monotonic()
        grace = (self.max_lifetime + CLOCK_SKEW).total_seconds()
        self._retired = {kid: retired for kid, retired in self._retired.items() if retired[1] > now}
        for kid, key in self._fetched.items():
            if kid not in keys:
                self._retired[kid] = (key, now + grace)
        self._fetched = keys
        self._fetched_at = now
        self._last_fetch_failed = False
        log.info("token keys fetched", keys=len(keys))
