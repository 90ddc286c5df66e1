"""Length-hiding padding of a report body (docs/api.md, "padded body").

Layout: 4-byte big-endian length of the body, the body, then zero bytes up to the next
power of two, at least MIN_PADDED_LEN. Buckets hide the exact size of a report, which
would otherwise leak how much the reporter wrote.
"""

from __future__ import annotations

from typing import Final

MIN_PADDED_LEN: Final = 1024
_LENGTH_PREFIX: Final = 4
MAX_BODY_LEN: Final = 2**32 - 1


def padded_size(body_len: int) -> int:
    """Size of the padded form of a body of body_len bytes."""
    if not 0 <= body_len <= MAX_BODY_LEN:
        raise ValueError("body length out of range for a 4-byte length prefix")
    needed = _LENGTH_PREFIX + body_len
    return max(MIN_PADDED_LEN, 1 << (needed - 1).bit_length())


def is_valid_padded_size(n: int) -> bool:
    """Whether n is a size pad() can produce: a power of two, at least MIN_PADDED_LEN."""
    return n >= MIN_PADDED_LEN and n & (n - 1) == 0


def pad(body: bytes) -> bytes:
    size = padded_size(len(body))
    return (
        len(body).to_bytes(_LENGTH_PREFIX, "big") + body + bytes(size - _LENGTH_PREFIX - len(body))
    )


def unpad(padded: bytes) -> bytes:
    """Inverse of pad(); raise ValueError if padded is not a well-formed padded body.

    A larger bucket than pad() would pick is accepted: docs/api.md can be read as "strictly
    the next power of two" when the length is already one, and a report must stay
    readable whichever reading its sender's client took. The bytes are authenticated by
    AES-GCM before this runs, so leniency here does not help an attacker.
    """
    if not is_valid_padded_size(len(padded)):
        raise ValueError("padded body is not a power of two of at least 1024 bytes")
    body_len = int.from_bytes(padded[:_LENGTH_PREFIX], "big")
    end = _LENGTH_PREFIX + body_len
    if end > len(padded):
        raise ValueError("padded body length prefix exceeds its size")
    if padded[end:] != bytes(len(padded) - end):
        raise ValueError("padded body has non-zero padding bytes")
    return padded[_LENGTH_PREFIX:end]
