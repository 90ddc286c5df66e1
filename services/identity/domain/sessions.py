"""Refresh tokens: opaque, stored hashed, rotated on every use, one chain per sign-in.

A chain is valid for 12 hours from the sign-in. Each use gives a new token of the chain and
retires the old one; presenting a retired token again means it was copied, so the whole
chain is revoked (RFC 9700, refresh token rotation with reuse detection).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from enum import Enum

SESSION_LIFETIME = timedelta(hours=12)
ACCESS_TOKEN_LIFETIME = timedelta(minutes=10)


class RefreshVerdict(Enum):
    USABLE = "usable"
    UNKNOWN = "unknown"
    REUSED = "reused"
    REVOKED = "revoked"
    EXPIRED = "expired"


def new_refresh_token() -> tuple[str, str]:
    """(the token handed out once, the hash that is stored)."""
    token = secrets.token_urlsafe(32)
    return token, hash_refresh_token(token)


def hash_refresh_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def refresh_verdict(
    *,
    found: bool,
    used_at: datetime | None,
    revoked_at: datetime | None,
    expires_at: datetime | None,
    now: datetime,
) -> RefreshVerdict:
    if not found or expires_at is None:
        return RefreshVerdict.UNKNOWN
    if revoked_at is not None:
        return RefreshVerdict.REVOKED
    if used_at is not None:
        return RefreshVerdict.REUSED
    if now >= expires_at:
        return RefreshVerdict.EXPIRED
    return RefreshVerdict.USABLE


def access_token_expiry(issued_at: datetime) -> datetime:
    return issued_at + ACCESS_TOKEN_LIFETIME
