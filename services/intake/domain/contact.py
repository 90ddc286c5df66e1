"""How an applicant can be reached besides e-mail: a phone number and a short motivation.

Both are optional and both are read by the organisation's coordinators only. A phone number
is checked loosely: people write numbers in many ways ("06 12345678", "+31 (0)6-1234 5678",
"020/123 45 67"), and a coordinator dials what they read, so it is kept as given, only
trimmed; what cannot be a number at all (letters, too few digits, too long) is refused.
"""

from __future__ import annotations

import re

PHONE_MAX_LENGTH = 30
PHONE_MIN_DIGITS = 6
MOTIVATION_MAX_LENGTH = 1000

# Digits and what people put between them; a leading "+" for the country code.
_PHONE_CHARACTERS = re.compile(r"\+?[0-9 ()\-./]+")

PHONE_REFUSED = (
    f"must be a phone number: digits with spaces, +, -, ( ), . or / between them,"
    f" at least {PHONE_MIN_DIGITS} digits and at most {PHONE_MAX_LENGTH} characters"
)


def phone_as_given(text: str | None) -> str | None:
    """The number trimmed, None when nothing was typed; ValueError when it is no number."""
    if text is None:
        return None
    trimmed = text.strip()
    if not trimmed:
        return None
    digits = sum(char.isdigit() for char in trimmed)
    if (
        len(trimmed) > PHONE_MAX_LENGTH
        or digits < PHONE_MIN_DIGITS
        or not _PHONE_CHARACTERS.fullmatch(trimmed)
    ):
        raise ValueError(PHONE_REFUSED)
    return trimmed


def motivation_as_given(text: str | None) -> str | None:
    """The motivation trimmed, None when empty; ValueError beyond MOTIVATION_MAX_LENGTH."""
    if text is None:
        return None
    trimmed = text.strip()
    if len(trimmed) > MOTIVATION_MAX_LENGTH:
        raise ValueError(f"must be at most {MOTIVATION_MAX_LENGTH} characters")
    return trimmed or None
