"""The region's open roles found by words and place, and the centre's news by audience and
week (services/policy/domain/open_roles.py, news.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise

import pytest

from services.policy.domain.news import Headline, addressed_to, digest_for, digest_week
from services.policy.domain.open_roles import OpenRole, matches, search
from shared.domain.calendar import ORGANISATION_TIMEZONE, day_of


def role(title: str, place: str, org: str = "Harbour Rowing", text: str = "") -> OpenRole:
    return OpenRole(
        "harbour", org, title.lower().replace(" ", "-"), title, place, "2 h", text, False
    )


def test_words_and_place_each_match_the_beginnings_of_words_ignoring_case_and_accents() -> None:
    coach = role("Youth coach", "Den Bosch", text="Saturday mornings on the water")
    assert matches(coach, "coach", "")
    assert matches(coach, "YOU harb", "bosch")
    assert matches(coach, "satur", "den")
    assert not matches(coach, "coach", "Utrecht")
    assert not matches(coach, "bar", "")
    # The place is searched in the place only, the words not in the place.
    assert not matches(coach, "bosch", "")
    assert matches(role("Barista", "Zoëterwoude"), "", "zoeter")


def test_a_search_pages_by_title_and_counts_every_match() -> None:
    roles = [role(f"Role {n:02d}", "Oss") for n in range(5)] + [role("Elsewhere", "Uden")]
    first = search(roles, "", "oss", page=1, page_size=2)
    assert [r.title for r in first.items] == ["Role 00", "Role 01"] and first.total == 5
    last = search(roles, "", "oss", page=3, page_size=2)
    assert [r.title for r in last.items] == ["Role 04"]
    assert search(roles, "", "oss", page=4, page_size=2).items == []


def test_news_reaches_all_or_only_its_kind() -> None:
    assert addressed_to("all", None) and addressed_to("all", "care")
    assert addressed_to("sport", "sport")
    assert not addressed_to("care", "sport")
    assert not addressed_to("sport", None)


def test_the_digest_of_a_week_holds_the_previous_weeks_news_for_the_kind() -> None:
    # Wednesday 9 December 2026 is in week 50; the digest holds week 49 (30 Nov - 6 Dec),
    # Dutch time (UTC+1 in winter).
    week = digest_week(date(2026, 12, 9))
    assert week.label == "2026-W50"
    assert week.since == datetime(2026, 11, 29, 23, tzinfo=UTC)
    assert week.until == datetime(2026, 12, 6, 23, tzinfo=UTC)
    news = [
        Headline("a", "Before", "all", datetime(2026, 11, 29, 22, 59, tzinfo=UTC)),
        Headline("b", "For all", "all", datetime(2026, 12, 2, tzinfo=UTC)),
        Headline("c", "For care", "care", datetime(2026, 12, 1, tzinfo=UTC)),
        Headline("d", "For sport", "sport", datetime(2026, 11, 29, 23, tzinfo=UTC)),
        Headline("e", "This week", "all", datetime(2026, 12, 6, 23, 30, tzinfo=UTC)),
    ]
    assert [h.news_id for h in digest_for("sport", news, week)] == ["d", "b"]
    assert [h.news_id for h in digest_for(None, news, week)] == ["b"]


@pytest.mark.parametrize("first", [date(2026, 3, 16), date(2026, 10, 12), date(2026, 11, 30)])
def test_every_moment_is_in_one_digest_and_none_is_sent_before_its_week_has_passed(
    first: date,
) -> None:
    """The job is given the Dutch day. Sent in the first hour of a Dutch Monday (Sunday
    23:00 UTC), a digest reaching to Monday 00:00 UTC held news published after it went,
    which the next week's digest then left out: in no digest. Across the clock changes of
    29 March and 25 October too."""
    days = [first + timedelta(days=n) for n in range(28)]
    weeks = {digest_week(day).label: digest_week(day) for day in days}
    ordered = sorted(weeks.values(), key=lambda week: week.since)
    for earlier, later in pairwise(ordered):
        assert earlier.until == later.since
    for day in days:
        first_moment = datetime.combine(day, time(0), tzinfo=ORGANISATION_TIMEZONE)
        assert digest_week(day).until <= first_moment
        assert day_of(digest_week(day).until) == day - timedelta(days=day.weekday())
