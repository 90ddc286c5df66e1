"""Events of the regional centre's trainings (services/policy/use_cases/trainings.py).

They are published under the centre's own tenant (`regional-centre`), which holds the
trainings and their registrations. The events that notify turns into a mail to the member
carry that member's address, as VolunteerApplied carries the applicant's: notify keeps no
list of every organisation's members, and the address is the one the member gave for this
training. Nothing else personal travels: no name, no organisation's internal data.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar, Literal

from shared.events.base import Event

TrainingAudience = Literal["vcps", "coordinators", "admins", "volunteers"]
ReminderKind = Literal["week", "day"]
# What of a training the centre can change (PUT /v1/trainings/{id}).
TrainingField = Literal[
    "title", "description", "audience", "starts_at", "ends_at", "place", "online_link", "seats"
]
# What of it a registrant acts on (their calendar, getting there): a change mails them.
TrainingDetail = Literal["starts_at", "ends_at", "place", "online_link"]


class TrainingPublished(Event):
    type_name: ClassVar[str] = "nl.safehands.training.published.v1"
    key_field: ClassVar[str] = "training_id"
    training_id: str
    title: str
    audience: list[TrainingAudience]
    starts_at: datetime
    ends_at: datetime
    seats: int


class TrainingRegistered(Event):
    """A member registered: with a seat, or on the waiting list."""

    type_name: ClassVar[str] = "nl.safehands.training.registered.v1"
    key_field: ClassVar[str] = "training_id"
    training_id: str
    registration_id: str
    member_org: str
    # False: a seat; True: the waiting list.
    on_waiting_list: bool
    registered_at: datetime


class TrainingRegistrationCancelled(Event):
    type_name: ClassVar[str] = "nl.safehands.training.registration_cancelled.v1"
    key_field: ClassVar[str] = "training_id"
    training_id: str
    registration_id: str
    member_org: str
    # Whether the registration held a seat (then it went to the waiting list's first).
    held_seat: bool
    cancelled_at: datetime


class TrainingSeatGiven(Event):
    """A freed seat went to the first on the waiting list; notify tells them by mail."""

    type_name: ClassVar[str] = "nl.safehands.training.seat_given.v1"
    key_field: ClassVar[str] = "training_id"
    training_id: str
    registration_id: str
    member_org: str
    email: str
    title: str
    starts_at: datetime
    language: str
    given_at: datetime


class TrainingAttendanceMarked(Event):
    type_name: ClassVar[str] = "nl.safehands.training.attendance_marked.v1"
    key_field: ClassVar[str] = "training_id"
    training_id: str
    registration_id: str
    member_org: str
    attended: bool


class TrainingReminderDue(Event):
    """A week or a day before a training: notify reminds the member with a seat by mail."""

    type_name: ClassVar[str] = "nl.safehands.training.reminder_due.v1"
    key_field: ClassVar[str] = "training_id"
    training_id: str
    registration_id: str
    email: str
    title: str
    starts_at: datetime
    language: str
    reminder: ReminderKind


class TrainingCancelled(Event):
    """The centre cancelled a training before it started: every registration ended with it."""

    type_name: ClassVar[str] = "nl.safehands.training.cancelled.v1"
    key_field: ClassVar[str] = "training_id"
    training_id: str
    title: str
    starts_at: datetime
    registrations_ended: int
    cancelled_at: datetime


class TrainingCancelledNotice(Event):
    """One registration (a seat or the waiting list) of a cancelled training: notify tells
    the member by mail, at the address they registered with."""

    type_name: ClassVar[str] = "nl.safehands.training.cancelled_notice.v1"
    key_field: ClassVar[str] = "training_id"
    training_id: str
    registration_id: str
    member_org: str
    email: str
    title: str
    starts_at: datetime
    language: str


class TrainingChanged(Event):
    """The centre changed a training before it started. `sequence` is the calendar files'
    SEQUENCE from now on (one higher when the files' content changed); `registrants_told`
    counts the TrainingChangedNotice events that went with it (none when only the title,
    description, audience or seats changed)."""

    type_name: ClassVar[str] = "nl.safehands.training.changed.v1"
    key_field: ClassVar[str] = "training_id"
    training_id: str
    title: str
    audience: list[TrainingAudience]
    starts_at: datetime
    ends_at: datetime
    seats: int
    changed: list[TrainingField]
    sequence: int
    registrants_told: int
    changed_at: datetime


class TrainingChangedNotice(Event):
    """One registration (a seat or the waiting list) of a training whose time, end, place or
    online link changed: notify tells the member by mail, at the address they registered
    with, in the language they registered in, what it is now."""

    type_name: ClassVar[str] = "nl.safehands.training.changed_notice.v1"
    key_field: ClassVar[str] = "training_id"
    training_id: str
    registration_id: str
    member_org: str
    email: str
    title: str
    starts_at: datetime
    ends_at: datetime
    # At least one of the two (a training needs a place or an online link).
    place: str | None
    online_link: str | None
    changed: list[TrainingDetail]
    sequence: int
    language: str


EVENTS: tuple[type[Event], ...] = (
    TrainingPublished,
    TrainingRegistered,
    TrainingRegistrationCancelled,
    TrainingSeatGiven,
    TrainingAttendanceMarked,
    TrainingReminderDue,
    TrainingCancelled,
    TrainingCancelledNotice,
    TrainingChanged,
    TrainingChangedNotice,
)
