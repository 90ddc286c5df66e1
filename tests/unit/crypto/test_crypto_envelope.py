from __future__ import annotations

import os
import re
from typing import Any

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from pydantic import ValidationError

from shared.crypto import (
    MAX_PADDED_LEN,
    MAX_RECIPIENTS,
    SUITE_HYBRID,
    SUITE_X25519,
    SUITES,
    DecryptionError,
    Envelope,
    PrivateKey,
    PublicKey,
    SuiteName,
    b64url_decode,
    b64url_encode,
    decrypt_body,
    message_context,
    open_content_key,
    open_envelope,
    pad,
    report_context,
    reseal_content_key,
    seal,
    seal_content_key,
)
from shared.crypto.envelope import NONCE_LEN
from shared.http.http_errors import describe_validation_error

ORG = "scouting-oost"
REPORT = "0b4c7e0e-6a4f-4f35-9f0c-2f3f8f6f9e11"
CONTEXT = report_context(ORG, REPORT)
SECRET_TEXT = "the coach said something at the pool on Tuesday"
BODY: dict[str, Any] = {
    "category": "bullying",
    "description": SECRET_TEXT,
    "wants_contact": False,
}

Pool = dict[SuiteName, list[PrivateKey]]


def _tampered(envelope: Envelope, **changes: Any) -> Envelope:
    data = envelope.model_dump()
    data.update(changes)
    return Envelope.model_validate(data)


def _flip(text: str, index: int) -> str:
    raw = bytearray(b64url_decode(text))
    raw[index] ^= 0x01
    return b64url_encode(bytes(raw))


def test_contexts_are_exactly_as_in_the_api() -> None:
    assert report_context("org", "r") == "safehands/v1/report/org/r"
    assert message_context("org", "r", "m") == "safehands/v1/message/org/r/m"


@pytest.mark.parametrize(("org", "report"), [("", "r"), ("o", ""), ("a/b", "r"), ("o", "x/y")])
def test_contexts_reject_ambiguous_parts(org: str, report: str) -> None:
    with pytest.raises(ValueError, match="'/'"):
        report_context(org, report)
    with pytest.raises(ValueError, match="'/'"):
        message_context(org, report, "m")


@pytest.mark.parametrize("suite", SUITES)
@pytest.mark.parametrize("n_recipients", [1, 2, 5])
def test_round_trip(key_pool: Pool, suite: SuiteName, n_recipients: int) -> None:
    keys = key_pool[suite][:n_recipients]
    envelope = seal(BODY, [k.public_key for k in keys], CONTEXT)
    assert envelope.v == 1
    assert envelope.suite == suite
    assert len(envelope.recipients) == n_recipients
    assert [r.key_id for r in envelope.recipients] == [k.fingerprint for k in keys]
    # The wire form survives JSON and re-validation unchanged.
    wire = Envelope.model_validate_json(envelope.model_dump_json())
    assert wire == envelope
    for key in keys:
        assert open_envelope(wire, key, CONTEXT) == BODY


def test_unicode_body_round_trip(key_pool: Pool) -> None:
    body = {"text": "héllo — 👋 \u0000 end"}
    key = key_pool[SUITE_X25519][0]
    envelope = seal(body, [key.public_key], CONTEXT)
    assert open_envelope(envelope, key, CONTEXT) == body


@pytest.mark.parametrize(
    ("description_len", "padded"),
    [(0, 1024), (900, 1024), (1500, 2048), (4000, 4096), (5000, 8192)],
)
def test_ciphertext_size_is_a_padding_bucket(
    key_pool: Pool, description_len: int, padded: int
) -> None:
    key = key_pool[SUITE_X25519][0]
    envelope = seal({"text": "a" * description_len}, [key.public_key], CONTEXT)
    assert len(envelope.raw_ciphertext) == padded + 16
    assert len(envelope.raw_nonce) == 12


