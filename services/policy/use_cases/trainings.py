"""The regional centre's trainings: the operator publishes and marks attendance, members of
any organisation register and cancel (domain/trainings.py holds the rules).

Everything lives under the centre's tenant (REGIONAL_CENTRE), in one transaction per change.
Every change of a training's seats writes its document (`taken`, `waiting`), so two changes
of one training on two instances collide there and one of them runs again
(Database.transact): a seat is taken with a conditional update, never by reading the count
and writing it back, and a freed seat goes to the waiting list's first exactly once.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Literal

from pydantic import AwareDatetime, BaseModel, EmailStr, Field, HttpUrl
from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from services.policy.domain.errors import (
    AlreadyRegistered,
    NoSeatHeld,
    NoSuchRegistration,
    NoSuchTraining,
    TrainingCancelledByCentre,
    TrainingChangedMeanwhile,
    TrainingStarted,
)
from services.policy.domain.trainings import (
    ACTIVE,
    AUDIENCES,
    CANCELLED,
    CONFIRMED,
    MAX_DESCRIPTION_LENGTH,
    MAX_PLACE_LENGTH,
    MAX_SEATS,
    MAX_TITLE_LENGTH,
    VCP_AUDIENCE,
    WAITING,
    RegistrationStatus,
    Waiting,
    check_not_started,
    check_training,
    decide_change,
    first_waiting,
    reminder_marks,
    reminders_due,
    status_on_registering,
)
from services.policy.storage import TRAINING_REGISTRATIONS, TRAININGS
from shared import audit
from shared.domain.calendar import as_stored
from shared.domain.numbers import WholeNumber
from shared.events.trainings import (
    TrainingAttendanceMarked,
    TrainingAudience,
    TrainingCancelled,
    TrainingCancelledNotice,
    TrainingChanged,
    TrainingChangedNotice,
    TrainingPublished,
    TrainingRegistered,
    TrainingRegistrationCancelled,
    TrainingReminderDue,
    TrainingSeatGiven,
)
from shared.storage.database import Database
from shared.storage.tenancy import Document
from shared.storage.unit_of_work import UnitOfWork
from shared.tenants import REGIONAL_CENTRE

OneLine = r"^[^\x00-\x1f\x7f]*$"


class NewTraining(BaseModel):
    title: str = Field(min_length=1, max_length=MAX_TITLE_LENGTH, pattern=OneLine)
    description: str = Field(default="", max_length=MAX_DESCRIPTION_LENGTH)
    audience: list[TrainingAudience] = Field(min_length=1, max_length=4)
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    place: str | None = Field(default=None, max_length=MAX_PLACE_LENGTH, pattern=OneLine)
    online_link: HttpUrl | None = None
    seats: WholeNumber = Field(ge=1, le=MAX_SEATS)


class Training(BaseModel):
    training_id: str
    title: str
    description: str
    audience: list[TrainingAudience]
    starts_at: datetime
    ends_at: datetime
    place: str | None
    online_link: str | None
    seats: int
    seats_left: int
    waiting: int
    # When the centre cancelled it; None while it goes ahead.
    cancelled_at: datetime | None = None
    changed_at: datetime | None = Field(
        default=None, description="When the centre last changed it; null if never."
    )


class ChangedTraining(Training):
    registrants_mailed: int = Field(
        description="How many registrations (seats and waiting list) are mailed about the"
        " change: all of them when the time, end, place or online link changed, else none."
    )


class NewRegistration(BaseModel):
    name: str = Field(min_length=1, max_length=200, pattern=OneLine)
    email: EmailStr = Field(description="Where the training's mails go (a seat, reminders).")
    language: Literal["nl", "en"] = "nl"


class Member(BaseModel):
    """Who registers: always the token's holder, for themself."""

    member_id: str
    org_id: str
    roles: list[str]


class Registration(BaseModel):
    registration_id: str
    training_id: str
    member_org: str
    status: Literal["confirmed", "waiting", "cancelled"]
    registered_at: datetime
    # 1 for the first on the waiting list; None with a seat or cancelled.
    position: int | None = None
    attended: bool | None = None


