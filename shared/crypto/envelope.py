"""The encrypted envelope of a report or message (docs/api.md, "Envelope").

A body is padded and encrypted once under a fresh content key with AES-256-GCM; the
content key is sealed to each recipient with single-shot HPKE. The context string is both
the AES-GCM associated data and the HPKE info, which binds a ciphertext to one
organisation and one report or message so that it cannot be replayed elsewhere.

The models validate shape only, so the server can reject malformed envelopes without any
key; opening needs a recipient's private key.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping, Sequence
from functools import cached_property
from typing import Any, Final, Literal, Self

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from shared.crypto.encoding import (
    B64URL_PATTERN,
    b64url_decode,
    b64url_encode,
    b64url_exact_pattern,
    b64url_length,
)
from shared.crypto.errors import DecryptionError
from shared.crypto.keys import (
    AEAD_TAG_LEN,
    CONTENT_KEY_LEN,
    SEALED_KEY_LEN,
    PrivateKey,
    PublicKey,
    SuiteName,
    hpke_suite,
)
from shared.crypto.padding import (
    MIN_PADDED_LEN,
    is_valid_padded_size,
    pad,
    padded_size,
    unpad,
)

ENVELOPE_VERSION: Final = 1
NONCE_LEN: Final = 12
# The one maximum size of a padded body, for reports and messages alike. 512 KiB holds the
# longest body the schemas allow (100 000 characters of 4 UTF-8 bytes, and the other
# fields), and the event that carries it (about 4/3 of it in base64) stays well within the
# broker's record limit (shared/messaging/broker.py, MAX_RECORD_BYTES), with headroom.
MAX_PADDED_LEN: Final = 1 << 19
MAX_CIPHERTEXT_LEN: Final = MAX_PADDED_LEN + AEAD_TAG_LEN
# A VCP message goes to the reporter's reply key and every VCP key, so leave room above
# the number of VCPs an organisation is expected to have.
MAX_RECIPIENTS: Final = 32
# An envelope's JSON with every field at its largest, and room for the field names.
MAX_ENVELOPE_JSON_LEN: Final = (
    b64url_length(MAX_CIPHERTEXT_LEN)
    + MAX_RECIPIENTS * (b64url_length(max(SEALED_KEY_LEN.values())) + 80)
    + 200
)
# The largest HTTP request that carries one envelope (a report with its mailbox, a
# message): the services refuse anything larger with 413 before reading it in full.
MAX_SEALED_REQUEST_BYTES: Final = MAX_ENVELOPE_JSON_LEN + 4096

_CONTEXT_PREFIX: Final = "safehands/v1"


def _context_part(name: str, value: str) -> str:
    # A '/' inside an id would let two different (org, report) pairs share a context
    # string, which would undo the binding the context exists for.
    if not value or "/" in value:
        raise ValueError(f"{name} must be non-empty and must not contain '/'")
    return value


def report_context(org_id: str, report_id: str) -> str:
    """`safehands/v1/report/{org_id}/{report_id}`: binds a report envelope to its place."""
    org = _context_part("org_id", org_id)
    report = _context_part("report_id", report_id)
    return f"{_CONTEXT_PREFIX}/report/{org}/{report}"


def message_context(org_id: str, report_id: str, message_id: str) -> str:
    """`safehands/v1/message/{org_id}/{report_id}/{message_id}` for a mailbox message."""
    org = _context_part("org_id", org_id)
    report = _context_part("report_id", report_id)
    message = _context_part("message_id", message_id)
    return f"{_CONTEXT_PREFIX}/message/{org}/{report}/{message}"


class Recipient(BaseModel):
    """`{"key_id": fingerprint, "sealed_key": b64}`; the length is checked by Envelope."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key_id: str = Field(pattern=r"^[0-9a-f]{32}$")
    # The schema says the lengths of every suite; which one goes with the envelope's suite
    # is checked by Envelope (a relation JSON Schema cannot state).
    sealed_key: str = Field(
        max_length=b64url_length(max(SEALED_KEY_LEN.values())),
        pattern=b64url_exact_pattern(*SEALED_KEY_LEN.values()),
    )

    @field_validator("sealed_key")
    @classmethod
    def _check_b64(cls, value: str) -> str:
        b64url_decode(value)
        return value

    @cached_property
    def raw_sealed_key(self) -> bytes:
        return b64url_decode(self.sealed_key)


