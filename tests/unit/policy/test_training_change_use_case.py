"""The centre changes a training (use_cases/trainings.change_training) on a fake unit of
work: who is mailed and with what, the registrations' own copies and reminders, more seats
to the waiting list in order, fewer than taken refused, the same body twice mailing nobody
twice, and the conditional write that keeps two operators at once from mailing twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from services.policy.bootstrap import DEFINITION
from services.policy.domain.errors import (
    FewerSeatsThanTaken,
    TrainingCancelledByCentre,
    TrainingChangedMeanwhile,
    TrainingRuleBroken,
)
from services.policy.storage import INDEXES, TRAINING_REGISTRATIONS, TRAININGS
from services.policy.use_cases import trainings
from services.policy.use_cases.trainings import (
    Member,
    NewRegistration,
    NewTraining,
    cancel_training,
    change_training,
    publish_training,
    register,
    send_reminder,
)
from shared.audit.log import AUDIT_PENDING
from shared.events.trainings import (
    TrainingChanged,
    TrainingChangedNotice,
    TrainingReminderDue,
    TrainingSeatGiven,
)
from shared.tenants import REGIONAL_CENTRE
from tests.support.fake_unit_of_work import FakeUnitOfWork

NOW = datetime(2027, 3, 1, 10, 0, tzinfo=UTC)
START = NOW + timedelta(days=5)
BODY: dict[str, Any] = {
    "title": "Basistraining VCP",
    "description": "De basis.",
    "audience": ["vcps"],
    "starts_at": START,
    "ends_at": START + timedelta(hours=3),
    "place": "Utrecht, Stadhuisplein 1",
    "seats": 1,
}


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork(REGIONAL_CENTRE, indexes=INDEXES, publishes=DEFINITION.publishes)


async def training_with(uow: FakeUnitOfWork, *people: tuple[str, str], seats: int = 1) -> str:
    """A training of `seats` seats and its registrations, (name, language) each, in order;
    the outbox emptied."""
    training = await publish_training(uow, NewTraining(**{**BODY, "seats": seats}), now=NOW)
    for number, (name, language) in enumerate(people):
        member = Member(member_id=name, org_id=f"org-{number}", roles=["vcp"])
        body = NewRegistration(name=name, email=f"{name}@example.org", language=language)
        await register(uow, training.training_id, member, body, now=NOW + timedelta(minutes=number))
    uow._tx._outbox.clear()
    return training.training_id


async def test_a_training_whose_start_has_passed_is_not_published(uow: FakeUnitOfWork) -> None:
    with pytest.raises(TrainingRuleBroken, match="future"):
        await publish_training(uow, NewTraining(**BODY), now=START + timedelta(minutes=5))
    assert uow.database[TRAININGS].documents == []
    assert uow._tx._outbox == []


def changed(**fields: Any) -> NewTraining:
    return NewTraining(**{**BODY, **fields})


def registrations(uow: FakeUnitOfWork) -> dict[str, dict[str, Any]]:
    return {doc["name"]: doc for doc in uow.database[TRAINING_REGISTRATIONS].documents}


async def test_a_new_time_mails_every_registration_once_at_its_address_in_its_language(
    uow: FakeUnitOfWork,
) -> None:
    training_id = await training_with(uow, ("anna", "nl"), ("bram", "en"))
    # Anna had the week's reminder for the old start (five days ahead).
    await uow.collection(TRAINING_REGISTRATIONS).update_many(
        {"member_id": "anna"}, {"$set": {"reminders_sent": ["week"]}}
    )
    later = START + timedelta(days=14)
    moment = NOW + timedelta(hours=1)
    answer = await change_training(
        uow, training_id, changed(starts_at=later, ends_at=later + timedelta(hours=3)), now=moment
    )

    assert answer.starts_at == later and answer.changed_at == moment
    assert answer.registrants_mailed == 2
    [summary] = [e for e in uow.published if isinstance(e, TrainingChanged)]
    assert (summary.changed, summary.sequence, summary.registrants_told) == (
        ["starts_at", "ends_at"],
        1,
        2,
    )
    notices = [e for e in uow.published if isinstance(e, TrainingChangedNotice)]
    assert sorted((n.email, n.language, n.sequence) for n in notices) == [
        ("anna@example.org", "nl", 1),
        ("bram@example.org", "en", 1),
    ]
    assert {(n.starts_at, n.place, tuple(n.changed)) for n in notices} == {
        (later, "Utrecht, Stadhuisplein 1", ("starts_at", "ends_at"))
    }
    # Each registration's own copy moved, and the week's reminder goes again before it.
    rows = registrations(uow)
    assert {row["starts_at"] for row in rows.values()} == {later}
    assert rows["anna"]["reminders_sent"] == []
    [stored] = uow.database[TRAININGS].documents
    assert stored["sequence"] == 1
    assert [(row["action"], row["object"]["id"]) for row in uow.database[AUDIT_PENDING].documents][
        -1
    ] == ("training.changed", training_id)


async def test_a_correction_of_the_title_mails_nobody_but_every_copy_says_it(
    uow: FakeUnitOfWork,
) -> None:
    training_id = await training_with(uow, ("anna", "nl"))
    answer = await change_training(uow, training_id, changed(title="Basistraining VCP's"), now=NOW)
    assert answer.registrants_mailed == 0
    assert [type(e) for e in uow.published] == [TrainingChanged]
    assert registrations(uow)["anna"]["title"] == "Basistraining VCP's"
    # Still a new SEQUENCE: the calendar files show the title.
    assert uow.database[TRAININGS].documents[0]["sequence"] == 1


async def test_more_seats_go_to_the_first_waiting_in_order_each_told_as_for_a_freed_seat(
    uow: FakeUnitOfWork,
) -> None:
    training_id = await training_with(uow, ("anna", "nl"), ("bram", "en"), ("carla", "nl"))
    answer = await change_training(uow, training_id, changed(seats=2, title="Nieuw"), now=NOW)
    given = [e for e in uow.published if isinstance(e, TrainingSeatGiven)]
    assert [(e.email, e.title) for e in given] == [("bram@example.org", "Nieuw")]
    rows = registrations(uow)
    assert (rows["bram"]["status"], rows["carla"]["status"]) == ("confirmed", "waiting")
    assert (answer.seats, answer.seats_left, answer.waiting) == (2, 0, 1)

    # Ten seats for one waiting: carla gets hers and seven stay free.
    more = await change_training(uow, training_id, changed(seats=10, title="Nieuw"), now=NOW)
    assert registrations(uow)["carla"]["status"] == "confirmed"
    assert (more.seats_left, more.waiting) == (7, 0)


async def test_fewer_seats_than_are_taken_is_refused_and_changes_nothing(
    uow: FakeUnitOfWork,
) -> None:
    training_id = await training_with(uow, ("anna", "nl"), ("bram", "en"), seats=2)
    before = [dict(doc) for doc in uow.database[TRAININGS].documents]
    with pytest.raises(FewerSeatsThanTaken, match="2 seats"):
        await change_training(uow, training_id, changed(seats=1, place="Elders"), now=NOW)
    assert uow.published == [] and uow.database[TRAININGS].documents == before


async def test_the_same_body_saved_again_mails_nobody_a_second_time(
    uow: FakeUnitOfWork,
) -> None:
    training_id = await training_with(uow, ("anna", "nl"))
    elsewhere = changed(place="Amersfoort, Stationsplein 2")
    assert (await change_training(uow, training_id, elsewhere, now=NOW)).registrants_mailed == 1
    again = await change_training(uow, training_id, elsewhere, now=NOW + timedelta(minutes=1))
    assert again.registrants_mailed == 0
    assert len([e for e in uow.published if isinstance(e, TrainingChangedNotice)]) == 1
    assert uow.database[TRAININGS].documents[0]["sequence"] == 1


async def test_a_change_decided_on_what_another_change_replaced_is_not_written(
    uow: FakeUnitOfWork, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two operators at once: the second decided on the training as it was before the first
    saved. Its conditional write misses (in MongoDB its transaction conflicts and runs
    again on the new state), so the registrants are not mailed a second time."""
    training_id = await training_with(uow, ("anna", "nl"))
    stale = dict(uow.database[TRAININGS].documents[0])
    await change_training(uow, training_id, changed(place="Amersfoort"), now=NOW)

    async def as_read_before(_uow: Any, _training_id: str) -> dict[str, Any]:
        return stale

    monkeypatch.setattr(trainings, "_training", as_read_before)
    with pytest.raises(TrainingChangedMeanwhile):
        await change_training(uow, training_id, changed(place="Zeist"), now=NOW)
    assert len([e for e in uow.published if isinstance(e, TrainingChangedNotice)]) == 1


