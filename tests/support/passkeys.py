"""A software WebAuthn authenticator for API-level tests: an ES256 key pair per credential,
"none" attestation, and assertions with a counter the test controls (to make one go back),
for any origin the test names (to make one for another site)."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import struct
from dataclasses import dataclass, field
from typing import Any

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

UP, UV, AT = 0x01, 0x04, 0x40


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def client_data(kind: str, challenge: str, origin: str) -> bytes:
    return json.dumps(
        {"type": kind, "challenge": challenge, "origin": origin, "crossOrigin": False}
    ).encode()


@dataclass
class SoftPasskey:
    rp_id: str
    user_handle: str
    credential_id: bytes = field(default_factory=lambda: secrets.token_bytes(16))
    key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    counter: int = 0

    def _cose_key(self) -> bytes:
        numbers = self.key.public_key().public_numbers()
        return cbor2.dumps(
            {
                1: 2,
                3: -7,
                -1: 1,
                -2: numbers.x.to_bytes(32, "big"),
                -3: numbers.y.to_bytes(32, "big"),
            }
        )

    def _auth_data(self, flags: int, extra: bytes = b"") -> bytes:
        rp_hash = hashlib.sha256(self.rp_id.encode()).digest()
        return rp_hash + bytes([flags]) + struct.pack(">I", self.counter) + extra

    def registration(self, options: dict[str, Any], origin: str) -> dict[str, Any]:
        """The browser's answer to `navigator.credentials.create(options)`; the credential
        keeps the user id the options name, as an authenticator does."""
        self.user_handle = options["user"]["id"]
        data = client_data("webauthn.create", options["challenge"], origin)
        attested = (
            bytes(16)
            + struct.pack(">H", len(self.credential_id))
            + self.credential_id
            + self._cose_key()
        )
        auth_data = self._auth_data(UP | UV | AT, attested)
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        ident = b64url(self.credential_id)
        return {
            "id": ident,
            "rawId": ident,
            "type": "public-key",
            "response": {
                "clientDataJSON": b64url(data),
                "attestationObject": b64url(attestation),
                "transports": ["internal"],
            },
            "clientExtensionResults": {},
            "authenticatorAttachment": "platform",
        }

    def assertion(
        self, options: dict[str, Any], origin: str, *, counter: int | None = None
    ) -> dict[str, Any]:
        """The browser's answer to `navigator.credentials.get(options)`; the counter goes up
        by one, or is `counter` when given."""
        self.counter = self.counter + 1 if counter is None else counter
        data = client_data("webauthn.get", options["challenge"], origin)
        auth_data = self._auth_data(UP | UV)
        signature = self.key.sign(
            auth_data + hashlib.sha256(data).digest(), ec.ECDSA(hashes.SHA256())
        )
        ident = b64url(self.credential_id)
        return {
            "id": ident,
            "rawId": ident,
            "type": "public-key",
            "response": {
                "clientDataJSON": b64url(data),
                "authenticatorData": b64url(auth_data),
                "signature": b64url(signature),
                "userHandle": self.user_handle,
            },
            "clientExtensionResults": {},
            "authenticatorAttachment": "platform",
        }
