"""Passkeys (WebAuthn) and the signed-in devices a person sees: the rules, without I/O.

A passkey is a key pair on the person's device; identity keeps only its credential id, its
public key and the authenticator's signature counter, per person (their address). Signing
in with one is answered like a mailed link's exchange: a new session (a chain of refresh
tokens), which remembers the passkey that started it, so that removing the passkey ends
the sessions it opened.

Challenges are random, used once, short-lived and stored as a hash: the browser sends the
challenge back inside the signed `clientDataJSON`, which is how identity finds it again.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from services.identity.domain.errors import PasskeyRefused
from services.identity.domain.sessions import SESSION_IDLE_LIMIT

CHALLENGE_LIFETIME = timedelta(minutes=5)
ChallengePurpose = Literal["registration", "sign-in"]

COUNTER_WENT_BACK = (
    "This passkey's counter went back, which a copied passkey would do: it is refused. "
    "Sign in with a link by mail and remove the passkey on your page."
)
FOREIGN_ORIGIN = "This passkey answer was made for another site than this platform: it is refused."
UNKNOWN_PASSKEY = (
    "This passkey is not known here (it may have been removed): sign in with a link by mail."
)
STALE_CHALLENGE = "This passkey request has expired or was already used: please try again."
NOT_VERIFIED = "This passkey answer could not be verified: please try again."
NO_MEMBERSHIP = "You hold no membership on this platform (any more)."


def new_challenge() -> tuple[bytes, str]:
    """(the challenge the browser signs, the hash that is stored)."""
    challenge = secrets.token_bytes(32)
    return challenge, hash_challenge(challenge)


def hash_challenge(challenge: bytes) -> str:
    return hashlib.sha256(challenge).hexdigest()


def new_user_handle() -> bytes:
    """The WebAuthn user id of a person: random, never their address (the authenticator
    hands it to any site that asks on this platform's RP id)."""
    return secrets.token_bytes(32)


def check_origin(seen: str, expected: str) -> None:
    """The origin the browser wrote into clientDataJSON must be the platform's own."""
    if seen.rstrip("/") != expected.rstrip("/"):
        raise PasskeyRefused(FOREIGN_ORIGIN)


def check_counter(stored: int, presented: int) -> None:
    """WebAuthn §6.1.1: when either counter is non-zero, the presented one must be larger
    than the stored one; otherwise the credential may have been cloned. Authenticators that
    keep no counter (passkeys synced between devices) always send 0."""
    if (stored or presented) and presented <= stored:
        raise PasskeyRefused(COUNTER_WENT_BACK)


_BROWSERS = (
    ("Edge", re.compile(r"\bEdg(e|A|iOS)?/")),
    ("Opera", re.compile(r"\bOPR/")),
    ("Samsung Internet", re.compile(r"\bSamsungBrowser/")),
    ("Firefox", re.compile(r"\b(Firefox|FxiOS)/")),
    ("Chrome", re.compile(r"\b(Chrome|CriOS)/")),
    ("Chromium", re.compile(r"\bChromium/|HeadlessChrome/")),
    ("Safari", re.compile(r"\bSafari/")),
)
_SYSTEMS = (
    ("Android", re.compile(r"\bAndroid\b")),
    ("iOS", re.compile(r"\b(iPhone|iPad|iPod)\b")),
    ("Windows", re.compile(r"\bWindows\b")),
    ("ChromeOS", re.compile(r"\bCrOS\b")),
    ("macOS", re.compile(r"\bMac OS X\b|\bMacintosh\b")),
    ("Linux", re.compile(r"\bLinux\b")),
)


def browser_family(user_agent: str | None) -> str:
    """ "Firefox on Windows": a family, never the full User-Agent (which, with its version
    numbers, narrows a person down), and nothing else about the device."""
    agent = user_agent or ""
    browser = next((name for name, pattern in _BROWSERS if pattern.search(agent)), None)
    system = next((name for name, pattern in _SYSTEMS if pattern.search(agent)), None)
    if browser and system:
        return f"{browser} on {system}"
    return browser or system or "Unknown browser"


@dataclass(frozen=True)
class SessionSeen:
    """One signed-in device as its person sees it: a live chain of refresh tokens."""

    session_id: str
    device: str
    started_at: datetime
    last_used_at: datetime
    passkey_id: str | None

    @property
    def with_passkey(self) -> bool:
        return self.passkey_id is not None

    def view(self, current_id: str | None) -> dict[str, Any]:
        return {
            "session_id": self.session_id,
            "device": self.device,
            "started_at": self.started_at,
            "last_used_at": self.last_used_at,
            "with_passkey": self.with_passkey,
            "current": self.session_id == current_id,
        }


def live_sessions(tokens: Iterable[Mapping[str, Any]], now: datetime) -> list[SessionSeen]:
    """The person's sessions still in use, newest use first, from their refresh tokens
    (not revoked, not past the chain's end): a chain whose newest token is older than the
    idle limit has ended by itself and is not shown."""
    chains: dict[str, list[Mapping[str, Any]]] = {}
    for token in tokens:
        if token.get("revoked_at") is None and token["expires_at"] > now:
            chains.setdefault(token["chain_id"], []).append(token)
    seen = []
    for chain_id, chain in chains.items():
        newest = max(chain, key=lambda t: t["issued_at"])
        if now - newest["issued_at"] >= SESSION_IDLE_LIMIT:
            continue
        first = min(chain, key=lambda t: t["issued_at"])
        seen.append(
            SessionSeen(
                session_id=chain_id,
                device=str(first.get("device") or "Unknown browser"),
                started_at=first["issued_at"],
                last_used_at=newest["issued_at"],
                passkey_id=first.get("passkey_id"),
            )
        )
    return sorted(seen, key=lambda s: s.last_used_at, reverse=True)