def test_padding_hides_small_differences(key_pool: Pool) -> None:
    key = key_pool[SUITE_X25519][0]
    short = seal({"text": "a"}, [key.public_key], CONTEXT)
    longer = seal({"text": "a" * 900}, [key.public_key], CONTEXT)
    assert len(short.ciphertext) == len(longer.ciphertext)


@pytest.mark.parametrize("suite", SUITES)
def test_sealed_key_lengths(key_pool: Pool, suite: SuiteName) -> None:
    envelope = seal(BODY, [key_pool[suite][0].public_key], CONTEXT)
    expected = 1120 + 48 if suite == SUITE_HYBRID else 32 + 48
    assert len(envelope.recipients[0].raw_sealed_key) == expected


def test_each_seal_uses_fresh_key_and_nonce(key_pool: Pool) -> None:
    key = key_pool[SUITE_X25519][0]
    a = seal(BODY, [key.public_key], CONTEXT)
    b = seal(BODY, [key.public_key], CONTEXT)
    assert a.nonce != b.nonce
    assert a.ciphertext != b.ciphertext
    assert a.recipients[0].sealed_key != b.recipients[0].sealed_key


# --- binding and tampering -------------------------------------------------------------


@pytest.mark.parametrize("suite", SUITES)
@pytest.mark.parametrize(
    "other_context",
    [
        report_context(ORG, "11111111-2222-3333-4444-555555555555"),
        report_context("another-org", REPORT),
        message_context(ORG, REPORT, "m1"),
        CONTEXT + " ",
    ],
)
def test_other_context_fails(key_pool: Pool, suite: SuiteName, other_context: str) -> None:
    key = key_pool[suite][0]
    envelope = seal(BODY, [key.public_key], CONTEXT)
    with pytest.raises(DecryptionError) as caught:
        open_envelope(envelope, key, other_context)
    assert SECRET_TEXT not in str(caught.value)


@pytest.mark.parametrize("suite", SUITES)
@pytest.mark.parametrize("index", [0, 100, -17, -1])
def test_tampered_ciphertext_fails(key_pool: Pool, suite: SuiteName, index: int) -> None:
    key = key_pool[suite][0]
    envelope = seal(BODY, [key.public_key], CONTEXT)
    bad = _tampered(envelope, ciphertext=_flip(envelope.ciphertext, index))
    with pytest.raises(DecryptionError, match="ciphertext failed authentication"):
        open_envelope(bad, key, CONTEXT)


@pytest.mark.parametrize("suite", SUITES)
@pytest.mark.parametrize("index", [0, 40, -1])
def test_tampered_sealed_key_fails(key_pool: Pool, suite: SuiteName, index: int) -> None:
    key = key_pool[suite][0]
    envelope = seal(BODY, [key.public_key], CONTEXT)
    recipient = envelope.recipients[0]
    bad_recipient = {"key_id": recipient.key_id, "sealed_key": _flip(recipient.sealed_key, index)}
    bad = _tampered(envelope, recipients=[bad_recipient])
    with pytest.raises(DecryptionError, match="content key could not be unsealed"):
        open_envelope(bad, key, CONTEXT)


def test_tampered_nonce_fails(key_pool: Pool) -> None:
    key = key_pool[SUITE_HYBRID][0]
    envelope = seal(BODY, [key.public_key], CONTEXT)
    bad = _tampered(envelope, nonce=_flip(envelope.nonce, 3))
    with pytest.raises(DecryptionError):
        open_envelope(bad, key, CONTEXT)


@pytest.mark.parametrize("suite", SUITES)
def test_non_recipient_fails(key_pool: Pool, suite: SuiteName) -> None:
    recipients = key_pool[suite][:2]
    outsider = key_pool[suite][5]
    envelope = seal(BODY, [k.public_key for k in recipients], CONTEXT)
    with pytest.raises(DecryptionError, match="not among the envelope's recipients"):
        open_envelope(envelope, outsider, CONTEXT)


