"""Re-evaluating an admission file when a fact or the world changes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from services.policy.domain.admission import (
    AdmissionDecision,
    AdmissionEvent,
    AdmissionStatus,
    AdmissionStep,
    InterviewOutcome,
)
from services.policy.domain.admission_file import (
    AdmissionFile,
    reevaluate,
    take_vog_notice,
    vog_screening_aspects,
)
from shared.domain.vog import RoleRequirements, VOGFacts

TODAY = date(2026, 6, 15)
NO_VOG_ROLE = RoleRequirements()
MINORS_ROLE = RoleRequirements(works_with_minors=True)
VOG = VOGFacts(
    issued_on=date(2026, 1, 10),
    screening_aspects=(84,),
    checked_by="coordinator-1",
    recorded_on=date(2026, 2, 1),
)
RENEWAL_DUE = date(2029, 1, 10)  # issue date plus the default three years


def applied(**facts: object) -> AdmissionFile:
    return AdmissionFile(
        volunteer_id="v-1", role_id="coach", last_activity=date(2026, 2, 1), **facts
    )


def settled(file: AdmissionFile, role: RoleRequirements, code: int | None, day: date = TODAY):
    """The file as stored after its last evaluation."""
    return reevaluate(file, role, code, day).file


def test_a_fresh_application_is_pending_and_announces_nothing() -> None:
    result = reevaluate(applied(), MINORS_ROLE, 1, TODAY)
    assert result.file.decision == AdmissionDecision(
        status=AdmissionStatus.PENDING,
        missing=(AdmissionStep.INTERVIEW, AdmissionStep.CODE_SIGNATURE, AdmissionStep.VOG),
    )
    assert result.events == ()
    assert result.file.last_activity == TODAY


def test_re_evaluating_with_unchanged_facts_announces_nothing_and_is_no_activity() -> None:
    file = settled(
        applied(interview=InterviewOutcome.PROCEED, signed_code_version=1), NO_VOG_ROLE, 1
    )
    later = TODAY + timedelta(days=40)
    again = reevaluate(file, NO_VOG_ROLE, 1, later)
    assert again.events == ()
    assert again.file == file


def test_a_new_code_version_sends_every_admitted_volunteer_back_with_resign_required() -> None:
    file = settled(
        applied(interview=InterviewOutcome.PROCEED, signed_code_version=1), NO_VOG_ROLE, 1
    )
    assert file.status == AdmissionStatus.ADMITTED
    result = reevaluate(file, NO_VOG_ROLE, 2, TODAY)
    assert result.file.decision == AdmissionDecision(
        status=AdmissionStatus.PENDING, missing=(AdmissionStep.CODE_SIGNATURE,)
    )
    assert result.events == (AdmissionEvent.BLOCKED, AdmissionEvent.RESIGN_REQUIRED)
    # Handled twice (a redelivery that slipped past dedupe, a second sweep): quiet.
    assert reevaluate(result.file, NO_VOG_ROLE, 2, TODAY).events == ()


def test_signing_the_new_version_admits_again() -> None:
    file = settled(
        applied(interview=InterviewOutcome.PROCEED, signed_code_version=1), NO_VOG_ROLE, 2
    )
    signed = file.model_copy(update={"signed_code_version": 2})
    result = reevaluate(signed, NO_VOG_ROLE, 2, TODAY)
    assert result.file.status == AdmissionStatus.ADMITTED
    assert result.events == (AdmissionEvent.ADMITTED,)


def test_a_role_changed_to_minors_makes_a_volunteer_without_vog_pending_and_requests_one() -> None:
    file = settled(
        applied(interview=InterviewOutcome.PROCEED, signed_code_version=1), NO_VOG_ROLE, 1
    )
    result = reevaluate(file, MINORS_ROLE, 1, TODAY)
    assert result.file.decision == AdmissionDecision(
        status=AdmissionStatus.PENDING, missing=(AdmissionStep.VOG,)
    )
    assert result.events == (AdmissionEvent.BLOCKED, AdmissionEvent.VOG_REQUESTED)


def test_a_role_changed_to_minors_keeps_a_volunteer_with_a_valid_vog_admitted() -> None:
    file = settled(
        applied(interview=InterviewOutcome.PROCEED, signed_code_version=1, vog=VOG), NO_VOG_ROLE, 1
    )
    result = reevaluate(file, MINORS_ROLE, 1, TODAY)
    assert result.file.status == AdmissionStatus.ADMITTED
    assert result.events == ()
    assert result.file.vog_renewal_due == RENEWAL_DUE


def test_a_counting_vog_schedules_its_notice_and_its_lapse() -> None:
    file = settled(
        applied(interview=InterviewOutcome.PROCEED, signed_code_version=1, vog=VOG), MINORS_ROLE, 1
    )
    assert file.vog_renewal_due == RENEWAL_DUE
    assert file.vog_notice_on == RENEWAL_DUE - timedelta(days=30)
    assert file.vog_lapses_on == RENEWAL_DUE + timedelta(days=1)


def test_a_vog_past_its_renewal_date_sends_the_volunteer_back_and_requests_a_new_one() -> None:
    file = settled(
        applied(interview=InterviewOutcome.PROCEED, signed_code_version=1, vog=VOG), MINORS_ROLE, 1
    )
    assert file.vog_lapses_on is not None
    on_renewal_day = reevaluate(file, MINORS_ROLE, 1, RENEWAL_DUE)
    assert on_renewal_day.events == ()
    lapsed = reevaluate(file, MINORS_ROLE, 1, file.vog_lapses_on)
    assert lapsed.file.decision == AdmissionDecision(
        status=AdmissionStatus.PENDING, missing=(AdmissionStep.VOG,)
    )
    assert lapsed.events == (AdmissionEvent.BLOCKED, AdmissionEvent.VOG_REQUESTED)
    # Nothing time-driven is left, so the sweep will not pick the file up again.
    assert (lapsed.file.vog_lapses_on, lapsed.file.vog_notice_on) == (None, None)
    assert reevaluate(lapsed.file, MINORS_ROLE, 1, file.vog_lapses_on).events == ()


def test_a_role_with_a_shorter_renewal_period_reschedules_the_vog() -> None:
    file = settled(
        applied(interview=InterviewOutcome.PROCEED, signed_code_version=1, vog=VOG), MINORS_ROLE, 1
    )
    yearly = MINORS_ROLE.model_copy(update={"vog_renewal_years": 1})
    result = reevaluate(file, yearly, 1, TODAY)
    # Issued 2026-01-10, renewed yearly: due 2027-01-10, still valid on TODAY.
    assert result.file.vog_renewal_due == date(2027, 1, 10)
    assert result.file.vog_notice_on == date(2026, 12, 11)
    assert result.events == ()


def test_a_rejected_volunteer_has_nothing_to_renew() -> None:
    file = settled(applied(interview=InterviewOutcome.DOUBT, vog=VOG), MINORS_ROLE, 1)
    assert file.status == AdmissionStatus.REJECTED
    assert (file.vog_renewal_due, file.vog_notice_on, file.vog_lapses_on) == (None, None, None)


@pytest.mark.parametrize(
    ("today", "announced"),
    [
        (RENEWAL_DUE - timedelta(days=31), None),
        (RENEWAL_DUE - timedelta(days=30), RENEWAL_DUE),
        (RENEWAL_DUE, RENEWAL_DUE),
        (RENEWAL_DUE + timedelta(days=1), None),
    ],
)
def test_the_vog_expiry_notice_is_announced_within_its_window(
    today: date, announced: date | None
) -> None:
    file = settled(
        applied(interview=InterviewOutcome.PROCEED, signed_code_version=1, vog=VOG), MINORS_ROLE, 1
    )
    taken, due = take_vog_notice(file, today)
    assert due == announced
    if today < RENEWAL_DUE - timedelta(days=30):
        assert taken == file
    else:
        assert taken.vog_notice_on is None


def test_the_vog_expiry_notice_is_announced_once_per_renewal_date() -> None:
    file = settled(
        applied(interview=InterviewOutcome.PROCEED, signed_code_version=1, vog=VOG), MINORS_ROLE, 1
    )
    day = RENEWAL_DUE - timedelta(days=10)
    taken, due = take_vog_notice(file, day)
    assert due == RENEWAL_DUE
    # Re-evaluation in between (another event) must not re-arm the same notice.
    again = reevaluate(taken, MINORS_ROLE, 1, day).file
    assert take_vog_notice(again, day) == (again, None)
    # A new VOG does arm a new notice.
    renewed = VOG.model_copy(update={"issued_on": day, "recorded_on": day})
    rearmed = reevaluate(again.model_copy(update={"vog": renewed}), MINORS_ROLE, 1, day).file
    assert rearmed.vog_renewal_due == date(2031, 12, 31)
    assert rearmed.vog_notice_on == date(2031, 12, 1)


@pytest.mark.parametrize(
    ("minors", "vulnerable", "aspects"),
    [(True, False, [84]), (False, True, [85]), (True, True, [84, 85]), (False, False, [])],
)
def test_vog_request_aspects_follow_the_role(
    minors: bool, vulnerable: bool, aspects: list[int]
) -> None:
    role = RoleRequirements(works_with_minors=minors, works_with_vulnerable=vulnerable)
    assert vog_screening_aspects(role) == aspects
