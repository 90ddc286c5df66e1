"""The trainings' rules without I/O: seats, the waiting list, who gets a freed seat, the
reminders a week and a day before, and what a change of a training does."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.policy.domain.errors import (
    FewerSeatsThanTaken,
    TrainingCancelledByCentre,
    TrainingRuleBroken,
    TrainingStarted,
)
from services.policy.domain.trainings import (
    TrainingChange,
    Waiting,
    check_not_started,
    check_training,
    decide_change,
    first_waiting,
    reminder_marks,
    reminders_due,
    reminders_settled_at,
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
    before = START - timedelta(days=1)
    with pytest.raises(TrainingRuleBroken, match="end after"):
        check_training(START, START, "Utrecht", None, now=before)
    with pytest.raises(TrainingRuleBroken, match="place or an online link"):
        check_training(START, START + timedelta(hours=2), None, None, now=before)
    check_training(START, START + timedelta(hours=2), None, "https://meet.example/x", now=before)


def test_a_training_starts_in_the_future() -> None:
    """A training published with a start that has passed took registrations and sent
    reminders for a moment gone (POST /v1/trainings accepted it)."""
    end = START + timedelta(hours=2)
    for now in (START, START + timedelta(minutes=1)):
        with pytest.raises(TrainingRuleBroken, match="future"):
            check_training(START, end, "Utrecht", None, now=now)
    check_training(START, end, "Utrecht", None, now=START - timedelta(seconds=1))


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
    # Every file carries the training's SEQUENCE (0 for one stored before it existed).
    assert event["SEQUENCE"] == mine["SEQUENCE"] == 0
    changed = {**training, "sequence": 2, "cancelled_at": START}
    again = Calendar.from_ical(training_ics(changed, START)).walk("VEVENT")[0]
    assert (str(again["UID"]), again["SEQUENCE"]) == (str(event["UID"]), 2)
    assert str(again["STATUS"]) == "CANCELLED"
    seated = {"registration_id": "r1", "status": "confirmed"}
    mine_again = Calendar.from_ical(registration_ics(changed, seated, START)).walk("VEVENT")[0]
    assert (str(mine_again["UID"]), mine_again["SEQUENCE"]) == (str(mine["UID"]), 2)
    assert filename("Basistraining VCP: één dag!") == "basistraining-vcp-n-dag.ics"


def test_a_training_is_cancelled_before_it_starts_and_once() -> None:
    start = datetime(2027, 3, 1, 19, 0, tzinfo=UTC)
    check_not_started(start, start - timedelta(minutes=1), None)
    with pytest.raises(TrainingStarted):
        check_not_started(start, start, None)
    with pytest.raises(TrainingCancelledByCentre):
        check_not_started(start, start - timedelta(days=1), start - timedelta(days=2))


NOW = START - timedelta(days=10)
CURRENT = {
    "title": "Basistraining VCP",
    "description": "De basis.",
    "audience": ["vcps"],
    "starts_at": START,
    "ends_at": START + timedelta(hours=3),
    "place": "Utrecht",
    "online_link": None,
    "seats": 2,
    "sequence": 3,
    "cancelled_at": None,
}


def change(
    taken: int = 1, waiting: int = 0, now: datetime = NOW, **wanted: object
) -> TrainingChange:
    """The change from CURRENT (two seats, one taken, ten days ahead) to `wanted`."""
    fields = {k: v for k, v in CURRENT.items() if k not in ("sequence", "cancelled_at")}
    return decide_change(CURRENT, {**fields, **wanted}, taken=taken, waiting=waiting, now=now)


def test_a_new_time_or_place_mails_and_raises_the_calendar_sequence() -> None:
    later = change(starts_at=START + timedelta(days=1), ends_at=START + timedelta(days=1, hours=3))
    assert later.changed == later.mailed == ("starts_at", "ends_at")
    assert later.sequence == 4
    moved = change(place=None, online_link="https://meet.example.org/vcp")
    assert moved.mailed == ("place", "online_link")
    assert change(ends_at=START + timedelta(hours=4)).mailed == ("ends_at",)


def test_a_correction_of_the_wording_raises_the_sequence_but_mails_nobody() -> None:
    corrected = change(title="Basistraining vertrouwenscontactpersoon", description="Beter.")
    assert corrected.changed == ("title", "description")
    assert corrected.mailed == ()
    assert corrected.sequence == 4
    assert corrected.reminders_sent is None


def test_seats_and_audience_are_not_in_the_calendar_files_nor_mailed() -> None:
    more = change(seats=5, audience=["vcps", "admins"])
    assert more.changed == ("audience", "seats")
    assert (more.mailed, more.sequence) == ((), 3)


def test_the_same_training_sent_again_changes_nothing() -> None:
    same = change()
    assert (same.changed, same.mailed, same.sequence, same.seats_to_give) == ((), (), 3, 0)


def test_more_seats_go_to_the_waiting_list_up_to_its_length() -> None:
    assert change(seats=4, taken=2, waiting=5).seats_to_give == 2
    assert change(seats=9, taken=2, waiting=3).seats_to_give == 3
    assert change(seats=9, taken=2, waiting=0).seats_to_give == 0
    # A lower number that still holds every taken seat is fine; it frees nobody's seat.
    assert change(seats=2, taken=2, waiting=4).seats_to_give == 0


def test_fewer_seats_than_are_taken_is_refused_with_the_number() -> None:
    with pytest.raises(FewerSeatsThanTaken, match="2 seats of this training are taken"):
        change(seats=1, taken=2)


def test_a_change_is_refused_once_started_or_cancelled_and_checked_as_a_new_one() -> None:
    with pytest.raises(TrainingStarted):
        change(now=START, title="Later")
    with pytest.raises(TrainingCancelledByCentre):
        decide_change({**CURRENT, "cancelled_at": NOW}, CURRENT, taken=0, waiting=0, now=NOW)
    with pytest.raises(TrainingRuleBroken, match="end after"):
        change(ends_at=START - timedelta(hours=1))
    with pytest.raises(TrainingRuleBroken, match="place or an online link"):
        change(place=None)
    with pytest.raises(TrainingRuleBroken, match="future"):
        change(starts_at=NOW - timedelta(hours=1), ends_at=NOW)


def test_a_moved_start_sends_the_reminders_again_relative_to_it() -> None:
    # Ten days ahead, moved a week later: both reminders are ahead again, whatever was sent.
    assert (
        change(
            starts_at=START + timedelta(days=7), ends_at=START + timedelta(days=8)
        ).reminders_sent
        == []
    )
    # Moved to five days from now: the week's moment has passed and the change's own mail
    # said the new time, so only the day's reminder is still to come.
    soon = NOW + timedelta(days=5)
    assert change(starts_at=soon, ends_at=soon + timedelta(hours=3)).reminders_sent == ["week"]
    # Only the end moved: the reminders stand as they were.
    assert change(ends_at=START + timedelta(hours=5)).reminders_sent is None


def test_the_reminders_a_new_start_settles_are_those_whose_moment_has_passed() -> None:
    assert reminders_settled_at(START, START - timedelta(days=8)) == []
    assert reminders_settled_at(START, START - timedelta(days=3)) == ["week"]
    assert reminders_settled_at(START, START - timedelta(hours=2)) == ["week", "day"]
    # What is left is what the reminder job sends, at the new moment.
    settled = reminders_settled_at(START, START - timedelta(days=3))
    assert reminders_due(START, START - timedelta(days=3), settled) == []
    assert reminders_due(START, START - timedelta(hours=20), settled) == ["day"]