@pytest.mark.parametrize("suite", SUITES)
def test_relabelled_recipient_entry_fails(key_pool: Pool, suite: SuiteName) -> None:
    """A sealed_key moved under another key's key_id does not open with that key."""
    a, b = key_pool[suite][:2]
    envelope = seal(BODY, [a.public_key], CONTEXT)
    relabelled = [{"key_id": b.fingerprint, "sealed_key": envelope.recipients[0].sealed_key}]
    with pytest.raises(DecryptionError):
        open_envelope(_tampered(envelope, recipients=relabelled), b, CONTEXT)


def test_key_of_other_suite_fails(key_pool: Pool) -> None:
    envelope = seal(BODY, [key_pool[SUITE_HYBRID][0].public_key], CONTEXT)
    with pytest.raises(DecryptionError, match="suite"):
        open_envelope(envelope, key_pool[SUITE_X25519][0], CONTEXT)


def test_decryption_errors_never_show_plaintext_or_keys(key_pool: Pool) -> None:
    key = key_pool[SUITE_X25519][0]
    envelope = seal(BODY, [key.public_key], CONTEXT)
    bad = _tampered(envelope, ciphertext=_flip(envelope.ciphertext, 5))
    with pytest.raises(DecryptionError) as caught:
        open_envelope(bad, key, CONTEXT)
    message = str(caught.value)
    assert SECRET_TEXT not in message
    assert key.to_bytes().hex() not in message
    assert caught.value.__cause__ is None
    assert caught.value.__suppress_context__


# --- re-sealing to another VCP ---------------------------------------------------------


@pytest.mark.parametrize("suite", SUITES)
def test_reseal_to_new_vcp(key_pool: Pool, suite: SuiteName) -> None:
    old, new = key_pool[suite][:2]
    envelope = seal(BODY, [old.public_key], CONTEXT)
    with pytest.raises(DecryptionError):
        open_envelope(envelope, new, CONTEXT)
    recipient = reseal_content_key(envelope, old, CONTEXT, new.public_key)
    assert recipient.key_id == new.fingerprint
    shared = envelope.with_recipient(recipient)
    assert open_envelope(shared, new, CONTEXT) == BODY
    assert open_envelope(shared, old, CONTEXT) == BODY
    with pytest.raises(ValueError, match="already"):
        shared.with_recipient(recipient)


def test_reseal_requires_same_suite_and_right_context(key_pool: Pool) -> None:
    old = key_pool[SUITE_HYBRID][0]
    envelope = seal(BODY, [old.public_key], CONTEXT)
    with pytest.raises(ValueError, match="suite"):
        reseal_content_key(envelope, old, CONTEXT, key_pool[SUITE_X25519][0].public_key)
    with pytest.raises(DecryptionError):
        reseal_content_key(
            envelope, old, report_context(ORG, "other"), key_pool[SUITE_HYBRID][1].public_key
        )


# --- seal input errors -----------------------------------------------------------------


def test_seal_rejects_bad_recipient_lists(key_pool: Pool) -> None:
    with pytest.raises(ValueError, match="at least one"):
        seal(BODY, [], CONTEXT)
    mixed = [key_pool[SUITE_HYBRID][0].public_key, key_pool[SUITE_X25519][0].public_key]
    with pytest.raises(ValueError, match="same suite"):
        seal(BODY, mixed, CONTEXT)
    dup = [key_pool[SUITE_X25519][0].public_key] * 2
    with pytest.raises(ValueError, match="distinct keys"):
        seal(BODY, dup, CONTEXT)
    many = [key_pool[SUITE_X25519][0].public_key] * (MAX_RECIPIENTS + 1)
    with pytest.raises(ValueError, match="at most"):
        seal(BODY, many, CONTEXT)


def test_seal_rejects_oversized_and_unserialisable_bodies(key_pool: Pool) -> None:
    pk = key_pool[SUITE_X25519][0].public_key
    with pytest.raises(ValueError, match="too large"):
        seal({"text": "a" * MAX_PADDED_LEN}, [pk], CONTEXT)
    with pytest.raises(ValueError, match="JSON"):
        seal({"x": float("nan")}, [pk], CONTEXT)
    with pytest.raises(ValueError, match="JSON"):
        seal({"x": object()}, [pk], CONTEXT)
    with pytest.raises(ValueError, match="JSON object"):
        seal(["not", "an", "object"], [pk], CONTEXT)  # type: ignore[arg-type]


