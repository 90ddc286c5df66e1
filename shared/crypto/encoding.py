"""Base64url without padding, the only binary-to-text encoding in the public contract."""

from __future__ import annotations

import base64
import binascii
from typing import Final

BASE32_ALPHABET: Final = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_B64URL_ALPHABET: Final = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_TO_STANDARD: Final = bytes.maketrans(b"-_", b"+/")
# Bits of the last character that carry no data, by length mod 4: they must be zero.
_UNUSED_BITS_MASK: Final = {2: 0b1111, 3: 0b11}


def b64url_encode(data: bytes) -> str:
    """Encode bytes as base64url without '=' padding."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Decode base64url without padding; raise ValueError on anything else.

    Only the canonical encoding is accepted (unused trailing bits must be zero), so a
    value has exactly one textual form and cannot be smuggled past equality checks.
    """
    # base64.urlsafe_b64decode silently drops characters outside the alphabet and takes
    # '+', '/' and padding, so check those first; binascii's strict mode does the rest.
    if not isinstance(text, str):
        raise ValueError("expected a base64url string")
    if not text.isascii() or "+" in text or "/" in text or "=" in text:
        raise ValueError(
            "not base64url without padding: only A-Z, a-z, 0-9, '-' and '_' are allowed"
        )
    remainder = len(text) % 4
    if remainder == 1:
        raise ValueError("not base64url: the length is impossible for any byte string")
    standard = text.encode("ascii").translate(_TO_STANDARD) + b"=" * (-len(text) % 4)
    try:
        data = binascii.a2b_base64(standard, strict_mode=True)
    except binascii.Error:
        raise ValueError(
            "not base64url without padding: only A-Z, a-z, 0-9, '-' and '_' are allowed"
        ) from None
    if remainder and _B64URL_ALPHABET.index(text[-1]) & _UNUSED_BITS_MASK[remainder]:
        raise ValueError("not canonical base64url: the unused trailing bits are not zero")
    return data


def b64url_length(n_bytes: int) -> int:
    """Length of the unpadded base64url text for n_bytes, to bound fields before decoding."""
    return (4 * n_bytes + 2) // 3


# For JSON Schema: base64url text without padding (lengths given beside it).
B64URL_PATTERN: Final = r"^[A-Za-z0-9_-]+$"
# The last character of a canonical encoding, by how many bytes the last group holds:
# its unused low bits are zero (see b64url_decode).
_LAST_CHAR: Final = {
    remainder: "".join(c for i, c in enumerate(_B64URL_ALPHABET) if not i & mask)
    for remainder, mask in _UNUSED_BITS_MASK.items()
}


def b64url_exact_pattern(*byte_lengths: int) -> str:
    """A regular expression for the canonical base64url text of exactly one of
    `byte_lengths` bytes, so that a JSON Schema states what b64url_decode accepts."""
    forms = []
    for n_bytes in sorted(set(byte_lengths)):
        length = b64url_length(n_bytes)
        remainder = length % 4
        if remainder:
            forms.append(f"[A-Za-z0-9_-]{{{length - 1}}}[{_LAST_CHAR[remainder]}]")
        else:
            forms.append(f"[A-Za-z0-9_-]{{{length}}}")
    return "^(?:" + "|".join(forms) + ")$"


def normalize_base32(text: str, length: int, what: str) -> str:
    """Upper-case, drop whitespace and dashes, and check for `length` RFC 4648 base32 chars.

    For codes people type (receipts, recovery codes); `what` names the code in errors.
    """
    # Check ASCII before upper-casing: 'ß'.upper() is 'SS', which would pass validation.
    if not text.isascii():
        raise ValueError(f"a {what} contains only the letters A-Z and digits 2-7")
    compact = "".join(text.split()).replace("-", "").upper()
    if len(compact) != length or any(c not in BASE32_ALPHABET for c in compact):
        raise ValueError(
            f"a {what} is {length} characters, the letters A-Z and digits 2-7 "
            "(spaces and dashes are ignored)"
        )
    return compact