class Envelope(BaseModel):
    """`{"v": 1, "suite", "nonce", "ciphertext", "recipients"}` with full shape checks."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    v: Literal[1]
    suite: SuiteName
    nonce: str = Field(
        min_length=b64url_length(NONCE_LEN),
        max_length=b64url_length(NONCE_LEN),
        pattern=b64url_exact_pattern(NONCE_LEN),
    )
    # From the smallest to the largest padded body plus the tag; that the body is a power
    # of two is checked below (JSON Schema could only list every length).
    ciphertext: str = Field(
        min_length=b64url_length(MIN_PADDED_LEN + AEAD_TAG_LEN),
        max_length=b64url_length(MAX_CIPHERTEXT_LEN),
        pattern=B64URL_PATTERN,
    )
    recipients: tuple[Recipient, ...] = Field(min_length=1, max_length=MAX_RECIPIENTS)

    @field_validator("v", mode="before")
    @classmethod
    def _check_version(cls, value: object) -> object:
        # Literal[1] alone would take true or 1.0 for the version number.
        if type(value) is not int:
            raise ValueError("v must be the integer 1")
        return value

    @field_validator("nonce")
    @classmethod
    def _check_nonce(cls, value: str) -> str:
        if len(b64url_decode(value)) != NONCE_LEN:
            raise ValueError(f"the nonce must be {NONCE_LEN} bytes")
        return value

    @field_validator("ciphertext")
    @classmethod
    def _check_ciphertext(cls, value: str) -> str:
        # Every honest ciphertext is a padded body (a power-of-two bucket) plus the tag.
        body_len = len(b64url_decode(value)) - AEAD_TAG_LEN
        if not (is_valid_padded_size(body_len) and body_len <= MAX_PADDED_LEN):
            raise ValueError(
                "the ciphertext must be a padded body (a power of two from 1024 bytes "
                f"to {MAX_PADDED_LEN} bytes) plus a {AEAD_TAG_LEN}-byte tag"
            )
        return value

    @model_validator(mode="after")
    def _check_recipients(self) -> Self:
        expected = SEALED_KEY_LEN[self.suite]
        key_ids: set[str] = set()
        for recipient in self.recipients:
            if len(recipient.raw_sealed_key) != expected:
                raise ValueError(f"a {self.suite} sealed_key must be {expected} bytes")
            if recipient.key_id in key_ids:
                raise ValueError("recipients must have distinct key_ids")
            key_ids.add(recipient.key_id)
        return self

    @cached_property
    def raw_nonce(self) -> bytes:
        return b64url_decode(self.nonce)

    @cached_property
    def raw_ciphertext(self) -> bytes:
        return b64url_decode(self.ciphertext)

    def recipient_for(self, key_id: str) -> Recipient | None:
        return next((r for r in self.recipients if r.key_id == key_id), None)

    def with_recipient(self, recipient: Recipient) -> Envelope:
        """A copy with one more recipient, e.g. after `reseal_content_key` (validated)."""
        if self.recipient_for(recipient.key_id) is not None:
            raise ValueError("the envelope already has a recipient with this key_id")
        return Envelope(
            v=self.v,
            suite=self.suite,
            nonce=self.nonce,
            ciphertext=self.ciphertext,
            recipients=(*self.recipients, recipient),
        )


def _encode_body(body: Mapping[str, Any]) -> bytes:
    # Openers accept only a JSON object, so refuse anything else before encrypting it.
    if not isinstance(body, Mapping):
        raise ValueError("the body must be a JSON object (a mapping)")
    try:
        text = json.dumps(dict(body), ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        return text.encode("utf-8")
    except (TypeError, ValueError):
        raise ValueError(
            "the body must be JSON-serialisable (no NaN, no lone surrogates)"
        ) from None


def seal_content_key(content_key: bytes, recipient: PublicKey, context: str) -> Recipient:
    """HPKE base mode, single shot, info = context: one recipient entry for content_key."""
    if len(content_key) != CONTENT_KEY_LEN:
        raise ValueError(f"a content key is {CONTENT_KEY_LEN} bytes")
    sealed = hpke_suite(recipient.suite).encrypt(
        content_key, recipient.to_hpke(), info=context.encode("utf-8")
    )
    return Recipient(key_id=recipient.fingerprint(), sealed_key=b64url_encode(sealed))


def seal(body: Mapping[str, Any], recipients: Sequence[PublicKey], context: str) -> Envelope:
    """Encrypt body once and seal its fresh content key to every recipient."""
    if not recipients:
        raise ValueError("an envelope needs at least one recipient")
    if len(recipients) > MAX_RECIPIENTS:
        raise ValueError(f"an envelope has at most {MAX_RECIPIENTS} recipients")
    suites = {r.suite for r in recipients}
    if len(suites) != 1:
        # The envelope names one suite, so a mix cannot be expressed on the wire.
        raise ValueError("all recipients of an envelope must use the same suite")
    suite: SuiteName = recipients[0].suite
    if len({r.fingerprint() for r in recipients}) != len(recipients):
        raise ValueError("the recipients must be distinct keys")

    encoded = _encode_body(body)
    if padded_size(len(encoded)) > MAX_PADDED_LEN:
        raise ValueError(f"the body is too large (padded limit {MAX_PADDED_LEN} bytes)")

    content_key = AESGCM.generate_key(bit_length=256)
    # A random 96-bit nonce is safe here because each content key encrypts exactly once.
    nonce = secrets.token_bytes(NONCE_LEN)
    ciphertext = AESGCM(content_key).encrypt(nonce, pad(encoded), context.encode("utf-8"))
    entries = [seal_content_key(content_key, r, context) for r in recipients]
    return Envelope(
        v=ENVELOPE_VERSION,
        suite=suite,
        nonce=b64url_encode(nonce),
        ciphertext=b64url_encode(ciphertext),
        recipients=tuple(entries),
    )


def open_content_key(envelope: Envelope, private_key: PrivateKey, context: str) -> bytes:
    """Unseal the content key from this key's recipient entry; DecryptionError otherwise."""
    if envelope.suite != private_key.suite:
        raise DecryptionError(
            f"the envelope uses suite {envelope.suite} but this key is {private_key.suite}"
        )
    recipient = envelope.recipient_for(private_key.fingerprint)
    if recipient is None:
        raise DecryptionError(
            f"the key {private_key.fingerprint} is not among the envelope's recipients"
        )
    try:
        content_key = hpke_suite(envelope.suite).decrypt(
            recipient.raw_sealed_key, private_key.to_hpke(), info=context.encode("utf-8")
        )
    except (InvalidTag, ValueError):
        raise DecryptionError(
            "the content key could not be unsealed: wrong context, or the sealed_key was altered"
        ) from None
    if len(content_key) != CONTENT_KEY_LEN:
        raise DecryptionError("the sealed content key has the wrong length")
    return content_key


