"""Signed VCP messages: tests/vectors/signed-message-v1.json (written by
tests/support/write_signing_vectors.py, also checked by web/src/crypto/signing-vectors.test.ts)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from shared.crypto import Envelope, KdfParams, PrivateKey, b64url_decode, generate_recovery_code
from shared.crypto.keyfile import (
    protect_private_key,
    unlock_with_passphrase,
    unlock_with_recovery_code,
)
from shared.crypto.signing import (
    sign_message,
    signature_holds,
    signed_text,
    signing_public_key,
    verify_message,
)

VECTORS = json.loads(
    (Path(__file__).parents[2] / "vectors" / "signed-message-v1.json").read_text()
)["cases"]
FAST = KdfParams(memory_cost=8, iterations=1, lanes=1)


def _ids(case: dict[str, Any]) -> tuple[str, str, str]:
    return case["org_id"], case["report_id"], case["message_id"]


@pytest.mark.parametrize("case", VECTORS, ids=lambda c: c["suite"])
def test_the_signing_key_and_signature_are_derived_as_the_vector_says(case: dict[str, Any]) -> None:
    key = PrivateKey.from_bytes(case["suite"], b64url_decode(case["private_key"]))
    envelope = Envelope.model_validate(case["envelope"])
    assert signing_public_key(key) == case["signing_key"]
    assert signed_text(*_ids(case), envelope).decode() == case["signed_text"]
    # Ed25519 is deterministic: the same key signs the same text the same way.
    assert sign_message(key, *_ids(case), envelope) == case["signature"]
    assert verify_message(case["signing_key"], case["signature"], *_ids(case), envelope)


@pytest.mark.parametrize("case", VECTORS, ids=lambda c: c["suite"])
def test_a_tampered_message_or_another_key_is_refused(case: dict[str, Any]) -> None:
    envelope = Envelope.model_validate(case["envelope"])
    org, report, message = _ids(case)
    key, sig = case["signing_key"], case["signature"]
    other_ciphertext = ("A" if envelope.ciphertext[0] != "A" else "B") + envelope.ciphertext[1:]
    tampered = envelope.model_copy(update={"ciphertext": other_ciphertext})
    assert not verify_message(key, sig, org, report, message, tampered)
    assert not verify_message(key, sig, org, report, "another-message", envelope)
    assert not verify_message(key, sig, org, "R-OTHER", message, envelope)
    assert not verify_message(case["other_signing_key"], sig, org, report, message, envelope)
    assert not verify_message(key, sig[:-2], org, report, message, envelope)
    assert not verify_message(key, "not base64!", org, report, message, envelope)


@pytest.mark.parametrize("case", VECTORS, ids=lambda c: c["suite"])
def test_the_key_file_and_its_recovery_code_give_the_same_signing_key(
    case: dict[str, Any],
) -> None:
    # The signing key is derived from what the key file wraps, so a file made before
    # signatures existed, and every recovery code, gives it without a rewrite.
    key = PrivateKey.from_bytes(case["suite"], b64url_decode(case["private_key"]))
    code = generate_recovery_code()
    keyfile = protect_private_key(key, "a long passphrase", code, params=FAST)
    assert (
        signing_public_key(unlock_with_passphrase(keyfile, "a long passphrase"))
        == (case["signing_key"])
    )
    assert signing_public_key(unlock_with_recovery_code(keyfile, code)) == case["signing_key"]


def test_a_reporter_is_shown_only_a_message_signed_by_the_current_vcp_it_names() -> None:
    case = VECTORS[0]
    message = {
        "message_id": case["message_id"],
        "from": "vcp",
        "envelope": case["envelope"],
        "signature": case["signature"],
        "signed_by": "vera",
    }
    vera = {"vcp_id": "vera", "signing_key": case["signing_key"]}
    bram = {"vcp_id": "bram", "signing_key": case["other_signing_key"]}

    def holds(m: dict[str, Any], keys: list[dict[str, Any]]) -> bool:
        return signature_holds(case["org_id"], case["report_id"], m, keys)

    assert holds(message, [bram, vera])
    tampered = {**message, "envelope": {**case["envelope"], "nonce": "A" * 16}}
    assert not holds(tampered, [vera])
    assert not holds({**message, "signed_by": "bram"}, [bram, vera])
    assert not holds({k: v for k, v in message.items() if k != "signature"}, [vera])
    # Naming a VCP without a signing key gets no message past the others' signatures.
    assert not holds({**message, "signed_by": "old"}, [{"vcp_id": "old"}, vera])
    # While no current VCP has a signing key, there is nothing to check against.
    assert holds({k: v for k, v in message.items() if k != "signature"}, [{"vcp_id": "vera"}])
