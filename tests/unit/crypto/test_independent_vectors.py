"""The project's crypto against tests/vectors/independent-crypto-v1.json.

The vectors were made from API.md by an implementation independent of the project (the
web app's Vitest tests read the same file): every envelope opens with the listed keys to
exactly the listed body and fails under any other context, and every receipt derives the
listed mailbox secret, lookup and reply keys.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from shared.crypto import (
    SUITES,
    DecryptionError,
    Envelope,
    PrivateKey,
    PublicKey,
    SuiteName,
    b64url_decode,
    derive_receipt_keys,
    normalize_receipt,
    open_envelope,
    padded_size,
)

VECTORS: dict[str, Any] = json.loads(
    (Path(__file__).parents[2] / "vectors" / "independent-crypto-v1.json").read_text("utf-8")
)


def vcp_key(suite: SuiteName, vcp: dict[str, Any]) -> PrivateKey:
    x_raw = b64url_decode(vcp["private"]["x25519_private"])
    if suite == "X25519":
        return PrivateKey.from_bytes(suite, x_raw)
    return PrivateKey.from_bytes(suite, b64url_decode(vcp["private"]["mlkem768_seed"]) + x_raw)


def other_contexts(case: dict[str, Any]) -> list[str]:
    org, report, context = case["org_id"], case["report_id"], case["context"]
    candidates = [
        f"safehands/v1/report/{org}/00000000-0000-0000-0000-000000000000",
        f"safehands/v1/report/other-org/{report}",
        f"safehands/v1/message/{org}/{report}/{report}",
        context + "x",
        context[:-1],
        "",
    ]
    return [c for c in candidates if c != context]


def assert_opens_only_under_its_context(case: dict[str, Any], key: PrivateKey) -> None:
    envelope = Envelope.model_validate(case["envelope"])
    assert open_envelope(envelope, key, case["context"]) == case["body"]
    for context in other_contexts(case):
        with pytest.raises(DecryptionError):
            open_envelope(envelope, key, context)


@pytest.mark.parametrize("suite", SUITES)
def test_vcp_keys_load_to_the_listed_public_keys(suite: SuiteName) -> None:
    for vcp in VECTORS["suites"][suite]["vcps"]:
        key = vcp_key(suite, vcp)
        assert key.public_key == PublicKey.model_validate(vcp["public_key"])
        assert key.fingerprint == vcp["fingerprint"]


@pytest.mark.parametrize("suite", SUITES)
def test_report_opens_with_every_vcp_key_and_only_under_its_context(suite: SuiteName) -> None:
    data = VECTORS["suites"][suite]
    case = data["report"]
    assert case["context"] == f"safehands/v1/report/{case['org_id']}/{case['report_id']}"
    for vcp in data["vcps"]:
        assert_opens_only_under_its_context(case, vcp_key(suite, vcp))


@pytest.mark.parametrize("suite", SUITES)
def test_vcp_message_opens_with_the_reply_key_and_every_vcp_key(suite: SuiteName) -> None:
    data = VECTORS["suites"][suite]
    case = data["vcp_message"]
    assert case["context"] == (
        f"safehands/v1/message/{case['org_id']}/{case['report_id']}/{case['message_id']}"
    )
    reply = derive_receipt_keys(case["receipt"], case["org_id"], suite).reply_key
    keys = [reply, *(vcp_key(suite, vcp) for vcp in data["vcps"])]
    assert [r["key_id"] for r in case["envelope"]["recipients"]] == [k.fingerprint for k in keys]
    for key in keys:
        assert_opens_only_under_its_context(case, key)


@pytest.mark.parametrize("suite", SUITES)
def test_report_does_not_open_with_a_key_that_is_not_a_recipient(suite: SuiteName) -> None:
    case = VECTORS["suites"][suite]["vcp_message"]
    reply = derive_receipt_keys(case["receipt"], case["org_id"], suite).reply_key
    report = VECTORS["suites"][suite]["report"]
    with pytest.raises(DecryptionError, match="not among the envelope's recipients"):
        open_envelope(Envelope.model_validate(report["envelope"]), reply, report["context"])


@pytest.mark.parametrize(
    "vector", VECTORS["receipts"], ids=[r["receipt_as_typed"] for r in VECTORS["receipts"]]
)
def test_receipt_derives_the_listed_values(vector: dict[str, Any]) -> None:
    assert normalize_receipt(vector["receipt_as_typed"]) == vector["normalised"]
    hybrid = derive_receipt_keys(vector["receipt_as_typed"], vector["org_id"], "MLKEM768-X25519")
    classic = derive_receipt_keys(vector["receipt_as_typed"], vector["org_id"], "X25519")
    for derived in (hybrid, classic):
        assert derived.secret_hex == vector["mailbox_secret_hex"]
        assert derived.lookup == vector["lookup"]
    assert hybrid.reply_public_key == PublicKey.model_validate(vector["reply_public_key_hybrid"])
    assert classic.reply_public_key == PublicKey.model_validate(vector["reply_public_key_x25519"])


@pytest.mark.parametrize(
    "vector", VECTORS["padding"], ids=[str(p["body_json_bytes"]) for p in VECTORS["padding"]]
)
def test_padding_bucket(vector: dict[str, int]) -> None:
    assert padded_size(vector["body_json_bytes"]) == vector["padded_bytes"]