def decrypt_body(envelope: Envelope, content_key: bytes, context: str) -> dict[str, Any]:
    """Decrypt, unpad and parse the body with an already unsealed content key."""
    if len(content_key) != CONTENT_KEY_LEN:
        raise DecryptionError("the content key has the wrong length")
    try:
        padded = AESGCM(content_key).decrypt(
            envelope.raw_nonce, envelope.raw_ciphertext, context.encode("utf-8")
        )
    except InvalidTag:
        raise DecryptionError(
            "the ciphertext failed authentication: wrong context or key, or it was altered"
        ) from None
    try:
        body = json.loads(unpad(padded).decode("utf-8"))
    except (ValueError, RecursionError):
        # Authenticated but malformed means the sender broke the format, not an attacker.
        raise DecryptionError("the decrypted body is not padded UTF-8 JSON") from None
    if not isinstance(body, dict):
        raise DecryptionError("the decrypted body is not a JSON object")
    return body


def open_envelope(envelope: Envelope, private_key: PrivateKey, context: str) -> dict[str, Any]:
    """Open an envelope addressed to private_key under context; DecryptionError otherwise."""
    return decrypt_body(envelope, open_content_key(envelope, private_key, context), context)


def reseal_content_key(
    envelope: Envelope, private_key: PrivateKey, context: str, new_recipient: PublicKey
) -> Recipient:
    """Seal an envelope's content key to another VCP (handing over a case).

    The body is decrypted first so that a key which does not open this ciphertext is
    never handed on; the caller adds the entry, e.g. with `Envelope.with_recipient`.
    """
    if new_recipient.suite != envelope.suite:
        raise ValueError(
            f"the envelope uses suite {envelope.suite}; the new key is {new_recipient.suite}"
        )
    content_key = open_content_key(envelope, private_key, context)
    decrypt_body(envelope, content_key, context)
    return seal_content_key(content_key, new_recipient, context)
