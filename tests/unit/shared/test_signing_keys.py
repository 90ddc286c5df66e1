"""Signing keys that can be rotated and leak no further: key files 0600 from their creation,
a JWKS with the current and the next key, `safehands keys rotate`, a maximum token lifetime,
and tokens of another OpenID Connect provider whose `kid` is not a thumbprint."""

from __future__ import annotations

import json
import stat
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from typer.testing import CliRunner

from cli.main import app
from services.identity.domain.memberships import Membership
from services.identity.signing import Signer
from shared.auth.tokens import (
    InvalidToken,
    create_key_pair,
    key_id,
    load_private_key,
    public_jwk,
    rotate_keys,
    sign_token,
)
from shared.auth.verifier import TokenVerifier
from shared.private_files import next_key_path
from shared.runtime.rate_limit import create_rate_limit_secret
from shared.settings import load_settings


class JwksServer:
    """A JWKS endpoint on a free local port, serving whatever `document` holds."""

    def __init__(self) -> None:
        self.document: dict[str, Any] = {"keys": []}
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = json.dumps(server.document).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_args: object) -> None:
                pass

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.http.server_port}/protocol/openid-connect/certs"
        threading.Thread(target=self.http.serve_forever, daemon=True).start()


@pytest.fixture
def provider() -> Iterator[JwksServer]:
    server = JwksServer()
    yield server
    server.http.shutdown()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_private_key_files_are_0600_from_their_creation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No chmod afterwards: between a default-mode creation and a chmod, anyone may open it.
    def no_chmod(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a key file was narrowed after its creation")

    monkeypatch.setattr(Path, "chmod", no_chmod)
    monkeypatch.setattr("os.chmod", no_chmod)
    private, public = tmp_path / "keys" / "jwt_private.pem", tmp_path / "keys" / "jwt_public.pem"
    create_key_pair(private, public)
    create_rate_limit_secret(tmp_path / "keys" / "rate_limit_secret")
    assert mode(private) == 0o600
    assert mode(next_key_path(private)) == 0o600
    assert mode(tmp_path / "keys" / "rate_limit_secret") == 0o600
    rotate_keys(private, public)
    assert mode(private) == mode(next_key_path(private)) == 0o600


def test_the_secrets_readme_asks_for_no_readable_private_key() -> None:
    readme = (Path(__file__).parents[3] / "deploy" / "secrets" / "README.md").read_text()
    assert "0644" not in readme


def membership() -> Membership:
    return Membership(org_id="org-a", roles=("admin",), sub="m-1", kind="staff")


async def test_rotation_makes_the_next_key_current_and_identity_signs_with_it(
    tmp_path: Path,
) -> None:
    private, public = tmp_path / "jwt_private.pem", tmp_path / "jwt_public.pem"
    create_key_pair(private, public)
    trusted: list[str] = []
    signer = Signer.from_settings(
        load_settings(data_dir=tmp_path, jwt_private_key_file=private),
        trust=lambda key: trusted.append(key_id(key)),
    )
    current = key_id(load_private_key(private).public_key())
    upcoming = key_id(load_private_key(next_key_path(private)).public_key())
    assert [k["kid"] for k in signer.jwks()["keys"]] == [current, upcoming]

    # A service that fetched the JWKS before the rotation knows the new current key already.
    verifier = TokenVerifier([load_private_key(next_key_path(private)).public_key()])

    became_current, new_next = rotate_keys(private, public)
    assert became_current == upcoming
    assert [k["kid"] for k in signer.jwks()["keys"]] == [upcoming, new_next]
    token = signer.access_token(membership(), datetime.now(UTC))
    assert jwt.get_unverified_header(token)["kid"] == upcoming
    assert (await verifier.verify(token)).sub == "m-1"
    assert {current, upcoming, new_next} <= set(trusted)


def test_safehands_keys_rotate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAFEHANDS_DATA_DIR", str(tmp_path))
    private = tmp_path / "keys" / "jwt_private.pem"
    create_key_pair(private, tmp_path / "keys" / "jwt_public.pem")
    upcoming = key_id(load_private_key(next_key_path(private)).public_key())
    result = CliRunner().invoke(app, ["keys", "rotate"])
    assert result.exit_code == 0, result.output
    assert f"current key: {upcoming}" in result.output
    assert key_id(load_private_key(private).public_key()) == upcoming


def lifetime_of(token: str) -> int:
    claims = jwt.decode(token, options={"verify_signature": False})
    return int(claims["exp"]) - int(claims["iat"])


def test_safehands_token_is_short_by_default_and_never_past_the_maximum(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SAFEHANDS_DATA_DIR", str(tmp_path))
    runner = CliRunner()
    short = runner.invoke(app, ["token", "--role", "operator"])
    assert short.exit_code == 0, short.output
    assert lifetime_of(short.output.strip()) == 15 * 60
    longer = runner.invoke(app, ["token", "--role", "operator", "--minutes", "60"])
    assert lifetime_of(longer.output.strip()) == 60 * 60
    refused = runner.invoke(app, ["token", "--role", "operator", "--minutes", "61"])
    assert refused.exit_code == 2
    assert "at most 60 minutes" in refused.output


def signed(key: Ed25519PrivateKey, lifetime: timedelta, **headers: str) -> str:
    return (
        sign_token(
            key,
            roles=["admin"],
            org="org-a",
            sub="m-1",
            issued_at=datetime.now(UTC),
            lifetime=lifetime,
        )
        if not headers
        else jwt.encode(
            {
                "iss": "https://sso.example.org/realms/club",
                "aud": "safehands",
                "sub": "m-1",
                "org": "org-a",
                "roles": ["admin"],
                "iat": int(datetime.now(UTC).timestamp()),
                "exp": int((datetime.now(UTC) + lifetime).timestamp()),
                "jti": str(uuid.uuid4()),
            },
            key,
            algorithm="EdDSA",
            headers=headers,
        )
    )


async def test_a_token_living_longer_than_the_maximum_is_refused() -> None:
    key = Ed25519PrivateKey.generate()
    verifier = TokenVerifier([key.public_key()], max_lifetime=timedelta(minutes=30))
    assert (await verifier.verify(signed(key, timedelta(minutes=30)))).sub == "m-1"
    with pytest.raises(InvalidToken, match="longer"):
        await verifier.verify(signed(key, timedelta(minutes=31)))


async def test_an_oidc_providers_token_with_its_own_kid_is_accepted(provider: JwksServer) -> None:
    # The provider's key pair, published under a name of its choosing (as Keycloak does).
    key = Ed25519PrivateKey.generate()
    provider.document = {"keys": [{**public_jwk(key.public_key()), "kid": "rsa-and-ed-2026"}]}
    verifier = TokenVerifier(jwks_url=provider.url, issuer="https://sso.example.org/realms/club")
    token = signed(key, timedelta(minutes=5), kid="rsa-and-ed-2026")
    principal = await verifier.verify(token)
    assert (principal.sub, principal.org) == ("m-1", "org-a")
    # The name is bound to the key: another key published under it does not verify.
    impostor = signed(Ed25519PrivateKey.generate(), timedelta(minutes=5), kid="rsa-and-ed-2026")
    with pytest.raises(InvalidToken):
        await verifier.verify(impostor)


async def test_a_key_that_left_the_jwks_verifies_until_its_tokens_expired(
    provider: JwksServer,
) -> None:
    old, new = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    provider.document = {"keys": [public_jwk(old.public_key())]}
    verifier = TokenVerifier(jwks_url=provider.url, refetch_interval=0)
    before = signed(old, timedelta(minutes=10))
    await verifier.verify(before)
    provider.document = {"keys": [public_jwk(new.public_key())]}
    await verifier.verify(signed(new, timedelta(minutes=10)))  # fetches again
    assert (await verifier.verify(before)).sub == "m-1"
