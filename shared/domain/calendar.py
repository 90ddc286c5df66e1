"""What day it is for the organisations SafeHands serves.

VOG issue dates, renewal dates and retention periods are Dutch calendar days: a VOG issued
today must not count as "in the future" because the server's UTC date is still yesterday.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

ORGANISATION_TIMEZONE = ZoneInfo("Europe/Amsterdam")


def today() -> date:
    return day_of(datetime.now(UTC))


def day_of(moment: datetime) -> date:
    """The organisations' calendar day of an aware moment: 23:30 UTC on 31 December is
    already 1 January in the Netherlands."""
    return moment.astimezone(ORGANISATION_TIMEZONE).date()


def as_stored(moment: datetime) -> datetime:
    """The moment as the database keeps it (BSON dates hold milliseconds), so that an answer
    says what every later read says, and a moment sent again compares equal to the stored."""
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)
