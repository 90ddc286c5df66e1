"""Names and titles people type: an organisation's, a role's, a member's, a VCP's.

They end up in mail subjects and headers, on pages and in CSV files, where a control
character does harm: a line break in a subject made Python's `email` refuse the mail (issue
19), a bidirectional override turns what a reader sees around. So a name is text on one
line: no control characters (Unicode category Cc: C0, DEL and C1, tab and line breaks
included), no line or paragraph separators, no bidirectional embedding, override or isolate.
"""

from __future__ import annotations

import unicodedata
from typing import Annotated

from pydantic import AfterValidator, Field

NAME_MAX_LENGTH = 200

_REFUSED_CATEGORIES = frozenset({"Cc", "Zl", "Zp"})
# Bidirectional embeddings, overrides and isolates (LRE…RLO, LRI…PDI).
_BIDI_CONTROLS = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))

CONTROL_CHARACTERS = "must be one line without control characters (such as a line break or tab)"


def has_control_characters(text: str) -> bool:
    return any(
        unicodedata.category(char) in _REFUSED_CATEGORIES or char in _BIDI_CONTROLS for char in text
    )


def _one_clean_line(value: str) -> str:
    if has_control_characters(value):
        raise ValueError(CONTROL_CHARACTERS)
    return value


# The same rule for the contract, so that clients and generators that read it (the fuzzer)
# know it: an ECMA-262 pattern of every character above except the named ones. Only the
# contract carries it; the check is `_one_clean_line`'s, whose message names the rule.
ONE_LINE_PATTERN = (
    "^[^\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069]*$"
)

Name = Annotated[
    str,
    Field(
        min_length=1,
        max_length=NAME_MAX_LENGTH,
        json_schema_extra={"pattern": ONE_LINE_PATTERN},
    ),
    AfterValidator(_one_clean_line),
]
"""A name or title as a request gives it: 1 to 200 characters, one line, no control
characters; anything else is a 422 naming the field."""
