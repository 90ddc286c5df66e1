from __future__ import annotations

import hashlib

import pytest
from cryptography.hazmat.primitives.asymmetric import mlkem, x25519
from pydantic import ValidationError

from shared.crypto import (
    SUITE_HYBRID,
    SUITE_X25519,
    SUITES,
    PrivateKey,
    PublicKey,
    SuiteName,
    b64url_encode,
)


def _raw_hybrid_public() -> bytes:
    m = mlkem.MLKEM768PrivateKey.generate().public_key().public_bytes_raw()
    x = x25519.X25519PrivateKey.generate().public_key().public_bytes_raw()
    return m + x


def _raw_x25519_public() -> bytes:
    return x25519.X25519PrivateKey.generate().public_key().public_bytes_raw()


def test_public_key_lengths_and_fingerprint() -> None:
    for suite, raw in ((SUITE_HYBRID, _raw_hybrid_public()), (SUITE_X25519, _raw_x25519_public())):
        key = PublicKey.model_validate({"suite": suite, "key": b64url_encode(raw)})
        assert len(key.raw) == (1216 if suite == SUITE_HYBRID else 32)
        assert key.fingerprint() == hashlib.sha256(raw).hexdigest()[:32]
        assert key.model_dump() == {"suite": suite, "key": b64url_encode(raw)}


@pytest.mark.parametrize(
    ("suite", "raw"),
    [
        (SUITE_X25519, b"\x09" * 31),
        (SUITE_X25519, b"\x09" * 33),
        (SUITE_HYBRID, b"\x09" * 32),
        (SUITE_HYBRID, b"\x09" * 1215),
        (SUITE_X25519, bytes(32)),  # small-order point
        (SUITE_HYBRID, b"\xff" * 1184 + b"\x09" * 32),  # not a valid ML-KEM encoding
    ],
)
def test_public_key_rejects_wrong_material(suite: SuiteName, raw: bytes) -> None:
    with pytest.raises(ValidationError):
        PublicKey(suite=suite, key=b64url_encode(raw))


def test_public_key_rejects_suite_mismatch_and_bad_input() -> None:
    raw = _raw_x25519_public()
    with pytest.raises(ValidationError):
        PublicKey(suite=SUITE_HYBRID, key=b64url_encode(raw))
    with pytest.raises(ValidationError):
        PublicKey.model_validate({"suite": "P256", "key": b64url_encode(raw)})
    with pytest.raises(ValidationError):
        PublicKey.model_validate({"suite": "x25519", "key": b64url_encode(raw)})
    with pytest.raises(ValidationError):
        PublicKey.model_validate({"suite": SUITE_X25519, "key": b64url_encode(raw) + "="})
    with pytest.raises(ValidationError):
        PublicKey.model_validate({"suite": SUITE_X25519, "key": b64url_encode(raw), "x": 1})


def test_public_key_is_frozen() -> None:
    key = PublicKey.from_raw(SUITE_X25519, _raw_x25519_public())
    with pytest.raises(ValidationError):
        key.suite = SUITE_HYBRID  # type: ignore[misc]


@pytest.mark.parametrize("suite", SUITES)
def test_private_key_serialisation_round_trip(suite: SuiteName) -> None:
    key = PrivateKey.generate(suite)
    data = key.to_bytes()
    assert len(data) == (96 if suite == SUITE_HYBRID else 32)
    again = PrivateKey.from_bytes(suite, data)
    assert again.public_key == key.public_key
    assert again.fingerprint == key.fingerprint
    assert key.suite == suite


def test_hybrid_private_bytes_are_seed_then_x25519() -> None:
    key = PrivateKey.generate(SUITE_HYBRID)
    data = key.to_bytes()
    m = mlkem.MLKEM768PrivateKey.from_seed_bytes(data[:64])
    x = x25519.X25519PrivateKey.from_private_bytes(data[64:])
    expected = m.public_key().public_bytes_raw() + x.public_key().public_bytes_raw()
    assert key.public_key.raw == expected


def test_private_key_from_bytes_rejects_wrong_length() -> None:
    with pytest.raises(ValueError, match="96 bytes"):
        PrivateKey.from_bytes(SUITE_HYBRID, bytes(32))
    with pytest.raises(ValueError, match="32 bytes"):
        PrivateKey.from_bytes(SUITE_X25519, bytes(96))


def test_private_key_repr_hides_key_material() -> None:
    key = PrivateKey.generate(SUITE_X25519)
    text = repr(key)
    assert key.fingerprint in text
    assert key.to_bytes().hex() not in text
    assert b64url_encode(key.to_bytes()) not in text