def training_view(doc: Document) -> Training:
    return Training(
        training_id=doc["training_id"],
        title=doc["title"],
        description=doc["description"],
        audience=doc["audience"],
        starts_at=doc["starts_at"],
        ends_at=doc["ends_at"],
        place=doc.get("place"),
        online_link=doc.get("online_link"),
        seats=doc["seats"],
        seats_left=max(0, doc["seats"] - doc["taken"]),
        waiting=doc["waiting"],
        cancelled_at=doc.get("cancelled_at"),
        changed_at=doc.get("changed_at"),
    )


def _registrant(registration: Document) -> Document:
    """Whom a mail about one registration goes to: the address and the language it was
    made with (the events carry them, as VolunteerApplied carries the applicant's)."""
    return {
        "registration_id": registration["registration_id"],
        "member_org": registration["member_org"],
        "email": registration["email"],
        "language": registration.get("language", "nl"),
    }


def registration_view(doc: Document, position: int | None = None) -> Registration:
    return Registration(
        registration_id=doc["registration_id"],
        training_id=doc["training_id"],
        member_org=doc["member_org"],
        status=doc["status"],
        registered_at=doc["registered_at"],
        position=position if doc["status"] == WAITING else None,
        attended=doc.get("attended"),
    )


def _stored_fields(body: NewTraining) -> Document:
    """The training's changeable fields as they are stored (domain.trainings.CHANGEABLE)."""
    return {
        "title": body.title,
        "description": body.description,
        # In the order the page lists them, each once.
        "audience": [a for a in AUDIENCES if a in body.audience],
        "starts_at": as_stored(body.starts_at),
        "ends_at": as_stored(body.ends_at),
        "place": body.place or None,
        "online_link": str(body.online_link) if body.online_link else None,
        "seats": body.seats,
    }


async def publish_training(uow: UnitOfWork, body: NewTraining, *, now: datetime) -> Training:
    fields = _stored_fields(body)
    check_training(
        fields["starts_at"], fields["ends_at"], fields["place"], fields["online_link"], now=now
    )
    training_id = str(uuid.uuid4())
    doc: Document = {
        "training_id": training_id,
        **fields,
        "taken": 0,
        "waiting": 0,
        "published_at": now,
        # The calendar files' SEQUENCE: one higher with each change they show.
        "sequence": 0,
        "changed_at": None,
        "cancelled_at": None,
    }
    await uow.collection(TRAININGS).insert_one(doc)
    await audit.record(uow, "training.published", "training", training_id)
    uow.publish(
        TrainingPublished(
            org_id=uow.org_id,
            training_id=training_id,
            title=body.title,
            audience=list(doc["audience"]),
            starts_at=body.starts_at,
            ends_at=body.ends_at,
            seats=body.seats,
        )
    )
    return training_view(doc)


async def _training(uow: UnitOfWork, training_id: str) -> Document:
    doc = await uow.collection(TRAININGS).find_one({"training_id": training_id})
    if doc is None:
        raise NoSuchTraining
    return doc


async def waiting_position(uow: UnitOfWork, doc: Document) -> int | None:
    """Where a waiting registration stands on its training's list (1 is next)."""
    if doc["status"] != WAITING:
        return None
    ahead = await uow.collection(TRAINING_REGISTRATIONS).count(
        {
            "training_id": doc["training_id"],
            "status": WAITING,
            "queued_at": {"$lt": doc["queued_at"]},
        }
    )
    return ahead + 1


