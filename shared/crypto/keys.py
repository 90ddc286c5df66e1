"""Key types for the two HPKE suites of the public contract.

The wire form of a public key is the `PublicKey` model; private keys never leave the
device except encrypted (see keyfile.py), so `PrivateKey` is a plain class whose repr
and errors never show key bytes.
"""

from __future__ import annotations

import hashlib
from functools import cached_property
from typing import Final, Literal, Self, TypeAlias

from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.asymmetric import mlkem, x25519
from pydantic import BaseModel, ConfigDict, Field, model_validator

from shared.crypto.encoding import (
    b64url_decode,
    b64url_encode,
    b64url_exact_pattern,
    b64url_length,
)

SuiteName: TypeAlias = Literal["MLKEM768-X25519", "X25519"]

SUITE_HYBRID: Final = "MLKEM768-X25519"
SUITE_X25519: Final = "X25519"
# The hybrid is the default so that a report recorded today stays confidential against
# a future quantum computer (DESIGN.md).
DEFAULT_SUITE: Final[SuiteName] = SUITE_HYBRID
SUITES: Final[tuple[SuiteName, ...]] = (SUITE_HYBRID, SUITE_X25519)

X25519_KEY_LEN: Final = 32
MLKEM768_PUBLIC_KEY_LEN: Final = 1184
MLKEM768_SEED_LEN: Final = 64
CONTENT_KEY_LEN: Final = 32
AEAD_TAG_LEN: Final = 16

PUBLIC_KEY_LEN: Final[dict[SuiteName, int]] = {
    SUITE_HYBRID: MLKEM768_PUBLIC_KEY_LEN + X25519_KEY_LEN,
    SUITE_X25519: X25519_KEY_LEN,
}
PRIVATE_KEY_LEN: Final[dict[SuiteName, int]] = {
    SUITE_HYBRID: MLKEM768_SEED_LEN + X25519_KEY_LEN,
    SUITE_X25519: X25519_KEY_LEN,
}

_KEM: Final[dict[SuiteName, hpke.KEM]] = {
    SUITE_HYBRID: hpke.KEM.MLKEM768_X25519,
    SUITE_X25519: hpke.KEM.X25519,
}
_HPKE_SUITES: Final[dict[SuiteName, hpke.Suite]] = {
    name: hpke.Suite(kem, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM) for name, kem in _KEM.items()
}
# A single-shot HPKE ciphertext is the KEM encapsulation followed by the AEAD output, so
# the sealed content key has one exact length per suite; the server can check it.
SEALED_KEY_LEN: Final[dict[SuiteName, int]] = {
    name: kem.enc_length() + CONTENT_KEY_LEN + AEAD_TAG_LEN for name, kem in _KEM.items()
}

HpkePublicKey: TypeAlias = x25519.X25519PublicKey | hpke.MLKEM768X25519PublicKey
HpkePrivateKey: TypeAlias = x25519.X25519PrivateKey | hpke.MLKEM768X25519PrivateKey


def hpke_suite(suite: SuiteName) -> hpke.Suite:
    """The HPKE suite object for a suite name: KEM of the suite, HKDF-SHA256, AES-256-GCM."""
    return _HPKE_SUITES[suite]


def fingerprint(raw_public_key: bytes) -> str:
    """First 32 hex characters of SHA-256 over the raw public key bytes."""
    return hashlib.sha256(raw_public_key).hexdigest()[:32]


# Any clamped scalar works as a probe: the product is zero exactly for small-order points.
_PROBE: Final = x25519.X25519PrivateKey.from_private_bytes(bytes(range(32)))


def _load_x25519_public(raw: bytes, *, check: bool) -> x25519.X25519PublicKey:
    key = x25519.X25519PublicKey.from_public_bytes(raw)
    if not check:
        return key
    try:
        _PROBE.exchange(key)
    except ValueError:
        # A small-order point makes every HPKE encryption to it fail, so one bad
        # registered VCP key would block every report to the organisation.
        raise ValueError("the X25519 public key is a small-order point") from None
    return key


def _load_public(suite: SuiteName, raw: bytes, *, check: bool = True) -> HpkePublicKey:
    if len(raw) != PUBLIC_KEY_LEN[suite]:
        raise ValueError(f"a {suite} public key is {PUBLIC_KEY_LEN[suite]} bytes, not {len(raw)}")
    if suite == SUITE_X25519:
        return _load_x25519_public(raw, check=check)
    try:
        # from_public_bytes also runs the FIPS 203 modulus check, which rejects keys
        # that are the right length but not valid ML-KEM encodings.
        mlkem_pub = mlkem.MLKEM768PublicKey.from_public_bytes(raw[:MLKEM768_PUBLIC_KEY_LEN])
    except ValueError:
        raise ValueError("the ML-KEM-768 part of the public key is not a valid key") from None
    x_pub = _load_x25519_public(raw[MLKEM768_PUBLIC_KEY_LEN:], check=check)
    return hpke.MLKEM768X25519PublicKey(mlkem_pub, x_pub)


