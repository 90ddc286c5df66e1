from __future__ import annotations

import base64
import hashlib
import re

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import mlkem, x25519
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from shared.crypto import (
    SUITE_HYBRID,
    SUITE_X25519,
    SUITES,
    SuiteName,
    derive_receipt_keys,
    format_receipt,
    generate_receipt,
    mailbox_lookup,
    message_context,
    normalize_receipt,
    open_envelope,
    seal,
)

BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def test_generated_receipt_is_26_base32_chars() -> None:
    receipts = {generate_receipt() for _ in range(200)}
    assert len(receipts) == 200
    for receipt in receipts:
        assert len(receipt) == 26
        assert set(receipt) <= set(BASE32)


def test_generated_receipts_use_the_whole_alphabet() -> None:
    seen = set("".join(generate_receipt() for _ in range(200)))
    assert seen == set(BASE32)


@pytest.mark.parametrize("separator", ["-", " "])
def test_format_groups_of_four_or_five(separator: str) -> None:
    receipt = generate_receipt()
    shown = format_receipt(receipt, separator)
    groups = shown.split(separator)
    assert "".join(groups) == receipt
    assert all(len(g) in (4, 5) for g in groups)
    assert normalize_receipt(shown) == receipt


def test_format_rejects_other_separators() -> None:
    with pytest.raises(ValueError):
        format_receipt(generate_receipt(), "_")


def test_normalize_accepts_how_people_type_it() -> None:
    receipt = generate_receipt()
    messy = " " + "-".join(receipt[i : i + 3] for i in range(0, 26, 3)).lower() + " "
    assert normalize_receipt(messy) == receipt
    assert normalize_receipt(receipt) == receipt


@pytest.mark.parametrize(
    "text",
    [
        "",
        "A" * 25,
        "A" * 27,
        "A" * 25 + "1",  # not in the base32 alphabet
        "A" * 25 + "0",
        "A" * 25 + "=",
        "A" * 24 + "ß",  # 'ß'.upper() is 'SS', which must not sneak through
        "A" * 25 + "_",
    ],
)
def test_normalize_rejects_non_receipts(text: str) -> None:
    with pytest.raises(ValueError, match="receipt"):
        normalize_receipt(text)


def _derive_from_api(receipt: str, org_id: str) -> bytes:
    # API.md: upper-case, spaces and dashes removed; HKDF-SHA256(ikm = receipt,
    # salt = "safehands/v1/receipt", info = org_id, length 128).
    ikm = receipt.upper().replace(" ", "").replace("-", "").encode("ascii")
    return HKDF(
        algorithm=hashes.SHA256(),
        length=128,
        salt=b"safehands/v1/receipt",
        info=org_id.encode("utf-8"),
    ).derive(ikm)


@pytest.mark.parametrize("suite", SUITES)
def test_derivation_matches_api_description(suite: SuiteName) -> None:
    receipt = generate_receipt()
    org_id = "jeugdvoetbal-noord"
    okm = _derive_from_api(format_receipt(receipt).lower(), org_id)
    secret, x_seed, m_seed = okm[:32], okm[32:64], okm[64:128]
    x_pub = x25519.X25519PrivateKey.from_private_bytes(x_seed).public_key().public_bytes_raw()
    m_pub = mlkem.MLKEM768PrivateKey.from_seed_bytes(m_seed).public_key().public_bytes_raw()
    expected_public = m_pub + x_pub if suite == SUITE_HYBRID else x_pub

    keys = derive_receipt_keys(format_receipt(receipt, " "), org_id, suite)
    assert keys.mailbox_secret == secret
    assert keys.secret_hex == secret.hex()
    assert keys.lookup == hashlib.sha256(secret).hexdigest()
    assert re.fullmatch(r"[0-9a-f]{64}", keys.lookup)
    assert mailbox_lookup(bytes.fromhex(keys.secret_hex)) == keys.lookup
    assert keys.reply_public_key.suite == suite
    assert keys.reply_public_key.raw == expected_public
    assert keys.reply_public_key.key == base64.urlsafe_b64encode(expected_public).decode().rstrip(
        "="
    )


def test_default_reply_suite_is_hybrid() -> None:
    assert derive_receipt_keys(generate_receipt(), "org").reply_key.suite == SUITE_HYBRID


def test_derivation_is_deterministic_and_org_bound() -> None:
    receipt = generate_receipt()
    a = derive_receipt_keys(receipt, "org-a")
    assert derive_receipt_keys(receipt, "org-a").lookup == a.lookup
    assert derive_receipt_keys(receipt, "org-a").reply_public_key == a.reply_public_key
    b = derive_receipt_keys(receipt, "org-b")
    assert b.lookup != a.lookup
    assert b.reply_public_key != a.reply_public_key
    # The X25519 reply key is the same half whichever suite is asked for.
    x_only = derive_receipt_keys(receipt, "org-a", SUITE_X25519)
    assert a.reply_public_key.raw.endswith(x_only.reply_public_key.raw)


def test_receipt_keys_repr_hides_the_secret() -> None:
    keys = derive_receipt_keys(generate_receipt(), "org")
    assert keys.secret_hex not in repr(keys)


def test_reporter_reads_a_reply_with_the_receipt_alone() -> None:
    receipt = generate_receipt()
    at_submission = derive_receipt_keys(receipt, "org")
    context = message_context("org", "report-1", "message-1")
    reply = seal({"text": "Thank you, we will call."}, [at_submission.reply_public_key], context)
    later = derive_receipt_keys(format_receipt(receipt, " ").lower(), "org")
    assert open_envelope(reply, later.reply_key, context) == {"text": "Thank you, we will call."}