async def register(
    uow: UnitOfWork, training_id: str, member: Member, body: NewRegistration, *, now: datetime
) -> Registration:
    training = await _training(uow, training_id)
    if training.get("cancelled_at") is not None:
        raise TrainingCancelledByCentre
    if now >= training["starts_at"]:
        raise TrainingStarted
    registrations = uow.collection(TRAINING_REGISTRATIONS)
    existing = await registrations.find_one(
        {"training_id": training_id, "member_id": member.member_id}
    )
    if existing is not None and existing["status"] in ACTIVE:
        raise AlreadyRegistered
    trainings = uow.collection(TRAININGS)
    status: RegistrationStatus = status_on_registering(training["seats"], training["taken"])
    if status == CONFIRMED:
        # Conditional: the seat is taken only if it is still free when written.
        took = await trainings.find_one_and_update(
            {"training_id": training_id, "taken": {"$lt": training["seats"]}},
            {"$inc": {"taken": 1}},
        )
        status = CONFIRMED if took is not None else WAITING
    if status == WAITING:
        await trainings.update_one({"training_id": training_id}, {"$inc": {"waiting": 1}})
    registration_id = existing["registration_id"] if existing else str(uuid.uuid4())
    fields: Document = {
        "member_org": member.org_id,
        "member_roles": sorted(member.roles),
        "name": body.name,
        "email": str(body.email),
        "language": body.language,
        "status": status,
        "registered_at": now,
        "queued_at": now if status == WAITING else None,
        "starts_at": training["starts_at"],
        "audience": training["audience"],
        "title": training["title"],
        "reminders_sent": [],
        "attended": None,
    }
    if existing is not None:
        await registrations.update_one(
            {"registration_id": registration_id, "status": CANCELLED}, {"$set": fields}
        )
    else:
        try:
            await registrations.insert_one(
                {
                    "registration_id": registration_id,
                    "training_id": training_id,
                    "member_id": member.member_id,
                    **fields,
                }
            )
        except DuplicateKeyError:
            # The same member registering twice at once, on two instances.
            raise AlreadyRegistered from None
    await audit.record(uow, "training.registered", "training_registration", registration_id)
    uow.publish(
        TrainingRegistered(
            org_id=uow.org_id,
            training_id=training_id,
            registration_id=registration_id,
            member_org=member.org_id,
            on_waiting_list=status == WAITING,
            registered_at=now,
        )
    )
    doc = {"registration_id": registration_id, "training_id": training_id, **fields}
    return registration_view(doc, await waiting_position(uow, doc))


async def cancel(
    uow: UnitOfWork,
    registration_id: str,
    *,
    member_org: str,
    member_id: str | None,
    now: datetime,
) -> Registration:
    """Cancel a registration of `member_org` (of `member_id` when given: a member cancels
    only their own); a seat it held goes to the waiting list's first."""
    registrations = uow.collection(TRAINING_REGISTRATIONS)
    mine: Document = {"registration_id": registration_id, "member_org": member_org}
    if member_id is not None:
        mine["member_id"] = member_id
    found = await registrations.find_one(mine)
    if found is None or found["status"] not in ACTIVE:
        raise NoSuchRegistration
    training = await _training(uow, found["training_id"])
    if now >= training["starts_at"]:
        raise TrainingStarted
    cancelled = await registrations.find_one_and_update(
        {**mine, "status": found["status"]},
        {"$set": {"status": CANCELLED, "cancelled_at": now, "queued_at": None}},
    )
    if cancelled is None:
        raise NoSuchRegistration
    trainings = uow.collection(TRAININGS)
    held_seat = found["status"] == CONFIRMED
    if held_seat:
        await give_freed_seat(uow, training, now=now)
    else:
        await trainings.update_one(
            {"training_id": training["training_id"]}, {"$inc": {"waiting": -1}}
        )
    await audit.record(
        uow, "training.registration_cancelled", "training_registration", registration_id
    )
    uow.publish(
        TrainingRegistrationCancelled(
            org_id=uow.org_id,
            training_id=training["training_id"],
            registration_id=registration_id,
            member_org=found["member_org"],
            held_seat=held_seat,
            cancelled_at=now,
        )
    )
    return registration_view({**found, "status": CANCELLED})