async def test_a_cancelled_training_is_not_changed_and_its_calendar_sequence_went_up(
    uow: FakeUnitOfWork,
) -> None:
    training_id = await training_with(uow, ("anna", "nl"))
    await cancel_training(uow, training_id, now=NOW)
    assert uow.database[TRAININGS].documents[0]["sequence"] == 1
    with pytest.raises(TrainingCancelledByCentre):
        await change_training(uow, training_id, changed(place="Zeist"), now=NOW)


async def test_the_reminder_job_reminds_again_a_week_before_the_new_start(
    uow: FakeUnitOfWork,
) -> None:
    """What the job (jobs.sweep_training_reminders → send_reminder) keys on follows the
    move: the registration's own start, and the reminders it counts as sent."""
    training_id = await training_with(uow, ("anna", "nl"))
    anna = registrations(uow)["anna"]
    assert await send_reminder(uow, anna, NOW) == 1  # the old start's week reminder
    later = START + timedelta(days=14)
    await change_training(
        uow, training_id, changed(starts_at=later, ends_at=later + timedelta(hours=3)), now=NOW
    )
    uow._tx._outbox.clear()
    assert await send_reminder(uow, anna, NOW + timedelta(days=1)) == 0  # not due yet
    week_before = later - timedelta(days=7)
    assert await send_reminder(uow, anna, week_before) == 1
    [reminder] = uow.published
    assert isinstance(reminder, TrainingReminderDue)
    assert (reminder.reminder, reminder.starts_at) == ("week", later)
    assert await send_reminder(uow, anna, week_before) == 0  # once
