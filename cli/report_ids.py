"""Report ids as people type them: any unique prefix names a report, as git does with
commit ids, and the inbox shows the shortest prefix that is unique (never under 8
characters), so it fits an 80-column terminal and can be typed back."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

SHORTEST = 8
# An ambiguity lists this many candidates by name, then counts the rest.
LISTED = 5


class ReportIdError(Exception):
    """A prefix that names no report, or more than one; the message says which."""


def resolve_report_id(prefix: str, report_ids: Sequence[str], org: str) -> str:
    """The one id in `report_ids` that starts with `prefix` (case-insensitive)."""
    wanted = prefix.strip().lower()
    if not wanted:
        raise ReportIdError("Give a report id, or the first characters of one.")
    exact = [rid for rid in report_ids if rid.lower() == wanted]
    if exact:
        return exact[0]
    matches = sorted(rid for rid in report_ids if rid.lower().startswith(wanted))
    if not matches:
        raise ReportIdError(
            f"No report of {org} has an id starting with {prefix!r} (see `safehands vcp inbox`)."
        )
    if len(matches) > 1:
        shown = ", ".join(matches[:LISTED])
        more = f" and {len(matches) - LISTED} more" if len(matches) > LISTED else ""
        raise ReportIdError(
            f"{prefix!r} matches {len(matches)} reports of {org}: {shown}{more}; "
            "type more characters of the id."
        )
    return matches[0]


def short_ids(report_ids: Sequence[str]) -> dict[str, str]:
    """Each id's shortest prefix of at least SHORTEST characters that no other id shares."""
    lowered = sorted({rid.lower() for rid in report_ids})
    shortest: dict[str, int] = {}
    for before, after in itertools.pairwise(lowered):
        common = _common_length(before, after)
        # One character beyond what the neighbour shares tells them apart.
        for rid in (before, after):
            shortest[rid] = max(shortest.get(rid, SHORTEST), common + 1)
    return {rid: rid[: min(len(rid), shortest.get(rid.lower(), SHORTEST))] for rid in report_ids}


def _common_length(a: str, b: str) -> int:
    length = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        length += 1
    return length
