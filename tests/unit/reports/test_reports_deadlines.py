from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.reports.domain.case_settings import CaseSettings
from services.reports.domain.deadlines import (
    Announcement,
    CaseClock,
    Deadline,
    add_months,
    deadlines_for,
    due_announcements,
    gives_feedback,
    is_overdue,
    next_check_at,
    next_deadline,
)
from services.reports.domain.workflow import CaseStatus

RECEIVED = datetime(2026, 1, 31, 9, 30, tzinfo=UTC)
DAY = timedelta(days=1)


def clock(status: CaseStatus = CaseStatus.RECEIVED, **changes: object) -> CaseClock:
    deadlines = deadlines_for(RECEIVED, CaseSettings())
    fields: dict[str, object] = {
        "status": status,
        "acknowledge_by": deadlines[Deadline.ACKNOWLEDGE],
        "feedback_by": deadlines[Deadline.FEEDBACK],
        **changes,
    }
    return CaseClock(**fields)  # type: ignore[arg-type]


def keys(announcements: list[Announcement]) -> list[str]:
    return [a.key for a in announcements]


def test_defaults_are_seven_days_and_three_calendar_months() -> None:
    deadlines = deadlines_for(RECEIVED, CaseSettings())
    assert deadlines[Deadline.ACKNOWLEDGE] == datetime(2026, 2, 7, 9, 30, tzinfo=UTC)
    # 31 January + 3 months: there is no 31 April, so the last day of April.
    assert deadlines[Deadline.FEEDBACK] == datetime(2026, 4, 30, 9, 30, tzinfo=UTC)


def test_organisation_periods_are_used() -> None:
    deadlines = deadlines_for(RECEIVED, CaseSettings(acknowledge_days=3, feedback_months=1))
    assert deadlines[Deadline.ACKNOWLEDGE] == RECEIVED + 3 * DAY
    assert deadlines[Deadline.FEEDBACK] == datetime(2026, 2, 28, 9, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (datetime(2026, 11, 15, tzinfo=UTC), 3, datetime(2027, 2, 15, tzinfo=UTC)),
        (datetime(2027, 11, 30, tzinfo=UTC), 3, datetime(2028, 2, 29, tzinfo=UTC)),
        (datetime(2026, 12, 31, tzinfo=UTC), 24, datetime(2028, 12, 31, tzinfo=UTC)),
        (datetime(2026, 1, 1, tzinfo=UTC), 12, datetime(2027, 1, 1, tzinfo=UTC)),
    ],
)
def test_add_months_crosses_years_and_clamps_to_the_month_end(
    start: datetime, months: int, expected: datetime
) -> None:
    assert add_months(start, months) == expected


def test_settings_have_bounds() -> None:
    with pytest.raises(ValueError):
        CaseSettings(acknowledge_days=0)
    with pytest.raises(ValueError):
        CaseSettings(retention_months=0)
    with pytest.raises(ValueError):
        CaseSettings.model_validate({"acknowledge_days": 7, "surprise": 1})


def test_nothing_is_announced_until_two_days_before() -> None:
    case = clock()
    assert due_announcements(case, case.acknowledge_by - 2 * DAY - timedelta(seconds=1)) == []
    warned = due_announcements(case, case.acknowledge_by - 2 * DAY)
    assert keys(warned) == ["acknowledge:approaching"]
    assert warned[0].due_at == case.acknowledge_by
    assert not warned[0].missed


def test_missed_deadline_is_announced_again_once() -> None:
    case = clock(announced=frozenset({"acknowledge:approaching"}))
    assert due_announcements(case, case.acknowledge_by - DAY) == []
    missed = due_announcements(case, case.acknowledge_by)
    assert keys(missed) == ["acknowledge:missed"] and missed[0].missed
    done = clock(announced=frozenset({"acknowledge:approaching", "acknowledge:missed"}))
    assert due_announcements(done, case.acknowledge_by + 30 * DAY) == []


def test_a_deadline_first_seen_after_it_passed_is_only_announced_as_missed() -> None:
    case = clock()
    assert keys(due_announcements(case, case.acknowledge_by + DAY)) == ["acknowledge:missed"]


def test_acknowledging_ends_the_acknowledge_deadline() -> None:
    case = clock(CaseStatus.ACKNOWLEDGED)
    assert due_announcements(case, case.acknowledge_by + DAY) == []
    assert next_deadline(case) == case.feedback_by


def test_feedback_deadline_runs_until_feedback_or_closing() -> None:
    late = clock().feedback_by + DAY
    for case, expected in [
        (clock(CaseStatus.IN_PROGRESS), ["feedback:missed"]),
        (clock(CaseStatus.IN_PROGRESS, feedback_given=True), []),
        (clock(CaseStatus.CLOSED), []),
    ]:
        assert keys(due_announcements(case, late)) == expected


def test_both_deadlines_can_be_due_at_once() -> None:
    case = clock()
    assert keys(due_announcements(case, case.feedback_by)) == [
        "acknowledge:missed",
        "feedback:missed",
    ]


def test_only_a_reply_during_follow_up_counts_as_feedback() -> None:
    assert [s for s in CaseStatus if gives_feedback(s)] == [CaseStatus.IN_PROGRESS]


def test_next_check_follows_what_is_left_to_announce() -> None:
    case = clock()
    assert next_check_at(case) == case.acknowledge_by - 2 * DAY
    warned = clock(announced=frozenset({"acknowledge:approaching"}))
    assert next_check_at(warned) == case.acknowledge_by
    acknowledged = clock(CaseStatus.ACKNOWLEDGED, announced=frozenset({"acknowledge:missed"}))
    assert next_check_at(acknowledged) == case.feedback_by - 2 * DAY
    assert next_check_at(clock(CaseStatus.CLOSED)) is None
    everything = frozenset({"acknowledge:missed", "feedback:missed"})
    assert next_check_at(clock(announced=everything)) is None


def test_sweeping_at_next_check_always_finds_something_to_announce() -> None:
    """The sweep loads cases whose next check has come; each must make progress."""
    case = clock()
    now = RECEIVED
    announced: list[str] = []
    while (check := next_check_at(case)) is not None:
        now = max(now, check)
        due = due_announcements(case, now)
        assert due, f"nothing due at the next check {check}"
        announced += keys(due)
        case = clock(announced=case.announced | set(keys(due)))
    assert announced == [
        "acknowledge:approaching",
        "acknowledge:missed",
        "feedback:approaching",
        "feedback:missed",
    ]


def test_overdue_means_a_pending_deadline_has_passed() -> None:
    case = clock()
    assert not is_overdue(case, case.acknowledge_by - timedelta(seconds=1))
    assert is_overdue(case, case.acknowledge_by)
    acknowledged = clock(CaseStatus.ACKNOWLEDGED)
    assert not is_overdue(acknowledged, case.acknowledge_by + DAY)
    assert is_overdue(acknowledged, case.feedback_by)
    assert not is_overdue(clock(CaseStatus.CLOSED), case.feedback_by + DAY)
