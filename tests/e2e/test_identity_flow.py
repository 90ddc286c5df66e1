"""People and sign-in, end to end: the five services as processes (the others verifying
tokens with identity's JWKS), the real broker and database, mails taken from the SMTP sink.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import re
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pymongo import MongoClient

from cli.embedded import free_port, wait_for_port
from cli.gateway import gateway_process
from services.identity.domain.sessions import ROTATION_GRACE
from shared.auth.tokens import key_id, load_private_key, sign_token
from shared.crypto import PrivateKey
from shared.events.identity import MemberAdded, MemberRemoved
from tests.e2e.conftest import IDENTITY_ENV, OPERATOR_EMAIL
from tests.support.kafka import kafka_blobs, read_topic
from tests.support.mail import body_text, mails_to
from tests.support.platform import Infrastructure, RunningService, bearer, eventually
from tests.support.vcps import appoint_vcp

pytestmark = pytest.mark.e2e

WEB = IDENTITY_ENV["SAFEHANDS_WEB_URL"]
CODE_IN_LINK = re.compile(re.escape(WEB) + r"/sign-in/callback#code=([A-Za-z0-9_-]+)")
# Every sign-in code seen by this module, for the canary scan at its end.
SEEN_CODES: list[str] = []


def unique_address(who: str) -> str:
    return f"{who}-{uuid.uuid4().hex[:8]}@example.org"


def links_to(infra: Infrastructure, address: str) -> list[str]:
    """The sign-in codes of the mails to `address` that carry one, oldest first: notify's
    mails (a VCP hears of a colleague, for one) arrive in between and carry none."""
    texts = (body_text(message) for message in mails_to(infra.maildir, address))
    return [match[1] for match in map(CODE_IN_LINK.search, texts) if match]


def code_from_mail(infra: Infrastructure, address: str, nth: int = 1) -> str:
    """The code of the `nth` sign-in or invitation mail to `address`, once it has arrived."""
    codes = eventually(lambda: len(links_to(infra, address)) >= nth and links_to(infra, address))
    SEEN_CODES.append(codes[nth - 1])
    return str(codes[nth - 1])


@pytest.fixture(scope="module")
def identity(services: dict[str, RunningService]) -> Iterator[httpx.Client]:
    with services["identity"].client() as client:
        yield client


@pytest.fixture(scope="module")
def operator(infra: Infrastructure) -> dict[str, str]:
    return bearer(infra.token("operator"))


def register(services: dict[str, RunningService], operator: dict[str, str], lang: str) -> str:
    org = f"org-{uuid.uuid4().hex[:6]}"
    with services["policy"].client() as policy:
        answer = policy.post(
            "/v1/orgs",
            json={"org_id": org, "name": f"Club {org}", "language": lang},
            headers=operator,
        )
    assert answer.status_code == 201, answer.text
    return org


def invite(
    identity: httpx.Client, org: str, inviter: dict[str, str], address: str, roles: list[str]
) -> str:
    """Invite once identity has heard of the organisation (OrganisationRegistered)."""
    body = {"email": address, "name": "Sam Jansen", "roles": roles}
    answer = eventually(
        lambda: (
            (a := identity.post(f"/v1/orgs/{org}/members", json=body, headers=inviter)).status_code
            != 404
            and a
        )
    )
    assert answer.status_code == 201, answer.text
    return str(answer.json()["member_id"])


def sign_in(identity: httpx.Client, infra: Infrastructure, address: str) -> dict[str, Any]:
    before = len(links_to(infra, address))
    assert identity.post("/v1/sign-in", json={"email": address}).status_code == 202
    code = code_from_mail(infra, address, before + 1)
    answer = identity.post("/v1/sign-in/exchange", json={"code": code})
    assert answer.status_code == 200, answer.text
    session: dict[str, Any] = answer.json()
    return session


def tokens_for(identity: httpx.Client, refresh_token: str, org: str | None) -> httpx.Response:
    return identity.post("/v1/tokens", json={"refresh_token": refresh_token, "org_id": org})


# --- invitation, sign-in, tokens, members -------------------------------------------------


def test_an_invited_admin_signs_in_from_the_mail_and_acts_as_admin_everywhere(
    infra: Infrastructure,
    services: dict[str, RunningService],
    identity: httpx.Client,
    operator: dict[str, str],
) -> None:
    org = register(services, operator, "en")
    admin_address = unique_address("admin")
    admin_id = invite(identity, org, operator, admin_address, ["admin"])

    invitation = eventually(lambda: mails_to(infra.maildir, admin_address))[0]
    assert invitation["X-SafeHands-Kind"] == "invitation"
    assert str(invitation["Subject"]) == f"You are invited to Club {org} on SafeHands"
    code = code_from_mail(infra, admin_address)

    exchanged = identity.post("/v1/sign-in/exchange", json={"code": code})
    assert exchanged.status_code == 200, exchanged.text
    session = exchanged.json()
    assert session["memberships"] == [{"org_id": org, "roles": ["admin"], "sub": admin_id}]
    # The link works once.
    again = identity.post("/v1/sign-in/exchange", json={"code": code})
    assert again.status_code == 400 and "new link" in again.json()["detail"]

    issued = tokens_for(identity, session["refresh_token"], org)
    assert issued.status_code == 200, issued.text
    access = issued.json()
    assert access["expires_in"] == 600 and access["refresh_token"] != session["refresh_token"]
    header = jwt.get_unverified_header(access["access_token"])
    claims = jwt.decode(access["access_token"], options={"verify_signature": False})
    jwks = identity.get("/.well-known/jwks.json").json()
    assert header["alg"] == "EdDSA" and header["kid"] == jwks["keys"][0]["kid"]
    assert jwks["keys"][0]["kty"] == "OKP" and jwks["keys"][0]["crv"] == "Ed25519"
    assert (claims["iss"], claims["aud"], claims["sub"], claims["org"], claims["roles"]) == (
        "safehands",
        "safehands",
        admin_id,
        org,
        ["admin"],
    )
    assert 0 < claims["exp"] - claims["iat"] <= 600
    admin = bearer(access["access_token"])

    # An admin route of another service accepts it (verified with identity's JWKS) ...
    with services["policy"].client() as policy:
        role = {"title": "Coach", "works_with_minors": True, "works_with_vulnerable": False}
        defined = policy.put(f"/v1/orgs/{org}/roles/coach", json=role, headers=admin)
        assert defined.status_code == 200, defined.text
    # ... and identity's own: the members list.
    members = identity.get(f"/v1/orgs/{org}/members", headers=admin)
    assert members.status_code == 200
    assert [(m["member_id"], m["email"], m["roles"]) for m in members.json()] == [
        (admin_id, admin_address, ["admin"])
    ]

    # The last admin cannot be removed; a second admin can be, and then the first cannot.
    last = identity.delete(f"/v1/orgs/{org}/members/{admin_id}", headers=admin)
    assert last.status_code == 409 and "last admin" in last.json()["detail"]
    second = invite(identity, org, admin, unique_address("second-admin"), ["admin"])
    assert identity.delete(f"/v1/orgs/{org}/members/{second}", headers=admin).status_code == 204
    assert identity.delete(f"/v1/orgs/{org}/members/{admin_id}", headers=admin).status_code == 409
    # A coordinator may not invite, nor may an admin of another organisation.
    coordinator = bearer(infra.token("coordinator", org))
    body = {"email": unique_address("x"), "name": "X", "roles": ["coordinator"]}
    assert (
        identity.post(f"/v1/orgs/{org}/members", json=body, headers=coordinator).status_code == 403
    )
    elsewhere = bearer(infra.token("admin", "org-elsewhere"))
    assert identity.post(f"/v1/orgs/{org}/members", json=body, headers=elsewhere).status_code == 404


def test_a_removed_coordinator_cannot_refresh_and_member_events_carry_no_secret(
    infra: Infrastructure,
    services: dict[str, RunningService],
    identity: httpx.Client,
    operator: dict[str, str],
) -> None:
    org = register(services, operator, "nl")
    admin = bearer(infra.token("admin", org))
    address = unique_address("coordinator")
    member_id = invite(identity, org, operator, address, ["coordinator"])
    invitation = eventually(lambda: mails_to(infra.maildir, address))[0]
    assert str(invitation["Subject"]) == f"Uitnodiging voor Club {org} op SafeHands"
    code = code_from_mail(infra, address)
    session = identity.post("/v1/sign-in/exchange", json={"code": code}).json()
    first = tokens_for(identity, session["refresh_token"], org)
    assert first.status_code == 200
    claims = jwt.decode(first.json()["access_token"], options={"verify_signature": False})
    assert claims["roles"] == ["coordinator"] and claims["sub"] == member_id

    # Another organisation's token: they hold no membership there.
    refused = tokens_for(identity, first.json()["refresh_token"], "org-elsewhere")
    assert refused.status_code == 401
    # Refused for that organisation does not end the session for this one.
    second = tokens_for(identity, first.json()["refresh_token"], org)
    assert second.status_code == 200, second.text

    removed = identity.delete(f"/v1/orgs/{org}/members/{member_id}", headers=admin)
    assert removed.status_code == 204
    after = tokens_for(identity, second.json()["refresh_token"], org)
    assert after.status_code == 401 and "membership" in after.json()["detail"]

    def member_events(records: list[Any]) -> list[dict[str, Any]]:
        return [
            json.loads(r.value) for r in records if (r.key or b"").decode() == f"{org}:{member_id}"
        ]

    records = eventually(
        lambda: (
            len(member_events(_read("safehands.member", infra))) >= 2
            and _read("safehands.member", infra)
        ),
        timeout=30,
    )
    added, gone = member_events(records)[:2]
    assert MemberAdded.model_validate(added).roles == ["coordinator"]
    assert MemberRemoved.model_validate(gone).member_id == member_id
    # The staff member's address travels once, in MemberAdded's `email`, for notify's mails to
    # the organisation's staff (withheld from webhooks); nowhere else, and never a secret.
    assert MemberAdded.model_validate(added).email == address
    assert address not in json.dumps({k: v for k, v in added.items() if k != "email"})
    assert address not in json.dumps(gone)
    for event in (added, gone):
        assert code not in json.dumps(event)
        assert session["refresh_token"] not in json.dumps(event)


def _read(topic: str, infra: Infrastructure) -> list[Any]:
    return asyncio.run(read_topic(infra.kafka_bootstrap, topic, timeout=3))


def test_refresh_tokens_rotate_a_reused_one_ends_the_session_and_sign_out_ends_it(
    infra: Infrastructure, identity: httpx.Client
) -> None:
    session = sign_in(identity, infra, OPERATOR_EMAIL)
    assert session["memberships"][0]["org_id"] is None
    assert session["memberships"][0]["roles"] == ["operator"]
    first = tokens_for(identity, session["refresh_token"], None)
    assert first.status_code == 200
    second = tokens_for(identity, first.json()["refresh_token"], None)
    assert second.status_code == 200
    # Presented again at once (a reload cut off the answer): another token, same session.
    again = tokens_for(identity, first.json()["refresh_token"], None)
    assert again.status_code == 200, again.text
    assert tokens_for(identity, again.json()["refresh_token"], None).status_code == 200
    # The first refresh token was rotated away long enough ago: presenting it again revokes
    # the chain, so the newest one stops working too.
    time.sleep(ROTATION_GRACE.total_seconds())
    reused = tokens_for(identity, session["refresh_token"], None)
    assert reused.status_code == 401
    assert tokens_for(identity, second.json()["refresh_token"], None).status_code == 401

    other = sign_in(identity, infra, OPERATOR_EMAIL)
    assert (
        identity.post("/v1/sign-out", json={"refresh_token": other["refresh_token"]}).status_code
        == 204
    )
    assert tokens_for(identity, other["refresh_token"], None).status_code == 401
    assert identity.post("/v1/tokens", json={"refresh_token": "made-up"}).status_code == 401


# --- sign-in requests ---------------------------------------------------------------------


def test_an_unknown_address_gets_the_same_answer_and_no_mail(
    infra: Infrastructure, services: dict[str, RunningService], identity: httpx.Client
) -> None:
    unknown = unique_address("nobody")
    known = "second-operator@example.org"  # an operator, from SAFEHANDS_OPERATOR_EMAILS

    def ask(address: str) -> tuple[httpx.Response, float]:
        started = time.perf_counter()
        answer = identity.post("/v1/sign-in", json={"email": address})
        return answer, time.perf_counter() - started

    timings: dict[str, list[float]] = {"known": [], "unknown": []}
    for _ in range(4):
        for label, address in (("unknown", unknown), ("known", known)):
            answer, seconds = ask(address)
            assert (answer.status_code, answer.json()) == (202, {}), answer.text
            assert dict(answer.headers).keys() >= {"content-type", "content-length"}
            timings[label].append(seconds)
    # The same database work either way; a mail is only queued in memory. A known address
    # must not cost a whole extra round trip more. Compared by the fastest of each: a busy
    # machine only ever adds time, so the minimum is the estimate noise disturbs least.
    known_fastest, unknown_fastest = (min(timings[k]) for k in ("known", "unknown"))
    assert abs(known_fastest - unknown_fastest) < max(0.05, 0.5 * unknown_fastest), timings

    # Mails go out in order: once the known address's fourth mail is in, nothing for the
    # unknown address can still be on its way.
    eventually(lambda: len(mails_to(infra.maildir, known)) >= 4)
    assert mails_to(infra.maildir, unknown) == []
    for message in mails_to(infra.maildir, known):
        match = CODE_IN_LINK.search(body_text(message))
        assert match
        SEEN_CODES.append(match[1])
    assert str(mails_to(infra.maildir, known)[0]["Subject"]) == "Je inloglink voor SafeHands"
    # The unknown address was not kept, although a code was stored for it as for the other.
    database = f"{services['identity'].child.env['SAFEHANDS_MONGO_DATABASE']}_identity"
    with MongoClient(infra.mongo_uri) as mongo:
        codes = mongo[database]["sign_in_codes"]
        assert codes.count_documents({"email": unknown}) == 0
        assert codes.count_documents({"email": None}) >= 4


def test_bad_sign_in_requests(identity: httpx.Client) -> None:
    for body in (
        {"email": "not an address"},
        {"email": "a@b"},
        {},
        {"email": "a@example.org", "next": "https://evil.example"},
        {"email": "a@example.org", "next": "//evil.example"},
    ):
        answer = identity.post("/v1/sign-in", json=body)
        assert answer.status_code == 422, body
        assert answer.json()["detail"].startswith("Invalid input")
    for code in ("", "x" * 201):
        assert identity.post("/v1/sign-in/exchange", json={"code": code}).status_code == 422
    assert identity.post("/v1/sign-in/exchange", json={"code": "made-up"}).status_code == 400


def test_a_link_expires_after_fifteen_minutes(
    infra: Infrastructure, services: dict[str, RunningService], identity: httpx.Client
) -> None:
    address = "second-operator@example.org"
    before = len(links_to(infra, address))
    assert identity.post("/v1/sign-in", json={"email": address}).status_code == 202
    code = code_from_mail(infra, address, before + 1)
    database = f"{services['identity'].child.env['SAFEHANDS_MONGO_DATABASE']}_identity"
    code_hash = hashlib.sha256(code.encode()).hexdigest()
    with MongoClient(infra.mongo_uri, tz_aware=True) as mongo:
        stored = mongo[database]["sign_in_codes"].find_one({"code_hash": code_hash})
        assert stored is not None
        # Stored as its hash only, valid for fifteen minutes.
        assert code not in json.dumps(stored, default=str)
        assert stored["expires_at"] - stored["created_at"] == timedelta(minutes=15)
        # Fifteen minutes pass (for this code).
        mongo[database]["sign_in_codes"].update_one(
            {"code_hash": code_hash},
            {"$set": {"expires_at": datetime.now(UTC) - timedelta(seconds=1)}},
        )
    expired = identity.post("/v1/sign-in/exchange", json={"code": code})
    assert expired.status_code == 400, expired.text


# --- VCPs: reports refuses a dismissed VCP's token at once ---------------------------------


def test_a_dismissed_vcps_token_gets_403_on_every_reports_route_at_once(
    infra: Infrastructure, services: dict[str, RunningService], identity: httpx.Client
) -> None:
    org = f"org-{uuid.uuid4().hex[:6]}"
    admin = bearer(infra.token("admin", org))
    reports = services["reports"].client()
    for vcp_id in ("vera", "bram"):
        appoint_vcp(
            reports,
            org,
            vcp_id,
            PrivateKey.generate(),
            admin=admin,
            vcp=bearer(infra.token("vcp", org, vcp_id)),
            name=vcp_id.title(),
            email=f"{vcp_id}-{org}@example.org",
        )
    vera = bearer(infra.token("vcp", org, "vera"))
    assert reports.get(f"/v1/orgs/{org}/reports", headers=vera).status_code == 200
    never = bearer(infra.token("vcp", org, "never-appointed"))

    # identity follows the appointment: vera can sign in as VCP of the organisation.
    session = eventually(
        lambda: (
            identity.post("/v1/sign-in", json={"email": f"vera-{org}@example.org"}).status_code
            == 202
            and mails_to(infra.maildir, f"vera-{org}@example.org")
        ),
        timeout=30,
    )
    assert session
    code = code_from_mail(infra, f"vera-{org}@example.org")
    memberships = identity.post("/v1/sign-in/exchange", json={"code": code}).json()["memberships"]
    assert memberships == [{"org_id": org, "roles": ["vcp"], "sub": "vera"}]

    dismissed = reports.delete(f"/v1/orgs/{org}/vcps/vera", headers=admin)
    assert dismissed.status_code == 204, dismissed.text

    routes = reports.get("/openapi.json").json()["paths"]
    tried = 0
    for path, methods in routes.items():
        concrete = re.sub(r"\{org\}", org, path)
        concrete = re.sub(r"\{[a-z_]+\}", "x", concrete)
        for method in methods:
            for token in (vera, never):
                answer = reports.request(method.upper(), concrete, headers=token, json={})
                assert answer.status_code == 403, (method, path, answer.text)
                tried += 1
    assert tried >= 2 * 15
    # The organisation's appointed VCP still gets in.
    assert (
        reports.get(
            f"/v1/orgs/{org}/reports", headers=bearer(infra.token("vcp", org, "bram"))
        ).status_code
        == 200
    )
    reports.close()


# --- forged and broken tokens: 401 everywhere ----------------------------------------------


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _claims(org: str, **changes: Any) -> dict[str, Any]:
    now = int(time.time())
    claims = {
        "iss": "safehands",
        "aud": "safehands",
        "sub": "someone",
        "org": org,
        "roles": ["admin", "coordinator"],
        "iat": now,
        "exp": now + 300,
        **changes,
    }
    return {k: v for k, v in claims.items() if v is not None}


def broken_tokens(infra: Infrastructure, org: str) -> dict[str, str]:
    private = load_private_key(infra.jwt_private_key)
    kid = key_id(private.public_key())
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )

    def signed(claims: dict[str, Any]) -> str:
        return jwt.encode(claims, private, algorithm="EdDSA", headers={"kid": kid})

    def unsigned(header: dict[str, Any], claims: dict[str, Any], mac_key: bytes | None) -> str:
        head = _b64(json.dumps(header).encode()) + "." + _b64(json.dumps(claims).encode())
        signature = hmac.new(mac_key, head.encode(), hashlib.sha256).digest() if mac_key else b""
        return head + "." + _b64(signature)

    stranger = Ed25519PrivateKey.generate()
    valid = signed(_claims(org))
    head, _payload, signature = valid.split(".")
    tampered_claims = _claims(org, roles=["admin", "coordinator", "operator"])
    return {
        "alg none": unsigned({"alg": "none", "typ": "JWT", "kid": kid}, _claims(org), None),
        "HS256 with the public key": unsigned(
            {"alg": "HS256", "typ": "JWT", "kid": kid}, _claims(org), public_pem
        ),
        "unknown kid": jwt.encode(
            _claims(org),
            stranger,
            algorithm="EdDSA",
            headers={"kid": key_id(stranger.public_key())},
        ),
        "known kid, another key": jwt.encode(
            _claims(org), stranger, algorithm="EdDSA", headers={"kid": kid}
        ),
        "no kid": jwt.encode(_claims(org), private, algorithm="EdDSA"),
        "expired": signed(_claims(org, iat=int(time.time()) - 7200, exp=int(time.time()) - 3600)),
        "wrong aud": signed(_claims(org, aud="someone-else")),
        "no aud": signed(_claims(org, aud=None)),
        "wrong iss": signed(_claims(org, iss="https://idp.example")),
        "tampered payload": f"{head}.{_b64(json.dumps(tampered_claims).encode())}.{signature}",
    }


def test_broken_tokens_get_401_from_every_service(
    infra: Infrastructure, services: dict[str, RunningService]
) -> None:
    org = f"org-{uuid.uuid4().hex[:6]}"
    # One route per service that needs an admin or coordinator of the organisation.
    routes = {
        "identity": ("GET", f"/v1/orgs/{org}/members"),
        "intake": ("POST", f"/v1/orgs/{org}/volunteers/v-1/vog"),
        "policy": ("GET", f"/v1/orgs/{org}/gratis-vog"),
        "reports": ("GET", f"/v1/orgs/{org}/stats"),
        "notify": ("GET", f"/v1/orgs/{org}/webhooks"),
    }
    assert set(routes) == set(services)
    private = load_private_key(infra.jwt_private_key)
    # Someone who is a member with both roles, as `safehands token` records them.
    infra.memberships.mint(org, "someone", "admin")
    infra.memberships.mint(org, "someone", "coordinator")
    good = sign_token(
        private,
        roles=["admin", "coordinator"],
        org=org,
        sub="someone",
        issued_at=datetime.now(UTC),
        lifetime=timedelta(minutes=5),
    )
    for name, (method, path) in routes.items():
        with services[name].client() as client:
            # The control: the same route with a good token is not refused as unauthenticated.
            control = client.request(method, path, headers=bearer(good), json={})
            assert control.status_code not in (401, 403), (name, control.text)
            for label, token in broken_tokens(infra, org).items():
                answer = client.request(method, path, headers=bearer(token), json={})
                assert answer.status_code == 401, (name, label, answer.text)
                assert answer.json() == {"detail": "The bearer token is invalid or has expired."}


def test_a_browser_keeps_its_refresh_token_in_an_httponly_cookie_only(
    infra: Infrastructure, identity: httpx.Client
) -> None:
    browser = {"X-SafeHands-Session": "cookie"}
    before = len(links_to(infra, OPERATOR_EMAIL))
    assert identity.post("/v1/sign-in", json={"email": OPERATOR_EMAIL}).status_code == 202
    code = code_from_mail(infra, OPERATOR_EMAIL, before + 1)
    exchanged = identity.post("/v1/sign-in/exchange", json={"code": code}, headers=browser)
    assert exchanged.status_code == 200
    assert exchanged.json()["refresh_token"] == ""
    cookie = exchanged.headers["set-cookie"]
    for attribute in ("HttpOnly", "SameSite=strict", "Path=/api/identity/v1/", "Max-Age=43200"):
        assert attribute.lower() in cookie.lower(), cookie
    first = exchanged.cookies["safehands_refresh"]
    assert len(first) >= 43

    def refresh(value: str) -> httpx.Response:
        return identity.post(
            "/v1/tokens",
            json={"org_id": None},
            headers={**browser, "Cookie": f"safehands_refresh={value}"},
        )

    renewed = refresh(first)
    assert renewed.status_code == 200, renewed.text
    assert renewed.json()["refresh_token"] == "" and renewed.json()["access_token"]
    second = renewed.cookies["safehands_refresh"]
    assert second != first
    # Without the opt-in header the cookie is not looked at (no cross-site form can send it).
    assert (
        identity.post(
            "/v1/tokens", json={"org_id": None}, headers={"Cookie": f"safehands_refresh={second}"}
        ).status_code
        == 401
    )
    signed_out = identity.post(
        "/v1/sign-out", json={}, headers={**browser, "Cookie": f"safehands_refresh={second}"}
    )
    assert signed_out.status_code == 204
    assert (
        'safehands_refresh=""' in signed_out.headers["set-cookie"]
        or "Max-Age=0" in signed_out.headers["set-cookie"]
    )
    assert refresh(second).status_code == 401


def test_through_the_gateway_the_cookie_goes_back_to_identity_only(
    infra: Infrastructure,
    services: dict[str, RunningService],
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """The browser's view: identity behind the gateway at /api/identity/, the cookie scoped
    to that path, so it is sent to the token route and to no other service."""
    root = tmp_path_factory.mktemp("gateway")
    (root / "web").mkdir()
    (root / "web" / "index.html").write_text("<!doctype html><title>SafeHands</title>")
    upstreams = {name: service.url.removeprefix("http://") for name, service in services.items()}
    gateway = gateway_process(free_port(), upstreams, root / "web", root / "state", root)
    gateway.start()
    try:
        wait_for_port(gateway, timeout=30)
        address = "second-operator@example.org"
        before = len(links_to(infra, address))
        with httpx.Client(base_url=f"http://127.0.0.1:{gateway.port}", timeout=10) as browser:
            browser.headers["X-SafeHands-Session"] = "cookie"
            asked = browser.post("/api/identity/v1/sign-in", json={"email": address})
            assert asked.status_code == 202, asked.text
            code = code_from_mail(infra, address, before + 1)
            exchanged = browser.post("/api/identity/v1/sign-in/exchange", json={"code": code})
            assert exchanged.status_code == 200 and exchanged.json()["refresh_token"] == ""
            # The client's cookie jar sends it back on identity's path by itself.
            renewed = browser.post("/api/identity/v1/tokens", json={"org_id": None})
            assert renewed.status_code == 200, renewed.text
            operator = bearer(renewed.json()["access_token"])
            # The token works on another service behind the gateway.
            listed = browser.get("/api/policy/v1/advice-requests", headers=operator)
            assert listed.status_code == 200, listed.text
            jar = [(c.name, c.path) for c in browser.cookies.jar]
            assert jar == [("safehands_refresh", "/api/identity/v1/")]
            assert browser.post("/api/identity/v1/sign-out", json={}).status_code == 204
            assert browser.post("/api/identity/v1/tokens", json={"org_id": None}).status_code == 401
    finally:
        gateway.stop()


# --- the canary: sign-in codes never reach a log or the bus -------------------------------


async def test_no_sign_in_code_reaches_a_log_or_the_bus(
    infra: Infrastructure, services: dict[str, RunningService]
) -> None:
    """Runs last in this module: every code mailed above is searched for."""
    assert len(SEEN_CODES) >= 5, SEEN_CODES
    blobs = await kafka_blobs(infra.kafka_bootstrap)
    # The control: the bus is readable here (the member events of this module are on it).
    assert any(b"nl.safehands.member.added.v1" in blob for blob in blobs)
    logs = {name: service.log_text() for name, service in services.items()}
    assert "mail sent" in logs["identity"]
    for code in SEEN_CODES:
        assert not any(code.encode() in blob for blob in blobs), "a sign-in code on the bus"
        for name, text in logs.items():
            assert code not in text, f"a sign-in code in {name}'s log"
