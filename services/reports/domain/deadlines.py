"""Case deadlines and when to announce them.

A report must be acknowledged within `acknowledge_days` and the reporter given feedback
within `feedback_months` of receipt. Both deadlines are fixed when the report arrives, so
a later change of the organisation's settings does not move a promise already made.

Each deadline is announced (`ReportDeadlineApproaching`) twice at most: once two days
before it, and once when it is missed. What was announced is recorded with the case, so
an announcement is made once however often the sweep runs.

- The acknowledge deadline is pending while the case is `received`.
- The feedback deadline is pending until the case is closed or a VCP has written to the
  reporter while the case was `in_progress` (feedback on the follow-up, as opposed to the
  acknowledgement itself).
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Final

from services.reports.domain.case_settings import CaseSettings
from services.reports.domain.workflow import CaseStatus
from shared.domain.case_deadlines import Deadline

WARNING_AHEAD: Final = timedelta(days=2)


def add_months(moment: datetime, months: int) -> datetime:
    """The same day and time `months` later; the month's last day when that day is missing
    (31 January + 1 month is 28 or 29 February)."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def moment_of_receipt(day_of_receipt: datetime, now: datetime) -> datetime:
    """When a report arrived, as reports keeps it. intake's IncidentReported gives only the
    day (report times leave reports no finer, issue 19); reports reads the event moments
    after intake accepted the report, so its own clock is the moment, for the VCP's inbox
    and deadlines. Read on another day (a replay, a long outage), the start of the given day:
    a deadline rather early than late."""
    if day_of_receipt <= now < day_of_receipt + timedelta(days=1):
        return now
    return day_of_receipt


def deadlines_for(received_at: datetime, settings: CaseSettings) -> dict[Deadline, datetime]:
    return {
        Deadline.ACKNOWLEDGE: received_at + timedelta(days=settings.acknowledge_days),
        Deadline.FEEDBACK: add_months(received_at, settings.feedback_months),
    }


def gives_feedback(status: CaseStatus) -> bool:
    """Whether a VCP's message, written while the case is at `status`, is the feedback."""
    return status == CaseStatus.IN_PROGRESS


@dataclass(frozen=True)
class CaseClock:
    """The facts the deadline rules look at, for one case."""

    status: CaseStatus
    acknowledge_by: datetime
    feedback_by: datetime
    feedback_given: bool = False
    # Keys of announcements already made, as produced by `Announcement.key`.
    announced: frozenset[str] = field(default_factory=frozenset)

    def due(self, deadline: Deadline) -> datetime:
        return self.acknowledge_by if deadline == Deadline.ACKNOWLEDGE else self.feedback_by


def pending_deadlines(case: CaseClock) -> Mapping[Deadline, datetime]:
    """The deadlines the case still has to meet, with their due times."""
    pending: dict[Deadline, datetime] = {}
    if case.status == CaseStatus.RECEIVED:
        pending[Deadline.ACKNOWLEDGE] = case.acknowledge_by
    if case.status != CaseStatus.CLOSED and not case.feedback_given:
        pending[Deadline.FEEDBACK] = case.feedback_by
    return pending


def is_overdue(case: CaseClock, now: datetime) -> bool:
    return any(due <= now for due in pending_deadlines(case).values())


def next_deadline(case: CaseClock) -> datetime | None:
    """The earliest deadline still to be met, for sorting an inbox."""
    return min(pending_deadlines(case).values(), default=None)


@dataclass(frozen=True)
class Announcement:
    deadline: Deadline
    due_at: datetime
    missed: bool

    @property
    def key(self) -> str:
        return f"{self.deadline.value}:{'missed' if self.missed else 'approaching'}"


def _key(deadline: Deadline, missed: bool) -> str:
    return Announcement(deadline, datetime.min, missed).key


def due_announcements(case: CaseClock, now: datetime) -> list[Announcement]:
    """What to announce for the case at `now` that was not announced yet.

    A deadline already missed when first looked at is announced as missed only: a warning
    about something already past would be noise.
    """
    announcements = []
    for deadline, due in pending_deadlines(case).items():
        if now < due - WARNING_AHEAD:
            continue
        announcement = Announcement(deadline, due, missed=now >= due)
        if announcement.key not in case.announced:
            announcements.append(announcement)
    return announcements


def next_check_at(case: CaseClock) -> datetime | None:
    """When the sweep must next look at the case: the earliest moment an announcement not
    yet made becomes due; None when nothing is left to announce. May lie in the past."""
    moments = []
    for deadline, due in pending_deadlines(case).items():
        if _key(deadline, missed=True) in case.announced:
            continue
        warned = _key(deadline, missed=False) in case.announced
        moments.append(due if warned else due - WARNING_AHEAD)
    return min(moments, default=None)
