"""Code-of-conduct versions and signatures.

A signature is valid for one exact text: the version number says which one, the SHA-256 proves
the volunteer signed the text the organisation published and not a look-alike.
"""

from __future__ import annotations

import hashlib

FIRST_VERSION = 1


def code_sha256(text: str) -> str:
    """Lower-case hex SHA-256 over the exact UTF-8 bytes of `text`.

    No normalisation of whitespace, line endings or Unicode: the hash must change whenever what
    the volunteer read could differ, and a client can reproduce it without knowing our rules.
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def next_version(current: int | None) -> int:
    """The version number for a newly published code: 1, 2, … ."""
    if current is None:
        return FIRST_VERSION
    if current < FIRST_VERSION:
        raise ValueError(f"code versions start at {FIRST_VERSION}, got {current}")
    return current + 1


def signature_matches(
    version: int, sha256: str, current_version: int | None, current_sha256: str | None
) -> bool:
    """Whether a signature is for the current code: same version and same text hash.

    Hex is compared case-insensitively, since upper- and lower-case spell the same digest.
    Without a published code there is nothing to sign.
    """
    if current_version is None or current_sha256 is None:
        return False
    return version == current_version and sha256.lower() == current_sha256.lower()
