"""Who the rate limiter counts: the peer unless a trusted proxy speaks for the client,
IPv6 clients by their /64, and a secret that must be there before a service starts."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import pytest

from shared.http.client_address import client_address, client_identity, parse_networks
from shared.runtime.rate_limit import create_rate_limit_secret, load_rate_limit_secret
from shared.settings import SettingsError, load_settings

LOOPBACK = parse_networks("127.0.0.1/32, ::1")


def identity(peer: str | None, *forwarded_for: str) -> str:
    return client_identity(client_address(peer, forwarded_for, LOOPBACK))


def test_forwarded_for_is_believed_only_from_a_trusted_proxy() -> None:
    assert identity("127.0.0.1", "203.0.113.9") == "203.0.113.9"
    assert identity("::1", "203.0.113.9") == "203.0.113.9"
    assert identity("198.51.100.4", "203.0.113.9") == "198.51.100.4"
    assert identity("127.0.0.1") == "127.0.0.1"


def test_the_client_cannot_choose_its_address_by_writing_the_header_itself() -> None:
    # The proxy appends the address it saw; what the client wrote stays on the left.
    assert identity("127.0.0.1", "10.9.9.9, 203.0.113.9") == "203.0.113.9"
    assert identity("127.0.0.1", "10.9.9.9", "203.0.113.9") == "203.0.113.9"
    # A chain of trusted proxies is walked through to the first untrusted hop.
    assert identity("127.0.0.1", "203.0.113.9, 127.0.0.1") == "203.0.113.9"
    # Garbage a proxy could not have written: the proxy itself is what is known.
    assert identity("127.0.0.1", "not-an-address") == "127.0.0.1"


def test_ipv6_clients_are_counted_per_64() -> None:
    one = identity("2001:db8:1:2::5")
    assert one == identity("2001:db8:1:2:ffff:ffff:ffff:1") == "2001:db8:1:2::/64"
    assert one != identity("2001:db8:1:3::5")
    assert identity("127.0.0.1", "2001:db8:1:2::77") == one
    assert identity("::ffff:198.51.100.4") == "198.51.100.4"
    assert client_identity(ipaddress.ip_address("198.51.100.4")) == "198.51.100.4"


def test_a_malformed_trusted_proxy_stops_start_up(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAFEHANDS_TRUSTED_PROXIES", "127.0.0.1/32, caddy")
    with pytest.raises(SettingsError, match="SAFEHANDS_TRUSTED_PROXIES is malformed"):
        load_settings()


def test_the_secret_is_created_once_and_required(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SAFEHANDS_DATA_DIR", str(tmp_path))
    settings = load_settings()
    with pytest.raises(SettingsError, match=r"rate-limit secret file .* does not exist"):
        load_rate_limit_secret(settings)
    create_rate_limit_secret(settings.rate_limit_secret_path)
    first = load_rate_limit_secret(settings)
    create_rate_limit_secret(settings.rate_limit_secret_path)
    assert load_rate_limit_secret(settings) == first and len(first) >= 32
    assert settings.rate_limit_secret_path.stat().st_mode & 0o077 == 0

    monkeypatch.setenv("SAFEHANDS_RATE_LIMIT_SECRET", "short")
    with pytest.raises(SettingsError, match="too short"):
        load_rate_limit_secret(load_settings())
    monkeypatch.setenv("SAFEHANDS_RATE_LIMIT_SECRET", "x" * 40)
    assert load_rate_limit_secret(load_settings()) == b"x" * 40
