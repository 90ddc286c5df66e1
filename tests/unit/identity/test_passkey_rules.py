"""The passkey and device rules of services/identity/domain/passkeys.py."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.identity.domain.errors import PasskeyRefused
from services.identity.domain.passkeys import (
    COUNTER_WENT_BACK,
    FOREIGN_ORIGIN,
    browser_family,
    check_counter,
    check_origin,
    hash_challenge,
    live_sessions,
    new_challenge,
)

NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("stored", "presented", "refused"),
    [
        (0, 0, False),  # an authenticator without a counter (a synced passkey)
        (0, 1, False),
        (4, 5, False),
        (5, 5, True),
        (5, 3, True),
        (5, 0, True),
    ],
)
def test_a_counter_must_go_forward(stored: int, presented: int, refused: bool) -> None:
    if refused:
        with pytest.raises(PasskeyRefused, match="counter went back") as raised:
            check_counter(stored, presented)
        assert str(raised.value) == COUNTER_WENT_BACK
    else:
        check_counter(stored, presented)


def test_only_the_platform_origin() -> None:
    check_origin("https://safehands.example", "https://safehands.example")
    for other in (
        "https://evil.example",
        "http://safehands.example",
        "https://safehands.example:8443",
    ):
        with pytest.raises(PasskeyRefused) as raised:
            check_origin(other, "https://safehands.example")
        assert str(raised.value) == FOREIGN_ORIGIN


def test_challenges_are_random_and_kept_as_a_hash() -> None:
    challenge, stored = new_challenge()
    assert len(challenge) == 32 and stored == hash_challenge(challenge)
    assert challenge.hex() not in stored and new_challenge()[0] != challenge


@pytest.mark.parametrize(
    ("agent", "family"),
    [
        (
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "HeadlessChrome/131.0.0.0 Safari/537.36",
            "Chromium on Linux",
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
            "Edge on Windows",
        ),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
            "Safari on iOS",
        ),
        (
            "Mozilla/5.0 (Android 15; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0",
            "Firefox on Android",
        ),
        ("curl/8.5.0", "Unknown browser"),
        (None, "Unknown browser"),
    ],
)
def test_a_browser_is_named_by_its_family(agent: str | None, family: str) -> None:
    assert browser_family(agent) == family


def token(chain: str, minutes_ago: int, **extra: object) -> dict[str, object]:
    return {
        "chain_id": chain,
        "issued_at": NOW - timedelta(minutes=minutes_ago),
        "expires_at": NOW + timedelta(hours=1),
        "revoked_at": None,
        "device": "Firefox on Linux",
        "passkey_id": None,
        **extra,
    }


def test_live_sessions_are_the_chains_still_in_use() -> None:
    seen = live_sessions(
        [
            token("a", 60, passkey_id="p1"),
            token("a", 5, passkey_id="p1"),
            token("b", 1),
            token("c", 40),  # idle past the limit: ended by itself
            token("d", 2, revoked_at=NOW),
            token("e", 2, expires_at=NOW),
        ],
        NOW,
    )
    assert [(s.session_id, s.with_passkey) for s in seen] == [("b", False), ("a", True)]
    [_, a] = seen
    assert a.started_at == NOW - timedelta(minutes=60)
    assert a.last_used_at == NOW - timedelta(minutes=5)
    view = a.view("a")
    assert view["current"] is True and view["device"] == "Firefox on Linux"
    assert set(view) == {
        "session_id",
        "device",
        "started_at",
        "last_used_at",
        "with_passkey",
        "current",
    }
