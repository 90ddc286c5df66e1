"""What day it is for the organisations SafeHands serves.

VOG issue dates, renewal dates and retention periods are Dutch calendar days: a VOG issued
today must not count as "in the future" because the server's UTC date is still yesterday.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

ORGANISATION_TIMEZONE = ZoneInfo("Europe/Amsterdam")


def today() -> date:
    return datetime.now(UTC).astimezone(ORGANISATION_TIMEZONE).date()