class PublicKey(BaseModel):
    """`{"suite", "key"}` as in docs/api.md; validation checks base64 and the exact raw length."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    suite: SuiteName
    # The raw lengths of every suite; which goes with `suite`, and that the bytes are a
    # valid key, is checked below (beyond JSON Schema).
    key: str = Field(
        max_length=b64url_length(max(PUBLIC_KEY_LEN.values())),
        pattern=b64url_exact_pattern(*PUBLIC_KEY_LEN.values()),
    )

    @model_validator(mode="after")
    def _check_key(self) -> Self:
        _load_public(self.suite, b64url_decode(self.key))
        return self

    @classmethod
    def from_raw(cls, suite: SuiteName, raw: bytes) -> PublicKey:
        return cls(suite=suite, key=b64url_encode(raw))

    @cached_property
    def raw(self) -> bytes:
        return b64url_decode(self.key)

    def fingerprint(self) -> str:
        return fingerprint(self.raw)

    def to_hpke(self) -> HpkePublicKey:
        """The `cryptography` public key object to pass to `hpke.Suite.encrypt`."""
        # Validation already ran the small-order check. The object is not cached on the
        # model because it cannot be copied, which would break model_copy(deep=True).
        return _load_public(self.suite, self.raw, check=False)


class PrivateKey:
    """A key pair of one suite (the private half plus its derived public key).

    The hybrid keeps its two halves separately because `hpke.MLKEM768X25519PrivateKey`
    offers no way to get them back out, and we need them to serialise the key.
    """

    __slots__ = ("_hpke", "_mlkem", "_public", "_x25519", "suite")

    suite: SuiteName

    def __init__(
        self,
        suite: SuiteName,
        x25519_key: x25519.X25519PrivateKey,
        mlkem_key: mlkem.MLKEM768PrivateKey | None = None,
    ) -> None:
        if (suite == SUITE_HYBRID) != (mlkem_key is not None):
            raise ValueError("an ML-KEM-768 key is needed for the hybrid suite and only for it")
        self.suite = suite
        self._x25519 = x25519_key
        self._mlkem = mlkem_key
        self._hpke: HpkePrivateKey
        if mlkem_key is None:
            self._hpke = x25519_key
            raw_public = x25519_key.public_key().public_bytes_raw()
        else:
            self._hpke = hpke.MLKEM768X25519PrivateKey(mlkem_key, x25519_key)
            raw_public = (
                mlkem_key.public_key().public_bytes_raw()
                + x25519_key.public_key().public_bytes_raw()
            )
        self._public = PublicKey.from_raw(suite, raw_public)

    @classmethod
    def generate(cls, suite: SuiteName = DEFAULT_SUITE) -> PrivateKey:
        x_key = x25519.X25519PrivateKey.generate()
        if suite == SUITE_X25519:
            return cls(suite, x_key)
        return cls(suite, x_key, mlkem.MLKEM768PrivateKey.generate())

    @classmethod
    def from_bytes(cls, suite: SuiteName, data: bytes) -> PrivateKey:
        """Load what `to_bytes` produced: X25519 raw (32), or ML-KEM seed (64) + X25519 (32)."""
        expected = PRIVATE_KEY_LEN.get(suite)
        if expected is None:
            raise ValueError(f"unknown suite {suite!r}")
        if len(data) != expected:
            raise ValueError(f"a {suite} private key is {expected} bytes, not {len(data)}")
        if suite == SUITE_X25519:
            return cls(suite, x25519.X25519PrivateKey.from_private_bytes(data))
        return cls(
            suite,
            x25519.X25519PrivateKey.from_private_bytes(data[MLKEM768_SEED_LEN:]),
            mlkem.MLKEM768PrivateKey.from_seed_bytes(data[:MLKEM768_SEED_LEN]),
        )

    def to_bytes(self) -> bytes:
        """Raw private key material; only ever store it encrypted."""
        x_raw = self._x25519.private_bytes_raw()
        if self._mlkem is None:
            return x_raw
        # The 64-byte seed is the compact, canonical form of an ML-KEM private key.
        return self._mlkem.private_bytes_raw() + x_raw

    @property
    def public_key(self) -> PublicKey:
        return self._public

    @property
    def fingerprint(self) -> str:
        return self._public.fingerprint()

    def to_hpke(self) -> HpkePrivateKey:
        """The `cryptography` private key object to pass to `hpke.Suite.decrypt`."""
        return self._hpke

    def __repr__(self) -> str:
        return f"PrivateKey(suite={self.suite!r}, fingerprint={self.fingerprint!r})"
