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
    RESIGN_REMINDER_DAYS,
    AdmissionFile,
    CodeVersions,
    reevaluate,
    resign_deadline,
    take_resign_reminder,
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


def test_a_grace_period_keeps_the_volunteer_admitted_and_schedules_reminder_and_end() -> None:
    file = settled(
        applied(interview=InterviewOutcome.PROCEED, signed_code_version=1), NO_VOG_ROLE, 1
    )
    ends = TODAY + timedelta(days=30)
    result = reevaluate(file, NO_VOG_ROLE, 2, TODAY, signature_counts_before=ends)
    assert result.file.status == AdmissionStatus.ADMITTED
    assert result.events == (AdmissionEvent.RESIGN_REQUIRED,)
    assert result.file.signature_lapses_on == ends
    assert result.file.resign_reminder_on == ends - timedelta(days=RESIGN_REMINDER_DAYS)
    # A later evaluation in the period keeps the reminder state: a taken reminder stays taken.
    taken, reminded_of = take_resign_reminder(result.file, ends - timedelta(days=3))
    assert (taken.resign_reminder_on, reminded_of) == (None, ends)
    again = reevaluate(taken, NO_VOG_ROLE, 2, TODAY, signature_counts_before=ends)
    assert again.events == () and again.file == taken
    # The sweep on the deadline: pending, the signature missing, the schedule cleared.
    ended = reevaluate(taken, NO_VOG_ROLE, 2, ends, signature_counts_before=ends)
    assert ended.file.decision == AdmissionDecision(
        status=AdmissionStatus.PENDING, missing=(AdmissionStep.CODE_SIGNATURE,)
    )
    assert ended.events == (AdmissionEvent.BLOCKED,)
    assert (ended.file.signature_lapses_on, ended.file.resign_reminder_on) == (None, None)


def test_the_day_of_admission_is_kept_through_a_grace_period_and_cleared_on_leaving() -> None:
    admitted = settled(
        applied(interview=InterviewOutcome.PROCEED, signed_code_version=1), NO_VOG_ROLE, 1
    )
    assert admitted.admitted_on == TODAY
    later = TODAY + timedelta(days=10)
    ends = later + timedelta(days=30)
    within = reevaluate(admitted, NO_VOG_ROLE, 2, later, signature_counts_before=ends).file
    # The decision changed (a grace period began), the admission did not.
    assert (within.last_activity, within.admitted_on) == (later, TODAY)
    ended = reevaluate(within, NO_VOG_ROLE, 2, ends, signature_counts_before=ends).file
    assert ended.admitted_on is None
    again = reevaluate(ended.model_copy(update={"signed_code_version": 2}), NO_VOG_ROLE, 2, ends)
    assert again.file.admitted_on == ends


def test_signing_within_the_grace_period_clears_its_schedule() -> None:
    ends = TODAY + timedelta(days=30)
    file = reevaluate(
        settled(applied(interview=InterviewOutcome.PROCEED, signed_code_version=1), NO_VOG_ROLE, 1),
        NO_VOG_ROLE,
        2,
        TODAY,
        signature_counts_before=ends,
    ).file
    signed = reevaluate(file.model_copy(update={"signed_code_version": 2}), NO_VOG_ROLE, 2, TODAY)
    assert signed.events == ()
    assert (signed.file.signature_lapses_on, signed.file.resign_reminder_on) == (None, None)
    # A reminder that comes due after signing sends nothing.
    assert (
        take_resign_reminder(file.model_copy(update={"decision": signed.file.decision}), ends)[1]
        is None
    )


def test_a_short_grace_period_has_no_reminder_of_its_own() -> None:
    file = settled(
        applied(interview=InterviewOutcome.PROCEED, signed_code_version=1), NO_VOG_ROLE, 1
    )
    ends = TODAY + timedelta(days=RESIGN_REMINDER_DAYS)
    result = reevaluate(file, NO_VOG_ROLE, 2, TODAY, signature_counts_before=ends)
    # The request at publication is the reminder; a second one the same day would be noise.
    assert (result.file.signature_lapses_on, result.file.resign_reminder_on) == (ends, None)


def test_a_signature_counts_until_the_end_of_the_grace_of_the_version_that_replaced_it() -> None:
    versions = CodeVersions(current=3, resign_before={2: date(2026, 7, 15), 3: date(2026, 7, 16)})
    assert versions.signature_counts_before(1) == date(2026, 7, 15)
    assert versions.signature_counts_before(2) == date(2026, 7, 16)
    assert versions.signature_counts_before(3) is None
    assert versions.signature_counts_before(None) is None
    assert CodeVersions(current=2).signature_counts_before(1) is None
    assert resign_deadline(date(2026, 6, 15), 30) == date(2026, 7, 15)
    assert resign_deadline(date(2026, 6, 15), 0) == date(2026, 6, 15)


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
