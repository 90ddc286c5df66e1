"""Anonymous statistics a VCP releases: counts per category for one quarter.

The platform cannot count categories itself (it cannot read reports); it knows them only
because a VCP chose to release them.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Final

QUARTER_PATTERN: Final = r"^[0-9]{4}Q[1-4]$"
_QUARTER = re.compile(QUARTER_PATTERN)


def quarter_of(day: date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def has_started(quarter: str, today: date) -> bool:
    """Whether `quarter` ("2026Q4") has begun on `today`: one cannot count the future."""
    if not _QUARTER.match(quarter):
        raise ValueError("a quarter is written like 2026Q4")
    return quarter <= quarter_of(today)
