"""The rate limiter's counters do not lead back to a reporter's address, and it counts the
client the gateway names (only the gateway), IPv6 clients by their /64."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
from pymongo import MongoClient

from tests.support.platform import Platform
from tests.support.web import ensure_web_built

BODY = {"role_id": "coach", "name": "Anna", "email": "anna@example.org"}
REPORTER = "203.0.113.57"
# Where the gateway runs, the services trust it (`safehands up`: loopback); these tests
# stand where it does. By default a service trusts no one.
BEHIND_THE_GATEWAY = {"SAFEHANDS_TRUSTED_PROXIES": "127.0.0.1/32,::1/128"}


def _values(value: Any) -> Iterator[Any]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _values(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _values(item)
    else:
        yield value


def test_the_database_alone_does_not_lead_back_to_an_address(platform: Platform) -> None:
    intake = platform.start("intake", env=BEHIND_THE_GATEWAY)
    org = f"org-{uuid.uuid4().hex[:6]}"
    with intake.client() as http:
        for _ in range(3):
            answer = http.post(
                f"/v1/orgs/{org}/applications", json=BODY, headers={"X-Forwarded-For": REPORTER}
            )
            assert answer.status_code == 404  # unknown organisation, but counted
        http.post(f"/v1/orgs/{org}/reports", json={})  # from the peer itself (no header)

    texts = _recoverable(platform, "intake", _ADDRESSES)
    assert not any(REPORTER in text or "127.0.0.1" in text for text in texts)


_ADDRESSES = [
    str(address)
    for network in ("203.0.113.0/24", "127.0.0.0/24")
    for address in ipaddress.ip_network(network)
]


def _recoverable(platform: Platform, service: str, candidates: list[str]) -> set[str]:
    """Match every candidate against everything the service's database holds, with every
    stored value as a key and with no key; assert none matches; return the stored texts."""
    with MongoClient(platform.infra.mongo_uri) as client:
        database = client[f"{platform.database}_{service}"]
        documents = [
            doc for name in database.list_collection_names() for doc in database[name].find()
        ]
    stored = {v for doc in documents for v in _values(doc)}
    texts = {str(v) for v in stored if isinstance(v, str)}
    assert any(":client:" in text for text in texts), "the clients were counted"
    # Everything stored that could serve as a key, and no key at all (a bare hash).
    keys = [bytes(v) for v in stored if isinstance(v, bytes) and len(v) >= 16]
    keys += [v.encode() for v in texts] + [b""]
    found = []
    for candidate in candidates:
        plain = candidate.encode()
        digests = {hashlib.sha256(plain).hexdigest()}
        digests |= {hmac.new(key, plain, hashlib.sha256).hexdigest() for key in keys}
        if any(digest in text for digest in digests for text in texts):
            found.append(candidate)
    assert found == [], "a client or an address was recovered from the database alone"
    return texts


def test_sign_in_counters_do_not_lead_back_to_an_address_or_a_client(
    platform: Platform,
) -> None:
    identity = platform.start("identity", env=BEHIND_THE_GATEWAY)
    emails = [f"member-{n}@example.org" for n in range(50)]
    with identity.client() as http:
        answer = http.post(
            "/v1/sign-in", json={"email": emails[7]}, headers={"X-Forwarded-For": REPORTER}
        )
        assert answer.status_code == 202
    texts = _recoverable(platform, "identity", [*_ADDRESSES, *emails])
    assert not any(REPORTER in text for text in texts)


def test_sign_in_counts_clients_behind_the_gateway_apart(platform: Platform) -> None:
    identity = platform.start(
        "identity", env={"SAFEHANDS_SIGN_IN_LIMIT_PER_CLIENT": "2", **BEHIND_THE_GATEWAY}
    )

    def sign_in(client: str) -> int:
        email = f"someone-{uuid.uuid4().hex[:8]}@example.org"
        with identity.client() as http:
            headers = {"X-Forwarded-For": client}
            return http.post("/v1/sign-in", json={"email": email}, headers=headers).status_code

    assert [sign_in("198.51.100.1") for _ in range(3)] == [202, 202, 429]
    assert sign_in("198.51.100.2") == 202, "another client behind the gateway"


def _apply(platform_intake: Any, org: str, forwarded_for: str | None) -> int:
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    with platform_intake.client() as http:
        answer = http.post(f"/v1/orgs/{org}/applications", json=BODY, headers=headers)
        return int(answer.status_code)


def test_clients_behind_the_gateway_are_counted_apart_and_ipv6_per_64(
    platform: Platform,
) -> None:
    intake = platform.start(
        "intake", env={"SAFEHANDS_RATE_LIMIT_PER_CLIENT": "2", **BEHIND_THE_GATEWAY}
    )
    org = f"org-{uuid.uuid4().hex[:6]}"
    # The test talks to intake over loopback, as the gateway does: its header is believed.
    assert [_apply(intake, org, "198.51.100.1") for _ in range(3)] == [404, 404, 429]
    assert _apply(intake, org, "198.51.100.2") == 404, "another client behind the gateway"
    assert [_apply(intake, org, "2001:db8:1:2::5") for _ in range(2)] == [404, 404]
    assert _apply(intake, org, "2001:db8:1:2:ffff::9") == 429, "the same /64"
    assert _apply(intake, org, "2001:db8:1:3::5") == 404, "another /64"


def test_forwarded_for_from_an_untrusted_peer_is_ignored(platform: Platform) -> None:
    intake = platform.start(
        "intake",
        env={"SAFEHANDS_RATE_LIMIT_PER_CLIENT": "2", "SAFEHANDS_TRUSTED_PROXIES": "192.0.2.1/32"},
    )
    org = f"org-{uuid.uuid4().hex[:6]}"
    # Loopback is not a trusted proxy here: a made-up header does not make a new client.
    assert _apply(intake, org, "198.51.100.7") == 404
    assert _apply(intake, org, "198.51.100.8") == 404
    assert _apply(intake, org, "198.51.100.9") == 429
    assert _apply(intake, org, None) == 429


def test_forwarded_for_sent_to_a_service_port_directly_is_ignored_by_default(
    platform: Platform,
) -> None:
    intake = platform.start("intake", env={"SAFEHANDS_RATE_LIMIT_PER_CLIENT": "2"})
    org = f"org-{uuid.uuid4().hex[:6]}"
    # From loopback, but not configured to trust it: each made-up address is the same peer.
    assert _apply(intake, org, "198.51.100.11") == 404
    assert _apply(intake, org, "198.51.100.12") == 404
    assert _apply(intake, org, "198.51.100.13") == 429


def test_behind_the_gateway_the_client_is_the_one_the_gateway_names(
    platform: Platform,
) -> None:
    ensure_web_built()
    platform.start("intake", env={"SAFEHANDS_RATE_LIMIT_PER_CLIENT": "2", **BEHIND_THE_GATEWAY})
    org = f"org-{uuid.uuid4().hex[:6]}"

    def apply(gateway: str, forwarded_for: str) -> int:
        answer = httpx.post(
            f"{gateway}/api/intake/v1/orgs/{org}/applications",
            json=BODY,
            headers={"X-Forwarded-For": forwarded_for},
            timeout=10,
        )
        return answer.status_code

    # This test stands in for a TLS terminator in front of the gateway, on loopback: it
    # appends the address its client connected from to what that client claimed.
    behind = platform.start_gateway(env={"GATEWAY_TRUSTED_PROXIES": "127.0.0.1/32"}).url
    assert [apply(behind, "192.0.2.66, 198.51.100.21") for _ in range(3)] == [404, 404, 429]
    assert apply(behind, "198.51.100.21, 198.51.100.22") == 404, "another client of the proxy"

    # A gateway at the edge (the default) believes no client's header: every claim is the
    # same client, the peer.
    edge = platform.start_gateway().url
    assert [apply(edge, f"198.51.100.{n}") for n in range(30, 33)] == [404, 404, 429]
