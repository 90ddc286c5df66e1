"""Signatures on a VCP's messages (docs/api.md, "Signed VCP messages").

A VCP's Ed25519 signing key is not stored on its own: its 32-byte seed is derived from
the raw private key of their key file (`PrivateKey.to_bytes()`, the secret that the
passphrase and the recovery code both unwrap) with HKDF-SHA256, no salt and the info
string `safehands/v1/vcp-signing-key`. So a key file made before signatures existed,
and any recovery code ever printed, yields the same signing key without rewriting the
file, and the signing key is made, kept and recovered with the encryption key.

What is signed is exact text, not JSON: a forged message would need the VCP's key,
whoever can write to the database or the bus.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Final

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ed25519
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from pydantic import AfterValidator, Field

from shared.crypto.encoding import b64url_decode, b64url_encode
from shared.crypto.envelope import Envelope, message_context
from shared.crypto.keys import PrivateKey

SIGNING_KEY_INFO: Final = b"safehands/v1/vcp-signing-key"
SIGNATURE_PREFIX: Final = "safehands/v1/message-signature"
SIGNING_KEY_LEN: Final = 32
SIGNATURE_LEN: Final = 64


def signing_key_of(private_key: PrivateKey) -> ed25519.Ed25519PrivateKey:
    """The VCP's Ed25519 key, derived from their key file's private key (see above)."""
    seed = HKDF(
        algorithm=hashes.SHA256(), length=SIGNING_KEY_LEN, salt=None, info=SIGNING_KEY_INFO
    ).derive(private_key.to_bytes())
    return ed25519.Ed25519PrivateKey.from_private_bytes(seed)


def signing_public_key(private_key: PrivateKey) -> str:
    """The raw 32-byte Ed25519 public key in base64url: `signing_key` on the wire."""
    return b64url_encode(signing_key_of(private_key).public_key().public_bytes_raw())


def signed_text(org_id: str, report_id: str, message_id: str, envelope: Envelope) -> bytes:
    """The UTF-8 bytes a message signature covers: the prefix line, the message's context
    (org, report, message ids) line by line, then the envelope's suite, nonce and
    ciphertext exactly as they are on the wire. The ciphertext is AEAD-bound to its
    content key and to the message context, so a signed one cannot be re-used elsewhere."""
    message_context(org_id, report_id, message_id)  # the ids' checks: no '/' nor empty
    lines = (
        SIGNATURE_PREFIX,
        org_id,
        report_id,
        message_id,
        envelope.suite,
        envelope.nonce,
        envelope.ciphertext,
    )
    return "\n".join(lines).encode()


def sign_message(
    private_key: PrivateKey, org_id: str, report_id: str, message_id: str, envelope: Envelope
) -> str:
    """The message's `signature` (b64url of 64 bytes)."""
    text = signed_text(org_id, report_id, message_id, envelope)
    return b64url_encode(signing_key_of(private_key).sign(text))


def verify_message(
    signing_key: str,
    signature: str,
    org_id: str,
    report_id: str,
    message_id: str,
    envelope: Envelope,
) -> bool:
    """Whether `signature` is the holder of `signing_key`'s over this message."""
    try:
        public = ed25519.Ed25519PublicKey.from_public_bytes(b64url_decode(signing_key))
        raw = b64url_decode(signature)
        if len(raw) != SIGNATURE_LEN:
            return False
        public.verify(raw, signed_text(org_id, report_id, message_id, envelope))
    except (InvalidSignature, ValueError):
        return False
    return True


def _check_signing_key(value: str) -> str:
    if len(b64url_decode(value)) != SIGNING_KEY_LEN:
        raise ValueError(f"a signing key is {SIGNING_KEY_LEN} raw bytes")
    # Loading it checks it is a valid encoding of a curve point.
    ed25519.Ed25519PublicKey.from_public_bytes(b64url_decode(value))
    return value


def _check_signature(value: str) -> str:
    if len(b64url_decode(value)) != SIGNATURE_LEN:
        raise ValueError(f"a signature is {SIGNATURE_LEN} raw bytes")
    return value


# Wire forms: raw Ed25519 public key (32 bytes) and signature (64 bytes) in base64url.
SigningKey = Annotated[str, Field(min_length=43, max_length=43), AfterValidator(_check_signing_key)]
Signature = Annotated[str, Field(min_length=86, max_length=86), AfterValidator(_check_signature)]


def signature_holds(
    org_id: str, report_id: str, message: Mapping[str, Any], keys: Sequence[Mapping[str, Any]]
) -> bool:
    """Whether a reporter may be shown this VCP message (`message` as in the mailbox answer,
    `keys` as GET …/vcp-keys answers): it carries a valid signature by the signing key of
    the current VCP it names in `signed_by`. Only while no current VCP has a signing key
    (all set their key with a client from before signatures) is an unsigned message shown,
    since there is nothing to check it against. Current keys only (the key history is not
    public), so the messages of a dismissed VCP or of a replaced key fail."""
    if not any(k.get("signing_key") for k in keys):
        return True
    signer = next((k for k in keys if k.get("vcp_id") == message.get("signed_by")), None)
    signature = message.get("signature")
    if signer is None or not signer.get("signing_key") or not isinstance(signature, str):
        return False
    try:
        envelope = Envelope.model_validate(message["envelope"])
    except (ValueError, KeyError):
        return False
    return verify_message(
        signer["signing_key"], signature, org_id, report_id, str(message["message_id"]), envelope
    )
