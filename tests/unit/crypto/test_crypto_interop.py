"""Interoperability with an independent implementation written from API.md alone.

The helpers below use only the standard library and `cryptography`; they deliberately do
not import the project's seal/open, padding, encoding or key code, so a change that
drifts from the published format fails here even if the project stays self-consistent.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from typing import Any

import pytest
from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.asymmetric import mlkem, x25519
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from shared.crypto import Envelope, PrivateKey, PublicKey, open_envelope, report_context, seal

ORG = "de-zeilvereniging"
REPORT = "6f1b2a4e-9a55-4c2f-8d53-0a6f6d7f1c20"
# API.md: context = safehands/v1/report/{org_id}/{report_id}
CONTEXT = f"safehands/v1/report/{ORG}/{REPORT}"
BODY: dict[str, Any] = {
    "category": "discrimination",
    "description": "Opmerkingen in de kleedkamer — 'dat hoort er nu eenmaal bij'.",
    "occurred_on": "2026-03-14",
    "wants_contact": True,
    "contact": "via the mailbox",
}

KEMS = {"X25519": hpke.KEM.X25519, "MLKEM768-X25519": hpke.KEM.MLKEM768_X25519}


def b64e(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def b64d(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def hpke_suite(suite: str) -> hpke.Suite:
    return hpke.Suite(KEMS[suite], hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM)


class PlainKey:
    """A recipient key pair held as bare `cryptography` objects."""

    def __init__(self, suite: str) -> None:
        self.suite = suite
        self.x = x25519.X25519PrivateKey.generate()
        self.m = mlkem.MLKEM768PrivateKey.generate() if suite == "MLKEM768-X25519" else None

    def public_raw(self) -> bytes:
        x_raw = self.x.public_key().public_bytes_raw()
        if self.m is None:
            return x_raw
        return self.m.public_key().public_bytes_raw() + x_raw  # 1184 + 32 bytes

    def public_json(self) -> dict[str, str]:
        return {"suite": self.suite, "key": b64e(self.public_raw())}

    def key_id(self) -> str:
        return hashlib.sha256(self.public_raw()).hexdigest()[:32]

    def hpke_public(self) -> Any:
        if self.m is None:
            return self.x.public_key()
        return hpke.MLKEM768X25519PublicKey(self.m.public_key(), self.x.public_key())

    def hpke_private(self) -> Any:
        if self.m is None:
            return self.x
        return hpke.MLKEM768X25519PrivateKey(self.m, self.x)

    def private_bytes(self) -> bytes:
        # The project's documented serialisation: ML-KEM seed (64) then X25519 raw (32).
        x_raw = self.x.private_bytes_raw()
        return x_raw if self.m is None else self.m.private_bytes_raw() + x_raw


def plain_pad(body: bytes) -> bytes:
    size = 1024
    while size < 4 + len(body):
        size *= 2
    return len(body).to_bytes(4, "big") + body + b"\0" * (size - 4 - len(body))


def plain_seal(body: dict[str, Any], recipients: list[PlainKey], context: str) -> dict[str, Any]:
    content_key = os.urandom(32)
    nonce = os.urandom(12)
    plaintext = plain_pad(json.dumps(body).encode("utf-8"))
    ciphertext = AESGCM(content_key).encrypt(nonce, plaintext, context.encode("utf-8"))
    suite = recipients[0].suite
    return {
        "v": 1,
        "suite": suite,
        "nonce": b64e(nonce),
        "ciphertext": b64e(ciphertext),
        "recipients": [
            {
                "key_id": r.key_id(),
                "sealed_key": b64e(
                    hpke_suite(suite).encrypt(
                        content_key, r.hpke_public(), info=context.encode("utf-8")
                    )
                ),
            }
            for r in recipients
        ],
    }


def plain_open(envelope: dict[str, Any], key: PlainKey, context: str) -> dict[str, Any]:
    assert envelope["v"] == 1
    assert envelope["suite"] == key.suite
    (entry,) = [r for r in envelope["recipients"] if r["key_id"] == key.key_id()]
    content_key = hpke_suite(key.suite).decrypt(
        b64d(entry["sealed_key"]), key.hpke_private(), info=context.encode("utf-8")
    )
    assert len(content_key) == 32
    nonce = b64d(envelope["nonce"])
    assert len(nonce) == 12
    padded = AESGCM(content_key).decrypt(
        nonce, b64d(envelope["ciphertext"]), context.encode("utf-8")
    )
    assert len(padded) >= 1024
    assert len(padded) & (len(padded) - 1) == 0
    length = int.from_bytes(padded[:4], "big")
    assert padded[4 + length :] == b"\0" * (len(padded) - 4 - length)
    body = json.loads(padded[4 : 4 + length].decode("utf-8"))
    assert isinstance(body, dict)
    return body


def test_context_matches_api() -> None:
    assert report_context(ORG, REPORT) == CONTEXT


@pytest.mark.parametrize("suite", ["MLKEM768-X25519", "X25519"])
@pytest.mark.parametrize("n_recipients", [1, 3])
def test_project_envelope_opens_with_plain_hpke(suite: str, n_recipients: int) -> None:
    plain_keys = [PlainKey(suite) for _ in range(n_recipients)]
    public_keys = [PublicKey.model_validate(k.public_json()) for k in plain_keys]
    assert [pk.fingerprint() for pk in public_keys] == [k.key_id() for k in plain_keys]

    envelope = seal(BODY, public_keys, CONTEXT)
    wire = json.loads(envelope.model_dump_json())
    assert set(wire) == {"v", "suite", "nonce", "ciphertext", "recipients"}
    assert all(set(r) == {"key_id", "sealed_key"} for r in wire["recipients"])
    for key in plain_keys:
        assert plain_open(wire, key, CONTEXT) == BODY


@pytest.mark.parametrize("suite", ["MLKEM768-X25519", "X25519"])
@pytest.mark.parametrize("n_recipients", [1, 3])
def test_plain_envelope_opens_with_project(suite: str, n_recipients: int) -> None:
    plain_keys = [PlainKey(suite) for _ in range(n_recipients)]
    wire = plain_seal(BODY, plain_keys, CONTEXT)
    envelope = Envelope.model_validate_json(json.dumps(wire))
    for key in plain_keys:
        private_key = PrivateKey.from_bytes(envelope.suite, key.private_bytes())
        assert private_key.fingerprint == key.key_id()
        assert open_envelope(envelope, private_key, CONTEXT) == BODY


@pytest.mark.parametrize("suite", ["MLKEM768-X25519", "X25519"])
def test_project_key_usable_by_plain_code(suite: str) -> None:
    """A key generated by the project, published as PublicKey JSON, is usable elsewhere."""
    project_key = PrivateKey.generate(suite)  # type: ignore[arg-type]
    published = json.loads(project_key.public_key.model_dump_json())
    raw = b64d(published["key"])
    if suite == "X25519":
        assert len(raw) == 32
        public: Any = x25519.X25519PublicKey.from_public_bytes(raw)
    else:
        assert len(raw) == 1216
        public = hpke.MLKEM768X25519PublicKey(
            mlkem.MLKEM768PublicKey.from_public_bytes(raw[:1184]),
            x25519.X25519PublicKey.from_public_bytes(raw[1184:]),
        )
    sealed = hpke_suite(suite).encrypt(b"k" * 32, public, info=CONTEXT.encode())
    assert hpke_suite(suite).decrypt(sealed, project_key.to_hpke(), info=CONTEXT.encode()) == (
        b"k" * 32
    )
    assert hashlib.sha256(raw).hexdigest()[:32] == project_key.fingerprint