async def cancel_training(uow: UnitOfWork, training_id: str, *, now: datetime) -> Training:
    """The centre cancels a training before it starts: every registration with a seat or on
    the waiting list ends with it, and each member is told by mail (TrainingCancelledNotice,
    at the address they registered with). The training stays listed, marked cancelled."""
    training = await _training(uow, training_id)
    check_not_started(training["starts_at"], now, training.get("cancelled_at"))
    trainings = uow.collection(TRAININGS)
    # Conditional on not cancelled yet: a second cancel on another instance conflicts here.
    cancelled = await trainings.find_one_and_update(
        {"training_id": training_id, "cancelled_at": None},
        # STATUS:CANCELLED in the calendar files, under the next SEQUENCE.
        {"$set": {"cancelled_at": now, "taken": 0, "waiting": 0}, "$inc": {"sequence": 1}},
        return_document=ReturnDocument.AFTER,
    )
    if cancelled is None:
        raise TrainingCancelledByCentre
    registrations = uow.collection(TRAINING_REGISTRATIONS)
    ended = await registrations.find({"training_id": training_id, "status": {"$in": ACTIVE}})
    await registrations.update_many(
        {"training_id": training_id, "status": {"$in": ACTIVE}},
        {
            "$set": {
                "status": CANCELLED,
                "cancelled_at": now,
                "cancelled_by_centre": True,
                "queued_at": None,
            }
        },
    )
    await audit.record(uow, "training.cancelled", "training", training_id)
    uow.publish(
        TrainingCancelled(
            org_id=uow.org_id,
            training_id=training_id,
            title=training["title"],
            starts_at=training["starts_at"],
            registrations_ended=len(ended),
            cancelled_at=now,
        )
    )
    for registration in ended:
        uow.publish(
            TrainingCancelledNotice(
                org_id=uow.org_id,
                training_id=training_id,
                title=training["title"],
                starts_at=training["starts_at"],
                **_registrant(registration),
            )
        )
    return training_view(cancelled)


async def change_training(
    uow: UnitOfWork, training_id: str, body: NewTraining, *, now: datetime
) -> ChangedTraining:
    """The centre changes a training before it starts (domain.trainings.decide_change).
    Every registration is mailed when the time, end, place or online link changed
    (TrainingChangedNotice, at the address and in the language they registered with); more
    seats go to the waiting list's first, each as a freed seat does; the reminders go again
    relative to a new start."""
    training = await _training(uow, training_id)
    wanted = _stored_fields(body)
    change = decide_change(
        training, wanted, taken=training["taken"], waiting=training["waiting"], now=now
    )
    if not change.changed:
        return ChangedTraining(**training_view(training).model_dump(), registrants_mailed=0)
    trainings = uow.collection(TRAININGS)
    # Conditional on what the decision read: a second change, a registration or the
    # cancellation on another instance conflicts here, so nobody is mailed twice. The seats
    # for the waiting list are counted taken here and handed on below as freed seats are.
    updated = await trainings.find_one_and_update(
        {
            "training_id": training_id,
            "cancelled_at": None,
            "changed_at": training.get("changed_at"),
            "taken": training["taken"],
            "waiting": training["waiting"],
        },
        {
            "$set": {**wanted, "sequence": change.sequence, "changed_at": as_stored(now)},
            "$inc": {"taken": change.seats_to_give},
        },
        return_document=ReturnDocument.AFTER,
    )
    if updated is None:
        raise TrainingChangedMeanwhile
    registrations = uow.collection(TRAINING_REGISTRATIONS)
    active = {"training_id": training_id, "status": {"$in": ACTIVE}}
    told = await registrations.find(active) if change.mailed else []
    # Each registration keeps the facts its own lists and the reminder job read.
    await registrations.update_many(
        {"training_id": training_id},
        {"$set": {name: wanted[name] for name in ("title", "starts_at", "audience")}},
    )
    if change.reminders_sent is not None:
        await registrations.update_many(active, {"$set": {"reminders_sent": change.reminders_sent}})
    await audit.record(uow, "training.changed", "training", training_id)
    uow.publish(
        TrainingChanged(
            org_id=uow.org_id,
            training_id=training_id,
            title=updated["title"],
            audience=list(updated["audience"]),
            starts_at=updated["starts_at"],
            ends_at=updated["ends_at"],
            seats=updated["seats"],
            changed=list(change.changed),
            sequence=change.sequence,
            registrants_told=len(told),
            changed_at=updated["changed_at"],
        )
    )
    for registration in told:
        uow.publish(
            TrainingChangedNotice(
                org_id=uow.org_id,
                training_id=training_id,
                title=updated["title"],
                starts_at=updated["starts_at"],
                ends_at=updated["ends_at"],
                place=updated["place"],
                online_link=updated["online_link"],
                changed=list(change.mailed),
                sequence=change.sequence,
                **_registrant(registration),
            )
        )
    for _ in range(change.seats_to_give):
        await give_freed_seat(uow, updated, now=now)
    final = await _training(uow, training_id) if change.seats_to_give else updated
    return ChangedTraining(**training_view(final).model_dump(), registrants_mailed=len(told))


