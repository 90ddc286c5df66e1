"""Encrypted attachments (docs/api.md, "Attachments"; issue 24 item 3).

A file is padded, then encrypted with age (STREAM, 64 KiB chunks, each authenticated and
numbered, the last one marked) to a fresh X25519 identity of its own. The identity, the
file's name, media type and exact size travel only inside the report's (or message's)
sealed envelope, as an `AttachmentRef`: whoever can open the envelope can open the file,
and the server holds nothing but ciphertext whose length says only the padding bucket.

Padding: the file's bytes, then zero bytes up to `padded_file_size(n)` (Padmé, from
"Reducing Metadata Leakage from Encrypted Files and Communication with PURBs", Nikitin et
al. 2019: at most 12 % larger, and only O(log log n) bits of the length show), at least
MIN_PADDED_FILE_LEN. The exact size is in the envelope; the opener cuts the padding off and
checks that it is all zeros.

Both clients do the same: web/src/crypto/attachment.ts with the `age-encryption` package,
this module with `pyrage`; tests/vectors/attachments-*.json hold each side's output for the
other to open.
"""

from __future__ import annotations

from typing import Final
from uuid import UUID

import pyrage
from pydantic import BaseModel, ConfigDict, Field

from shared.crypto.errors import DecryptionError

MIN_PADDED_FILE_LEN: Final = 1024
AGE_CHUNK_LEN: Final = 64 * 1024
IDENTITY_PATTERN: Final = r"^AGE-SECRET-KEY-1[0-9A-Z]{58}$"
# One name, one media type: what the sender's device said, shown to the VCP only.
MEDIA_TYPE_PATTERN: Final = r"^[a-z0-9][a-z0-9.+-]*/[a-z0-9][a-z0-9.+-]*$"


def padme(length: int) -> int:
    """The Padmé bucket of `length` (> 0): `length` rounded up, keeping the top bits."""
    if length < 2:
        return length
    exponent = length.bit_length() - 1
    size_bits = exponent.bit_length()
    mask = (1 << (exponent - size_bits)) - 1
    return (length + mask) & ~mask


def padded_file_size(size: int) -> int:
    """How many bytes a file of `size` bytes is padded to before encryption."""
    if size < 0:
        raise ValueError("a size is not negative")
    return padme(max(size, MIN_PADDED_FILE_LEN))


def encrypted_size(size: int, header_len: int) -> int:
    """The age ciphertext's length for a file of `size` bytes: header, 16-byte nonce, and
    each 64 KiB chunk of the padded file with its 16-byte tag."""
    padded = padded_file_size(size)
    chunks = max(1, -(-padded // AGE_CHUNK_LEN))
    return header_len + 16 + padded + 16 * chunks


class AttachmentRef(BaseModel):
    """`{"attachment_id", "identity", "name", "media_type", "size"}`, inside an envelope's
    body only: the one place where the file's key and its description are kept."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    attachment_id: UUID
    identity: str = Field(pattern=IDENTITY_PATTERN)
    name: str = Field(min_length=1, max_length=255)
    media_type: str = Field(max_length=127, pattern=MEDIA_TYPE_PATTERN)
    size: int = Field(ge=0)


def new_identity() -> str:
    """A fresh age X25519 identity for one file: `AGE-SECRET-KEY-1…`."""
    return str(pyrage.x25519.Identity.generate())


def encrypt_file(data: bytes, identity: str) -> bytes:
    """Pad `data` and encrypt it with age to `identity`'s recipient."""
    key = pyrage.x25519.Identity.from_str(identity)
    padded = data + bytes(padded_file_size(len(data)) - len(data))
    return bytes(pyrage.encrypt(padded, [key.to_public()]))


def decrypt_stream(ciphertext: bytes, identity: str) -> bytes:
    """Decrypt an age file (unpadded layer): refuses a truncated file, chunks out of order
    or from another file (STREAM's tags and counter), with DecryptionError."""
    try:
        key = pyrage.x25519.Identity.from_str(identity)
    except pyrage.IdentityError:
        raise DecryptionError("the attachment's identity is not an age X25519 identity") from None
    try:
        return bytes(pyrage.decrypt(ciphertext, [key]))
    except pyrage.DecryptError:
        raise DecryptionError(
            "the attachment could not be decrypted: it is not whole, or was altered"
        ) from None


def decrypt_file(ciphertext: bytes, ref: AttachmentRef) -> bytes:
    """The file's bytes: decrypted, its size as the envelope says, the padding all zeros."""
    padded = decrypt_stream(ciphertext, ref.identity)
    if len(padded) != padded_file_size(ref.size):
        raise DecryptionError("the attachment's length does not match its size in the envelope")
    data, padding = padded[: ref.size], padded[ref.size :]
    if padding.count(0) != len(padding):
        raise DecryptionError("the attachment's padding is not zeros")
    return data


def check_attachment_id(value: str) -> str:
    """The canonical form of an attachment id (a UUID), or ValueError."""
    return str(UUID(value))
