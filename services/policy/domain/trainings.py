"""The regional centre's trainings: seats, the waiting list, reminders. Rules without I/O.

A training has `seats`; its document counts the seats `taken` and how many are `waiting`.
Registering takes a seat only while one is free, in the same conditional update that counts
it (use_cases/trainings.py), so two instances never give away the same last seat. A freed
seat goes to the first on the waiting list (the earliest `queued_at`, the id breaking a
tie), never to whoever registers next.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final, Literal

from services.policy.domain.errors import (
    TrainingCancelledByCentre,
    TrainingRuleBroken,
    TrainingStarted,
)
from shared.events.trainings import ReminderKind, TrainingAudience

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
    starts_at: datetime, ends_at: datetime, place: str | None, online_link: str | None
) -> None:
    if ends_at <= starts_at:
        raise TrainingRuleBroken("A training must end after it starts.")
    if not (place or online_link):
        raise TrainingRuleBroken("A training needs a place or an online link (or both).")


def check_cancellable(starts_at: datetime, now: datetime, cancelled_at: datetime | None) -> None:
    """The centre cancels a training before it starts, once. After the start there is
    attendance to mark instead; a cancelled one stays listed, marked, so members see it."""
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
