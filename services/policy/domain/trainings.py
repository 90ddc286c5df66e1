"""The regional centre's trainings: seats, the waiting list, reminders. Rules without I/O.

A training has `seats`; its document counts the seats `taken` and how many are `waiting`.
Registering takes a seat only while one is free, in the same conditional update that counts
it (use_cases/trainings.py), so two instances never give away the same last seat. A freed
seat goes to the first on the waiting list (the earliest `queued_at`, the id breaking a
tie), never to whoever registers next.

The centre may change a training that has not started (decide_change): what the calendar
files show raises their SEQUENCE, what a registrant acts on (time, end, place, online link)
mails every registration, more seats go to the waiting list in order, and fewer than are
taken are refused.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final, Literal

from services.policy.domain.errors import (
    FewerSeatsThanTaken,
    TrainingCancelledByCentre,
    TrainingRuleBroken,
    TrainingStarted,
)
from shared.events.trainings import ReminderKind, TrainingAudience, TrainingDetail, TrainingField

RegistrationStatus = Literal["confirmed", "waiting", "cancelled"]
CONFIRMED: Final = "confirmed"
WAITING: Final = "waiting"
CANCELLED: Final = "cancelled"
ACTIVE = (CONFIRMED, WAITING)

MAX_TITLE_LENGTH = 200
MAX_DESCRIPTION_LENGTH = 5_000
MAX_PLACE_LENGTH = 300
MAX_SEATS = 1_000

AUDIENCES: tuple[TrainingAudience, ...] = ("vcps", "coordinators", "admins", "volunteers")
# The audience is what the centre has in mind; anyone may register (an admin who will be
# the next VCP, say). A VCP's attended training for VCPs counts on their organisation's
# checklist (domain/pillars.py).
VCP_AUDIENCE: TrainingAudience = "vcps"

# How long before the start each reminder goes out.
REMINDERS: tuple[tuple[ReminderKind, timedelta], ...] = (
    ("week", timedelta(days=7)),
    ("day", timedelta(days=1)),
)


def check_training(
    starts_at: datetime,
    ends_at: datetime,
    place: str | None,
    online_link: str | None,
    *,
    now: datetime,
) -> None:
    """A training as the centre publishes it, or changes it to: ahead, with an end after its
    start, somewhere to go. One already begun would take registrations and send reminders
    for a moment that has passed."""
    if starts_at <= now:
        raise TrainingRuleBroken("A training must start in the future.")
    if ends_at <= starts_at:
        raise TrainingRuleBroken("A training must end after it starts.")
    if not (place or online_link):
        raise TrainingRuleBroken("A training needs a place or an online link (or both).")


def check_not_started(starts_at: datetime, now: datetime, cancelled_at: datetime | None) -> None:
    """The centre cancels or changes a training before it starts, and not once cancelled.
    After the start there is attendance to mark instead; a cancelled one stays listed,
    marked, so members see it."""
    if cancelled_at is not None:
        raise TrainingCancelledByCentre
    if now >= starts_at:
        raise TrainingStarted


def status_on_registering(seats: int, taken: int) -> RegistrationStatus:
    """A seat while one is free, else the waiting list."""
    return CONFIRMED if taken < seats else WAITING


@dataclass(frozen=True)
class Waiting:
    registration_id: str
    queued_at: datetime


def first_waiting(waiting: Sequence[Waiting]) -> Waiting | None:
    """Who gets a freed seat: the first to have joined the waiting list."""
    return min(waiting, key=lambda w: (w.queued_at, w.registration_id), default=None)


def reminders_due(
    starts_at: datetime, now: datetime, sent: Sequence[ReminderKind]
) -> list[ReminderKind]:
    """The reminders whose moment has come and that were not sent; none once it started.
    Only the latest is sent: a seat given the evening before gets the day's reminder, not
    a week's as well."""
    if now >= starts_at:
        return []
    due = [kind for kind, before in REMINDERS if now >= starts_at - before]
    if not due or due[-1] in sent:
        return []
    return [due[-1]]


def reminder_marks(due: Sequence[ReminderKind]) -> list[ReminderKind]:
    """What to record as sent with the due reminder: a later one also settles the earlier."""
    kinds = [kind for kind, _ in REMINDERS]
    if not due:
        return []
    return kinds[: kinds.index(due[-1]) + 1]


# What a registrant acts on (their calendar, how to get there): a change of any mails them.
MAILED_DETAILS: tuple[TrainingDetail, ...] = ("starts_at", "ends_at", "place", "online_link")
# What the calendar files show: a change of any raises their SEQUENCE, so a calendar that
# imported one updates its copy. Audience and seats are not in them.
CALENDAR_FIELDS: tuple[TrainingField, ...] = ("title", "description", *MAILED_DETAILS)
CHANGEABLE: tuple[TrainingField, ...] = (*CALENDAR_FIELDS, "audience", "seats")


@dataclass(frozen=True)
class TrainingChange:
    """What saving a changed training does."""

    changed: tuple[TrainingField, ...]
    # What each registration is mailed about; none: no mail (a correction of the wording).
    mailed: tuple[TrainingDetail, ...]
    # The calendar files' SEQUENCE from now on.
    sequence: int
    # Seats that more seats free for the waiting list's first, in order.
    seats_to_give: int
    # What the reminder job counts as sent from now on; None: as it was (the start stayed).
    reminders_sent: list[ReminderKind] | None


def decide_change(
    current: Mapping[str, Any],
    wanted: Mapping[str, Any],
    *,
    taken: int,
    waiting: int,
    now: datetime,
) -> TrainingChange:
    """The change from `current` to `wanted` (each field of CHANGEABLE, as stored): only
    before the start and not once cancelled; never fewer seats than are taken; never to a
    start that has passed. `current` also carries `sequence` and `cancelled_at`."""
    check_not_started(current["starts_at"], now, current.get("cancelled_at"))
    check_training(
        wanted["starts_at"], wanted["ends_at"], wanted["place"], wanted["online_link"], now=now
    )
    if wanted["seats"] < taken:
        raise FewerSeatsThanTaken(taken)
    changed = tuple(field for field in CHANGEABLE if wanted[field] != current.get(field))
    sequence = current.get("sequence", 0)
    return TrainingChange(
        changed=changed,
        mailed=tuple(detail for detail in MAILED_DETAILS if detail in changed),
        sequence=sequence + 1 if any(f in CALENDAR_FIELDS for f in changed) else sequence,
        seats_to_give=min(waiting, max(0, wanted["seats"] - taken)),
        reminders_sent=(
            reminders_settled_at(wanted["starts_at"], now) if "starts_at" in changed else None
        ),
    )


def reminders_settled_at(starts_at: datetime, now: datetime) -> list[ReminderKind]:
    """After the start moved, the reminders go again relative to the new start: those whose
    moment is still ahead count as not sent. One whose moment has passed already counts as
    sent: the change's own mail, just now, gave the new time (a "week before" mail five days
    before would say it a second time, and wrongly)."""
    return [kind for kind, before in REMINDERS if now >= starts_at - before]
