"""TokenVerifier against a real JWKS endpoint (a local HTTP server on a free port)."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from shared.auth.tokens import InvalidToken, public_jwk, sign_token
from shared.auth.verifier import KeysUnavailable, TokenVerifier


class JwksServer:
    def __init__(self) -> None:
        self.keys: list[Ed25519PrivateKey] = []
        self.requests = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests += 1
                body = json.dumps({"keys": [public_jwk(k.public_key()) for k in server.keys]})
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.end_headers()
                self.wfile.write(body.encode())

            def log_message(self, *_args: object) -> None:
                pass

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.http.server_port}/.well-known/jwks.json"
        threading.Thread(target=self.http.serve_forever, daemon=True).start()


@pytest.fixture
def jwks() -> Iterator[JwksServer]:
    server = JwksServer()
    yield server
    server.http.shutdown()


def token(key: Ed25519PrivateKey, issuer: str = "safehands") -> str:
    return sign_token(
        key,
        roles=["admin"],
        org="org-a",
        sub="m-1",
        issued_at=datetime.now(UTC),
        lifetime=timedelta(minutes=10),
        issuer=issuer,
    )


async def test_keys_are_fetched_once_and_a_new_kid_fetches_again(jwks: JwksServer) -> None:
    first, second = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    jwks.keys = [first]
    verifier = TokenVerifier(jwks_url=jwks.url, refetch_interval=0.3)
    assert (await verifier.verify(token(first))).sub == "m-1"
    assert (await verifier.verify(token(first))).org == "org-a"
    assert jwks.requests == 1

    # identity rotates its key: the first token of the new key is accepted without a restart.
    jwks.keys = [second, first]
    await asyncio.sleep(0.35)
    assert (await verifier.verify(token(second))).sub == "m-1"
    assert jwks.requests == 2


async def test_made_up_kids_cannot_make_every_request_a_fetch(jwks: JwksServer) -> None:
    known = Ed25519PrivateKey.generate()
    jwks.keys = [known]
    verifier = TokenVerifier(jwks_url=jwks.url, refetch_interval=60)
    await verifier.verify(token(known))
    for _ in range(20):
        with pytest.raises(InvalidToken):
            await verifier.verify(token(Ed25519PrivateKey.generate()))
    assert jwks.requests == 1


async def test_a_configured_key_file_key_works_beside_the_jwks(jwks: JwksServer) -> None:
    configured = Ed25519PrivateKey.generate()
    verifier = TokenVerifier([configured.public_key()], jwks_url=jwks.url)
    assert (await verifier.verify(token(configured))).sub == "m-1"
    assert jwks.requests == 0


async def test_the_issuer_is_a_setting() -> None:
    key = Ed25519PrivateKey.generate()
    verifier = TokenVerifier([key.public_key()], issuer="https://idp.example")
    assert (await verifier.verify(token(key, "https://idp.example"))).sub == "m-1"
    with pytest.raises(InvalidToken):
        await verifier.verify(token(key))


async def test_an_unreachable_jwks_is_unavailable_not_a_refusal() -> None:
    verifier = TokenVerifier(jwks_url="http://127.0.0.1:9/.well-known/jwks.json")
    with pytest.raises(KeysUnavailable):
        await verifier.verify(token(Ed25519PrivateKey.generate()))
