"""Refresh tokens: opaque, stored hashed, rotated on every use, one chain per sign-in.

A chain is valid for 12 hours from the sign-in. Each use gives a new token of the chain and
retires the old one; presenting a retired token again means it was copied, so the whole
chain is revoked (RFC 9700, refresh token rotation with reuse detection).

Except within ROTATION_GRACE of its rotation. The web app keeps the refresh token in one
cookie that every tab shares, and the browser drops the answer of a renewal that a reload or
a closed tab cut off: identity has rotated, the browser still holds the old token and sends
it again a moment later. Treating that as theft signed people out on an ordinary reload. So
a token retired less than ten seconds ago still gives a new token of its chain, like Okta's
and Auth0's "reuse interval"; a copy presented later still ends the whole chain. The cookie
is HttpOnly and SameSite=Strict, so a thief would also need to use it within those seconds.

A chain not used for SESSION_IDLE_LIMIT has ended too. The web app signs a person out after
30 minutes without activity; since its refresh token now lives in a cookie that outlasts a
closed tab, the server keeps the same limit, so a browser left behind on a shared computer
does not bring the session back hours later. An active page renews at least every ten
minutes, and at the latest within one check (15 s) of activity after a quiet spell shorter
than 30 minutes: the minute of margin covers that and clock skew.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from enum import Enum

SESSION_LIFETIME = timedelta(hours=12)
ACCESS_TOKEN_LIFETIME = timedelta(minutes=10)
SESSION_IDLE_LIMIT = timedelta(minutes=31)
ROTATION_GRACE = timedelta(seconds=10)


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
    issued_at: datetime | None = None,
) -> RefreshVerdict:
    if not found or expires_at is None:
        return RefreshVerdict.UNKNOWN
    if revoked_at is not None:
        return RefreshVerdict.REVOKED
    if used_at is not None and now - used_at >= ROTATION_GRACE:
        return RefreshVerdict.REUSED
    if now >= expires_at:
        return RefreshVerdict.EXPIRED
    if issued_at is not None and now - issued_at >= SESSION_IDLE_LIMIT:
        return RefreshVerdict.EXPIRED
    return RefreshVerdict.USABLE


def access_token_expiry(issued_at: datetime) -> datetime:
    return issued_at + ACCESS_TOKEN_LIFETIME