def test_largest_body_fits(key_pool: Pool) -> None:
    key = key_pool[SUITE_X25519][0]
    body = {"text": "a" * (MAX_PADDED_LEN - 4 - len('{"text":""}'))}
    envelope = seal(body, [key.public_key], CONTEXT)
    assert len(envelope.raw_ciphertext) == MAX_PADDED_LEN + 16
    assert Envelope.model_validate_json(envelope.model_dump_json()) == envelope
    assert open_envelope(envelope, key, CONTEXT) == body


# --- shape validation (what the server checks without any key) ------------------------


@pytest.fixture(scope="module")
def valid_envelope() -> dict[str, Any]:
    keys = [PrivateKey.generate(SUITE_X25519) for _ in range(2)]
    return seal(BODY, [k.public_key for k in keys], CONTEXT).model_dump(mode="json")


def _with(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {**base, **changes}


def _distinct_recipients(envelope: dict[str, Any], n: int) -> list[dict[str, str]]:
    sealed = envelope["recipients"][0]["sealed_key"]
    return [{"key_id": f"{i:032x}", "sealed_key": sealed} for i in range(n)]


def test_valid_envelope_validates(valid_envelope: dict[str, Any]) -> None:
    assert Envelope.model_validate(valid_envelope).model_dump(mode="json") == valid_envelope
    most = _with(valid_envelope, recipients=_distinct_recipients(valid_envelope, MAX_RECIPIENTS))
    assert len(Envelope.model_validate(most).recipients) == MAX_RECIPIENTS


@pytest.mark.parametrize(
    "mutate",
    [
        pytest.param(lambda e: _with(e, nonce="!!!!!!!!!!!!!!!!"), id="nonce-not-b64"),
        pytest.param(lambda e: _with(e, nonce=e["nonce"] + "="), id="nonce-padded"),
        pytest.param(lambda e: _with(e, nonce=b64url_encode(bytes(11))), id="nonce-11"),
        pytest.param(lambda e: _with(e, nonce=b64url_encode(bytes(13))), id="nonce-13"),
        pytest.param(lambda e: _with(e, nonce=b64url_encode(bytes(16))), id="nonce-16"),
        pytest.param(lambda e: _with(e, ciphertext=e["ciphertext"][:-1] + "+"), id="ct-std-b64"),
        pytest.param(lambda e: _with(e, ciphertext=e["ciphertext"] + "A"), id="ct-bad-length"),
        pytest.param(lambda e: _with(e, ciphertext=b64url_encode(bytes(1000))), id="ct-not-bucket"),
        pytest.param(lambda e: _with(e, ciphertext=b64url_encode(bytes(16))), id="ct-empty-body"),
        pytest.param(
            lambda e: _with(e, ciphertext="A" * (4 * ((1 << 20) + 16) // 3 + 8)),
            id="ct-too-large",
        ),
        pytest.param(lambda e: _with(e, recipients=[]), id="no-recipients"),
        pytest.param(
            lambda e: _with(e, recipients=_distinct_recipients(e, MAX_RECIPIENTS + 1)),
            id="too-many-recipients",
        ),
        pytest.param(
            lambda e: _with(e, recipients=[e["recipients"][0], e["recipients"][0]]),
            id="duplicate-key-id",
        ),
        pytest.param(lambda e: _with(e, suite="P256"), id="suite-unknown"),
        pytest.param(lambda e: _with(e, suite="x25519"), id="suite-lower-case"),
        pytest.param(lambda e: _with(e, suite=SUITE_HYBRID), id="suite-wrong-for-sealed-keys"),
        pytest.param(lambda e: _with(e, v=2), id="v2"),
        pytest.param(lambda e: _with(e, v="1"), id="v-string"),
        pytest.param(lambda e: _with(e, v=True), id="v-bool"),
        pytest.param(lambda e: {k: x for k, x in e.items() if k != "v"}, id="v-missing"),
        pytest.param(lambda e: _with(e, extra="x"), id="extra-field"),
        pytest.param(
            lambda e: _with(
                e, recipients=[{**e["recipients"][0], "key_id": e["recipients"][0]["key_id"][:-1]}]
            ),
            id="key-id-short",
        ),
        pytest.param(
            lambda e: _with(
                e,
                recipients=[{**e["recipients"][0], "key_id": e["recipients"][0]["key_id"].upper()}],
            ),
            id="key-id-upper-case",
        ),
        pytest.param(
            lambda e: _with(e, recipients=[{**e["recipients"][0], "sealed_key": "@@"}]),
            id="sealed-key-not-b64",
        ),
        pytest.param(
            lambda e: _with(
                e, recipients=[{**e["recipients"][0], "sealed_key": b64url_encode(bytes(79))}]
            ),
            id="sealed-key-wrong-length",
        ),
        pytest.param(
            lambda e: _with(e, recipients=[{**e["recipients"][0], "extra": 1}]),
            id="recipient-extra-field",
        ),
    ],
)
def test_malformed_envelopes_are_rejected(valid_envelope: dict[str, Any], mutate: Any) -> None:
    with pytest.raises(ValidationError):
        Envelope.model_validate(mutate(valid_envelope))


def test_envelope_is_immutable(valid_envelope: dict[str, Any]) -> None:
    envelope = Envelope.model_validate(valid_envelope)
    with pytest.raises(ValidationError):
        envelope.nonce = "x"  # type: ignore[misc]


# --- well-authenticated but malformed bodies -------------------------------------------


@pytest.mark.parametrize(
    ("plaintext", "message"),
    [
        (b"[1, 2]", "not a JSON object"),
        (b"{not json", "not padded UTF-8 JSON"),
        (b"\xff\xfe", "not padded UTF-8 JSON"),
    ],
)
def test_malformed_body_is_a_decryption_error(
    key_pool: Pool, plaintext: bytes, message: str
) -> None:
    key = key_pool[SUITE_X25519][0]
    content_key = os.urandom(32)
    nonce = os.urandom(12)
    ciphertext = AESGCM(content_key).encrypt(nonce, pad(plaintext), CONTEXT.encode())
    envelope = Envelope(
        v=1,
        suite=SUITE_X25519,
        nonce=b64url_encode(nonce),
        ciphertext=b64url_encode(ciphertext),
        recipients=(seal_content_key(content_key, key.public_key, CONTEXT),),
    )
    assert open_content_key(envelope, key, CONTEXT) == content_key
    with pytest.raises(DecryptionError, match=message):
        open_envelope(envelope, key, CONTEXT)
    with pytest.raises(DecryptionError, match="wrong length"):
        decrypt_body(envelope, content_key[:16], CONTEXT)


def test_the_schema_states_the_lengths_and_alphabet_the_validators_enforce() -> None:
    envelope = Envelope.model_json_schema()["properties"]
    nonce = envelope["nonce"]
    assert nonce["minLength"] == nonce["maxLength"] == 16
    assert re.fullmatch(nonce["pattern"].strip("^$"), b64url_encode(os.urandom(NONCE_LEN)))
    assert envelope["ciphertext"]["minLength"] == len(b64url_encode(bytes(1024 + 16)))
    key = PublicKey.model_json_schema()["properties"]["key"]
    for raw_length in (32, 1216):
        for _ in range(50):
            assert re.match(key["pattern"], b64url_encode(os.urandom(raw_length)))
    # Not canonical: the last character of a 32-byte key carries two unused bits.
    assert not re.match(key["pattern"], "A" * 42 + "B")
    assert not re.match(key["pattern"], "A" * 44)
    # People read words, not the pattern, when a value does not match it.
    try:
        PublicKey.model_validate({"suite": "X25519", "key": "A" * 42 + "B"})
    except ValidationError as exc:
        sentence = describe_validation_error(list(exc.errors()))
    assert sentence == "Invalid input — key: not in the expected format (characters or length)."