async def give_freed_seat(uow: UnitOfWork, training: Document, *, now: datetime) -> str | None:
    """The freed seat to the waiting list's first (told by mail), or back to the free seats
    when nobody waits; the registration id it went to."""
    training_id = training["training_id"]
    registrations = uow.collection(TRAINING_REGISTRATIONS)
    trainings = uow.collection(TRAININGS)
    queue = await registrations.find(
        {"training_id": training_id, "status": WAITING},
        projection={"registration_id": 1, "queued_at": 1},
    )
    first = first_waiting([Waiting(d["registration_id"], d["queued_at"]) for d in queue])
    if first is None:
        await trainings.update_one({"training_id": training_id}, {"$inc": {"taken": -1}})
        return None
    given = await registrations.find_one_and_update(
        {"registration_id": first.registration_id, "status": WAITING},
        {"$set": {"status": CONFIRMED, "queued_at": None, "seat_given_at": now}},
    )
    if given is None:  # Changed since the read: the transaction's conflict runs it again.
        raise NoSuchRegistration
    await trainings.update_one({"training_id": training_id}, {"$inc": {"waiting": -1}})
    uow.publish(
        TrainingSeatGiven(
            org_id=uow.org_id,
            training_id=training_id,
            title=training["title"],
            starts_at=training["starts_at"],
            given_at=now,
            **_registrant(given),
        )
    )
    return str(given["registration_id"])


async def mark_attendance(
    uow: UnitOfWork, training_id: str, registration_id: str, attended: bool
) -> Registration:
    registrations = uow.collection(TRAINING_REGISTRATIONS)
    marked = await registrations.find_one_and_update(
        {"training_id": training_id, "registration_id": registration_id, "status": CONFIRMED},
        {"$set": {"attended": attended}},
        return_document=True,
    )
    if marked is None:
        if await registrations.find_one(
            {"training_id": training_id, "registration_id": registration_id}
        ):
            raise NoSeatHeld
        raise NoSuchRegistration
    await audit.record(uow, "training.attendance_marked", "training_registration", registration_id)
    uow.publish(
        TrainingAttendanceMarked(
            org_id=uow.org_id,
            training_id=training_id,
            registration_id=registration_id,
            member_org=marked["member_org"],
            attended=attended,
        )
    )
    return registration_view(marked)


async def send_reminder(uow: UnitOfWork, candidate: Document, now: datetime) -> int:
    """Announce the reminder due for one registration with a seat; recorded with a
    conditional update on the reminders already sent, so a second run sends none."""
    registrations = uow.collection(TRAINING_REGISTRATIONS)
    doc = await registrations.find_one(
        {"registration_id": candidate["registration_id"], "status": CONFIRMED}
    )
    if doc is None:
        return 0
    sent: Sequence[str] = doc.get("reminders_sent") or []
    due = reminders_due(doc["starts_at"], now, sent)  # type: ignore[arg-type]
    if not due:
        return 0
    written = await registrations.update_one(
        {"registration_id": doc["registration_id"], "status": CONFIRMED, "reminders_sent": sent},
        {"$set": {"reminders_sent": reminder_marks(due)}},
    )
    if written.modified_count != 1:
        return 0
    uow.publish(
        TrainingReminderDue(
            org_id=uow.org_id,
            training_id=doc["training_id"],
            registration_id=doc["registration_id"],
            email=doc["email"],
            title=doc["title"],
            starts_at=doc["starts_at"],
            language=doc.get("language", "nl"),
            reminder=due[-1],
        )
    )
    return 1


async def vcps_trained(db: Database, org: str) -> int:
    """How many of `org`'s VCPs attended a training for VCPs: read from the centre's
    registrations, filtered on the organisation (its checklist, domain/pillars.py)."""
    rows = await db.tenant_collection(REGIONAL_CENTRE, TRAINING_REGISTRATIONS).find(
        {"member_org": org, "attended": True, "member_roles": "vcp", "audience": VCP_AUDIENCE},
        projection={"member_id": 1},
    )
    return len({row["member_id"] for row in rows})
