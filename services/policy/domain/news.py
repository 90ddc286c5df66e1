"""The regional centre's news (issue 25 item 4): which items an organisation's members see,
and what the weekly digest holds.

An item addressed to "all" reaches every organisation; one addressed to a kind (sport,
youth, care) reaches only organisations whose settings name that kind. The digest is sent
once per ISO week, in the first run of the week, and holds the news of the week before.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from shared.domain.calendar import ORGANISATION_TIMEZONE

MAX_TITLE_LENGTH = 200
# Short news, not articles: the text of an item is at most this many characters.
MAX_BODY_LENGTH = 5000
# An organisation's page shows the newest items, at most this many.
MAX_SHOWN = 50


def audiences_of(kind: str | None) -> list[str]:
    """The audiences whose items an organisation of `kind` (None: no kind set) sees."""
    return ["all"] if kind is None else ["all", kind]


def addressed_to(audience: str, kind: str | None) -> bool:
    return audience in audiences_of(kind)


@dataclass(frozen=True)
class DigestWeek:
    """The ISO week a digest is sent in (its label, "2026-W49"), and the moments its news
    was published between: the previous week, Monday 00:00 up to this Monday 00:00, Dutch
    time, as the week of `shared.domain.calendar.today` (which the job is given) is Dutch.
    With UTC midnights, the digest sent in the first hour of a Dutch Monday reached an hour
    into the future: news published in that hour, after the digest went, was in no digest."""

    label: str
    since: datetime
    until: datetime


def digest_week(day: date) -> DigestWeek:
    year, week, weekday = day.isocalendar()
    monday = day - timedelta(days=weekday - 1)
    # Each Monday's midnight on its own: a week with a change of clock is 167 or 169 hours.
    since, until = (
        datetime.combine(start, time(0), tzinfo=ORGANISATION_TIMEZONE).astimezone(UTC)
        for start in (monday - timedelta(days=7), monday)
    )
    return DigestWeek(label=f"{year}-W{week:02d}", since=since, until=until)


@dataclass(frozen=True)
class Headline:
    news_id: str
    title: str
    audience: str
    published_at: datetime


def digest_for(kind: str | None, news: Iterable[Headline], week: DigestWeek) -> list[Headline]:
    """The headlines of `week`'s news addressed to an organisation of `kind`, oldest first."""
    return sorted(
        (
            item
            for item in news
            if addressed_to(item.audience, kind) and week.since <= item.published_at < week.until
        ),
        key=lambda item: (item.published_at, item.news_id),
    )
