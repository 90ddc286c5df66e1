"""The trainings' rules without I/O: seats, the waiting list, who gets a freed seat, the
reminders a week and a day before."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.policy.domain.errors import (
    TrainingCancelledByCentre,
    TrainingRuleBroken,
    TrainingStarted,
)
from services.policy.domain.trainings import (
    Waiting,
    check_cancellable,
    check_training,
    first_waiting,
    reminder_marks,
    reminders_due,
    status_on_registering,
)
from services.policy.training_calendar import filename, registration_ics, training_ics

START = datetime(2027, 3, 10, 9, 0, tzinfo=UTC)


def test_a_seat_while_one_is_free_then_the_waiting_list() -> None:
    assert status_on_registering(seats=2, taken=0) == "confirmed"
    assert status_on_registering(seats=2, taken=1) == "confirmed"
    assert status_on_registering(seats=2, taken=2) == "waiting"
    assert status_on_registering(seats=1, taken=3) == "waiting"


def test_a_freed_seat_goes_to_the_first_who_joined_the_waiting_list() -> None:
    later = Waiting("a-later", START + timedelta(minutes=5))
    first = Waiting("z-first", START)
    assert first_waiting([later, first]) == first


def test_of_two_joining_at_the_same_moment_the_id_decides_so_every_instance_agrees() -> None:
    one, two = Waiting("b", START), Waiting("a", START)
    assert first_waiting([one, two]) == two
    assert first_waiting([two, one]) == two


def test_nobody_waiting_gets_nothing() -> None:
    assert first_waiting([]) is None


def test_a_training_ends_after_it_starts_and_has_a_place_or_a_link() -> None:
    with pytest.raises(TrainingRuleBroken, match="end after"):
        check_training(START, START, "Utrecht", None)
    with pytest.raises(TrainingRuleBroken, match="place or an online link"):
        check_training(START, START + timedelta(hours=2), None, None)
    check_training(START, START + timedelta(hours=2), None, "https://meet.example/x")


def test_a_week_before_the_week_reminder_and_a_day_before_the_day_reminder() -> None:
    assert reminders_due(START, START - timedelta(days=8), []) == []
    assert reminders_due(START, START - timedelta(days=7), []) == ["week"]
    assert reminders_due(START, START - timedelta(days=3), ["week"]) == []
    assert reminders_due(START, START - timedelta(hours=20), ["week"]) == ["day"]
    assert reminders_due(START, START - timedelta(hours=20), ["week", "day"]) == []
    assert reminders_due(START, START, []) == []


def test_a_seat_given_the_day_before_gets_only_the_day_reminder() -> None:
    due = reminders_due(START, START - timedelta(hours=10), [])
    assert due == ["day"]
    assert reminder_marks(due) == ["week", "day"]


def test_the_calendar_files_parse_back_with_the_training() -> None:
    from icalendar import Calendar

    training = {
        "training_id": "t1",
        "title": "Basistraining VCP",
        "description": "De basis.",
        "starts_at": START,
        "ends_at": START + timedelta(hours=3),
        "place": "Utrecht",
        "online_link": None,
    }
    event = Calendar.from_ical(training_ics(training, START)).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Basistraining VCP"
    assert event.decoded("DTSTART") == START
    assert str(event["LOCATION"]) == "Utrecht"
    waiting = {"registration_id": "r1", "status": "waiting"}
    mine = Calendar.from_ical(registration_ics(training, waiting, START)).walk("VEVENT")[0]
    assert str(mine["STATUS"]) == "TENTATIVE"
    assert str(mine["UID"]) != str(event["UID"])
    assert filename("Basistraining VCP: één dag!") == "basistraining-vcp-n-dag.ics"


def test_a_training_is_cancelled_before_it_starts_and_once() -> None:
    start = datetime(2027, 3, 1, 19, 0, tzinfo=UTC)
    check_cancellable(start, start - timedelta(minutes=1), None)
    with pytest.raises(TrainingStarted):
        check_cancellable(start, start, None)
    with pytest.raises(TrainingCancelledByCentre):
        check_cancellable(start, start - timedelta(days=1), start - timedelta(days=2))
