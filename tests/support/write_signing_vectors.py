"""Write tests/vectors/signed-message-v1.json: VCP signing keys and signed messages made by
shared/crypto/signing.py.

`python -m tests.support.write_signing_vectors` writes it; the output is committed and read
by tests/unit/crypto/test_signing_vectors.py and web/src/crypto/signing-vectors.test.ts, so
the browser and the command line derive the same signing key from a key file's private key
and accept exactly the same signatures. The private keys are fixed bytes, so the signing
keys and signatures are the same on every run; only the sealed envelopes change.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from shared.crypto import PrivateKey, SuiteName, b64url_encode, message_context, seal
from shared.crypto.signing import sign_message, signed_text, signing_public_key

OUTPUT = Path(__file__).parents[1] / "vectors" / "signed-message-v1.json"
ORG = "sportclub-de-meeuwen"
REPORT_ID = "R-7K3M9QXW"
MESSAGE_ID = "0b7c1e52-8d4f-4a57-9a1e-3c2f6d8e9b10"
# Fixed private key material (not secret: test vectors only).
PRIVATE: dict[SuiteName, bytes] = {
    "X25519": bytes(range(1, 33)),
    "MLKEM768-X25519": bytes(range(100, 196)),
}


def _case(suite: SuiteName) -> dict[str, Any]:
    key = PrivateKey.from_bytes(suite, PRIVATE[suite])
    other = PrivateKey.from_bytes(suite, bytes(reversed(PRIVATE[suite])))
    envelope = seal(
        {"text": "Kunt u mij uw telefoonnummer geven?"},
        [key.public_key],
        message_context(ORG, REPORT_ID, MESSAGE_ID),
    )
    return {
        "suite": suite,
        "private_key": b64url_encode(key.to_bytes()),
        "signing_key": signing_public_key(key),
        "other_signing_key": signing_public_key(other),
        "org_id": ORG,
        "report_id": REPORT_ID,
        "message_id": MESSAGE_ID,
        "envelope": envelope.model_dump(mode="json"),
        "signed_text": signed_text(ORG, REPORT_ID, MESSAGE_ID, envelope).decode(),
        "signature": sign_message(key, ORG, REPORT_ID, MESSAGE_ID, envelope),
    }


def main() -> None:
    vectors = {
        "description": "Signed VCP messages (docs/api.md, 'Signed VCP messages')",
        "cases": [_case(suite) for suite in PRIVATE],
    }
    OUTPUT.write_text(json.dumps(vectors, indent=2) + "\n")


if __name__ == "__main__":
    main()
