"""Who is in a case: the VCPs the reporter chose (issue 24), and those a case was handed to.

The report's envelope is the record: a VCP is in the case when one of the keys they ever
held is among its recipients. The conversation is sealed to the current keys of exactly
those VCPs, and a VCP the reporter left out (one who had a key when the report came in but
was not chosen) is never added by a hand-over: the reporter may have left them out because
they are close to the person reported.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

INTRODUCTION_MAX_LENGTH = 500


@dataclass(frozen=True)
class KeyRecord:
    """One key a VCP held: `set_at` None for a key set before the day was kept, `until`
    None while it is in use."""

    vcp_id: str
    fingerprint: str
    set_at: datetime | None
    until: datetime | None


def vcps_in_case(sealed: set[str], keys: Iterable[KeyRecord]) -> set[str]:
    """The ids of the VCPs who hold (or held) a key the report is sealed to."""
    return {k.vcp_id for k in keys if k.fingerprint in sealed}


def case_keys(sealed: set[str], keys: Iterable[KeyRecord], current: Mapping[str, str]) -> set[str]:
    """The current keys (`current`: vcp_id → fingerprint) of the VCPs in the case: what every
    message of its conversation is sealed to. A VCP who replaced a lost key gets the
    conversation under the new one, as a colleague's hand-over gives them the report."""
    in_case = vcps_in_case(sealed, keys)
    return {fingerprint for vcp_id, fingerprint in current.items() if vcp_id in in_case}


def _held_at(key: KeyRecord, moment: datetime) -> bool:
    started = key.set_at is None or key.set_at <= moment
    return started and (key.until is None or key.until > moment)


def left_out(sealed: set[str], received_at: datetime, keys: Iterable[KeyRecord]) -> set[str]:
    """The VCPs the reporter chose not to write to: a key of theirs was current when the
    report came in, and none of their keys is among its recipients."""
    records = list(keys)
    in_case = vcps_in_case(sealed, records)
    return {k.vcp_id for k in records if k.vcp_id not in in_case and _held_at(k, received_at)}


def recipients_problem(given: set[str], required: set[str], allowed: set[str]) -> str | None:
    """Why a message sealed to `given` does not fit the case; None when it does. It must be
    sealed to every key in `required` (the case's VCPs, and the reporter's reply key for a
    VCP's reply); `allowed` also admits the organisation's other current VCP keys, which a
    client of the first contract ("every VCP key") seals to. Those VCPs still cannot fetch
    the case, so nothing reaches them."""
    if not required <= given:
        return "is not sealed to every VCP of the case"
    if not given <= allowed:
        return "is sealed to a key that is no current VCP key of the organisation"
    return None


def clean_introduction(text: str) -> str | None:
    """The introduction as stored: trimmed, None when empty. ValueError for control
    characters other than line breaks (a paragraph or two is what a VCP writes)."""
    trimmed = text.strip()
    for char in trimmed:
        if char in "\n\r":
            continue
        if unicodedata.category(char) in ("Cc", "Zl", "Zp") or "\u202a" <= char <= "\u202e":
            raise ValueError("must not contain control characters other than line breaks")
        if "\u2066" <= char <= "\u2069":
            raise ValueError("must not contain control characters other than line breaks")
    return trimmed or None
