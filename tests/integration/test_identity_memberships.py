"""Memberships that follow other services' events: VCPs (VCPAppointed, VCPDismissed) and
volunteers (VolunteerApplied, VolunteerDataErased), on the real broker and database."""

from __future__ import annotations

import email
import email.policy
import re
import uuid
from datetime import UTC, datetime
from pathlib import Path

import httpx
from pymongo import MongoClient

from shared.auth.tokens import create_key_pair, rotate_keys
from shared.events import Event
from shared.events.admission import OrganisationRegistered, VolunteerApplied, VolunteerDataErased
from shared.events.cloudevents import encode
from shared.events.reports import VCPAppointed, VCPDismissed
from tests.support.kafka import produce
from tests.support.platform import Infrastructure, Platform, eventually


async def publish(infra: Infrastructure, event: Event) -> None:
    record = encode(event, "/tests")
    await produce(infra.kafka_bootstrap, record.topic, record.value, record.key, record.headers)


def code_mailed_to(infra: Infrastructure, address: str) -> str:
    def find() -> str | None:
        for path in sorted(infra.maildir.glob("*.eml")):
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            if str(message["To"]) == address:
                assert isinstance(message, email.message.EmailMessage)
                body = message.get_body(("plain",))
                assert body is not None
                match = re.search(r"#code=([A-Za-z0-9_-]+)", str(body.get_content()))  # type: ignore[attr-defined]
                return match[1] if match else None
        return None

    found: str = eventually(find)
    return found


async def test_vcp_and_volunteer_memberships_follow_their_events(
    platform: Platform, infra: Infrastructure
) -> None:
    identity = platform.start("identity")
    org = f"org-{uuid.uuid4().hex[:6]}"
    volunteer_id, vcp_id = f"v-{uuid.uuid4().hex[:6]}", "vera"
    anna = f"Anna-{volunteer_id}@Example.org"
    vera = f"vera-{org}@example.org"
    now = datetime.now(UTC)
    await publish(infra, OrganisationRegistered(org_id=org, name="De Bevers", language="en"))
    await publish(
        infra,
        VolunteerApplied(
            org_id=org,
            volunteer_id=volunteer_id,
            application_id=str(uuid.uuid4()),
            role_id="coach",
            name="Anna",
            email=anna,
            applied_at=now,
        ),
    )
    await publish(
        infra,
        VCPAppointed(
            org_id=org,
            vcp_id=vcp_id,
            name="Vera",
            email=vera,
            public_key={"suite": "X25519", "key": "AAAA"},
            fingerprint="f" * 32,
        ),
    )
    admin = {"Authorization": f"Bearer {infra.token('admin', org)}"}
    with identity.client() as http:

        def members() -> list[dict[str, object]]:
            answer = http.get(f"/v1/orgs/{org}/members", headers=admin)
            assert answer.status_code == 200, answer.text
            rows: list[dict[str, object]] = answer.json()
            # Not the admin whose token the test minted (recorded as `safehands token` does).
            return [row for row in rows if row["sub"] != "test-admin"]

        listed = eventually(lambda: len(members()) == 2 and members(), timeout=30)
        assert sorted((m["roles"][0], m["sub"], m["email"]) for m in listed) == [  # type: ignore[index]
            ("vcp", vcp_id, vera),
            ("volunteer", volunteer_id, anna.lower()),
        ]
        # Neither can be removed here: reports and the erasure own those memberships.
        for member in listed:
            removed = http.delete(f"/v1/orgs/{org}/members/{member['member_id']}", headers=admin)
            assert removed.status_code == 409

        # The volunteer signs in with the address they applied with (any case), in English.
        assert http.post("/v1/sign-in", json={"email": anna.upper()}).status_code == 202
        code = code_mailed_to(infra, anna.lower())
        session = http.post("/v1/sign-in/exchange", json={"code": code}).json()
        assert session["memberships"] == [
            {"org_id": org, "roles": ["volunteer"], "sub": volunteer_id}
        ]
        token = http.post(
            "/v1/tokens", json={"refresh_token": session["refresh_token"], "org_id": org}
        )
        assert token.status_code == 200

        await publish(infra, VolunteerDataErased(org_id=org, volunteer_id=volunteer_id))
        await publish(
            infra, VCPDismissed(org_id=org, vcp_id=vcp_id, fingerprint="f" * 32, dismissed_at=now)
        )
        eventually(lambda: members() == [], timeout=30)
        after = http.post(
            "/v1/tokens", json={"refresh_token": token.json()["refresh_token"], "org_id": org}
        )
        assert after.status_code == 401
    # The erased volunteer's address is gone from identity's memberships and people.
    database = f"{platform.database}_identity"
    with MongoClient(infra.mongo_uri) as mongo:
        for collection in ("memberships", "people"):
            assert mongo[database][collection].count_documents({"email": anna.lower()}) == 0


def test_the_jwks_publishes_the_signing_key_and_the_next_one(platform: Platform) -> None:
    identity = platform.start("identity")
    keys = httpx.get(f"{identity.url}/.well-known/jwks.json").json()["keys"]
    assert [(k["kty"], k["crv"], k["alg"]) for k in keys] == [("OKP", "Ed25519", "EdDSA")] * 2
    assert all(len(key["kid"]) == 43 for key in keys)


def test_a_rotation_reaches_the_running_identity(platform: Platform, tmp_path: Path) -> None:
    private, public = tmp_path / "jwt_private.pem", tmp_path / "jwt_public.pem"
    create_key_pair(private, public)
    identity = platform.start(
        "identity",
        env={
            "SAFEHANDS_JWT_PRIVATE_KEY_FILE": str(private),
            "SAFEHANDS_JWT_PUBLIC_KEY_FILE": str(public),
        },
    )

    def kids() -> list[str]:
        keys = httpx.get(f"{identity.url}/.well-known/jwks.json").json()["keys"]
        return [key["kid"] for key in keys]

    current, upcoming = kids()
    became_current, new_next = rotate_keys(private, public)
    assert became_current == upcoming
    # No restart: identity notices the replaced key files.
    assert kids() == [upcoming, new_next]
    assert current not in kids()
