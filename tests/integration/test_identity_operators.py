"""Operators with no restart (issue 20, item 6), on the real broker and database: `safehands
operator add` makes someone an operator of the running platform, who then signs in by mail
like everyone else and acts in another service; operators are listed and removed through
identity by an operator (never oneself); a removed operator's still valid token is refused at
once in identity and, as soon as OperatorRemoved reaches it, in policy; adding them again
lets them back in. Without the projection, policy accepted that token until it expired."""

from __future__ import annotations

import asyncio
import uuid

import httpx
from typer.testing import CliRunner

from cli.main import app
from tests.support.mail import mails_to, wait_for_sign_in_code
from tests.support.platform import Platform, RunningService, bearer, eventually

SEED = f"seed-{uuid.uuid4().hex[:6]}@example.org"
NEW = f"New-{uuid.uuid4().hex[:6]}@Example.org"
NEW_ADDRESS = NEW.lower()
NO_LONGER = "no longer a member"


def sign_in(client: httpx.Client, platform: Platform, address: str) -> tuple[str, str]:
    """(an operator access token, the refresh token) for `address`, signed in by mail."""
    before = len(mails_to(platform.infra.maildir, address))
    assert client.post("/v1/sign-in", json={"email": address}).status_code == 202
    code = asyncio.run(wait_for_sign_in_code(platform.infra.maildir, address, after=before))
    exchanged = client.post("/v1/sign-in/exchange", json={"code": code})
    assert exchanged.status_code == 200, exchanged.text
    assert [m["roles"] for m in exchanged.json()["memberships"]] == [["operator"]]
    tokens = client.post(
        "/v1/tokens", json={"refresh_token": exchanged.json()["refresh_token"], "org_id": None}
    )
    assert tokens.status_code == 200, tokens.text
    return tokens.json()["access_token"], tokens.json()["refresh_token"]


def operator_add(platform: Platform, address: str) -> None:
    added = CliRunner().invoke(
        app,
        ["operator", "add", address],
        env={
            "SAFEHANDS_MONGO_URI": platform.infra.mongo_uri,
            "SAFEHANDS_MONGO_DATABASE": platform.database,
            "SAFEHANDS_DATA_DIR": str(platform.infra.data_dir),
        },
    )
    assert added.exit_code == 0, added.output
    assert "is an operator now" in added.output


def test_operators_are_added_and_removed_without_a_restart(platform: Platform) -> None:
    identity = platform.start("identity", env={"SAFEHANDS_OPERATOR_EMAILS": SEED})
    policy: RunningService = platform.start(
        "policy", env={"SAFEHANDS_JWKS_URL": f"{identity.url}/.well-known/jwks.json"}
    )
    with identity.client() as ids, policy.client() as pol:
        # Not an operator yet: no mail, nothing to sign in to.
        before = len(mails_to(platform.infra.maildir, NEW_ADDRESS))
        assert ids.post("/v1/sign-in", json={"email": NEW_ADDRESS}).status_code == 202

        operator_add(platform, NEW)
        new_token, new_refresh = sign_in(ids, platform, NEW_ADDRESS)
        assert len(mails_to(platform.infra.maildir, NEW_ADDRESS)) == before + 1
        assert pol.get("/v1/advice-requests", headers=bearer(new_token)).status_code == 200

        seed_token, _ = sign_in(ids, platform, SEED)
        listed = ids.get("/v1/operators", headers=bearer(seed_token))
        assert listed.status_code == 200, listed.text
        rows = {row["email"]: row for row in listed.json()}
        assert set(rows) == {SEED, NEW_ADDRESS}
        assert rows[SEED]["seed"] is True and rows[NEW_ADDRESS]["seed"] is False

        # Never oneself (so never the last one); only operators manage operators.
        myself = ids.delete(
            f"/v1/operators/{rows[SEED]['operator_id']}", headers=bearer(seed_token)
        )
        assert myself.status_code == 409, myself.text
        assert ids.get("/v1/operators").status_code == 401
        assert ids.delete("/v1/operators/nobody", headers=bearer(seed_token)).status_code == 404

        removed = ids.delete(
            f"/v1/operators/{rows[NEW_ADDRESS]['operator_id']}", headers=bearer(seed_token)
        )
        assert removed.status_code == 204, removed.text
        # identity refuses at once (the same transaction), policy once the event arrives.
        at_identity = ids.get("/v1/operators", headers=bearer(new_token))
        assert at_identity.status_code == 403 and NO_LONGER in at_identity.json()["detail"]
        eventually(
            lambda: pol.get("/v1/advice-requests", headers=bearer(new_token)).status_code == 403,
            timeout=30,
        )
        again = ids.post("/v1/tokens", json={"refresh_token": new_refresh, "org_id": None})
        assert again.status_code == 401
        after = len(mails_to(platform.infra.maildir, NEW_ADDRESS))
        assert ids.post("/v1/sign-in", json={"email": NEW_ADDRESS}).status_code == 202
        assert [
            r["email"] for r in ids.get("/v1/operators", headers=bearer(seed_token)).json()
        ] == [SEED]

        # Added again (here by the other operator, through the API): back in everywhere.
        readded = ids.post("/v1/operators", json={"email": NEW}, headers=bearer(seed_token))
        assert readded.status_code == 201, readded.text
        assert readded.json()["operator_id"] == rows[NEW_ADDRESS]["operator_id"]
        back_token, _ = sign_in(ids, platform, NEW_ADDRESS)
        assert len(mails_to(platform.infra.maildir, NEW_ADDRESS)) == after + 1
        eventually(
            lambda: pol.get("/v1/advice-requests", headers=bearer(back_token)).status_code == 200,
            timeout=30,
        )

        # The platform's own slug is no organisation's.
        platform_org = pol.post(
            "/v1/orgs", json={"org_id": "platform", "name": "Platform"}, headers=bearer(seed_token)
        )
        assert platform_org.status_code == 422
