"""The admission rules as a table: every combination of facts, expected result stated as rules.

The expected outcome of each row is derived from the readable tables below (what counts and
what does not), never from `decide_admission` itself.
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from pydantic import ValidationError

from services.policy.domain.admission import (
    AdmissionDecision,
    AdmissionEvent,
    AdmissionFacts,
    AdmissionStatus,
    AdmissionStep,
    InterviewOutcome,
    decide_admission,
    transition_events,
)
from shared.domain.vog import RoleRequirements, VOGFacts

TODAY = date(2026, 6, 15)
CURRENT_CODE = 3

# Role: max age 180 days at hand-in, renewal every 3 years (the defaults).
VOG_SCENARIOS: dict[str, VOGFacts | None] = {
    "no VOG": None,
    "valid": VOGFacts(
        issued_on=date(2026, 1, 10),
        screening_aspects=(84,),
        checked_by="coordinator-1",
        recorded_on=date(2026, 2, 1),
    ),
    "too old at hand-in": VOGFacts(
        issued_on=date(2025, 1, 2),
        screening_aspects=(84, 85),
        checked_by="coordinator-1",
        recorded_on=date(2025, 12, 1),  # 333 days old when handed in
    ),
    "past renewal": VOGFacts(
        issued_on=date(2023, 3, 1),  # renewal due 2026-03-01, before TODAY
        screening_aspects=(85,),
        checked_by="coordinator-1",
        recorded_on=date(2023, 4, 1),
    ),
    "missing aspect": VOGFacts(
        issued_on=date(2026, 1, 10),
        screening_aspects=(11, 12),
        checked_by="coordinator-1",
        recorded_on=date(2026, 2, 1),
    ),
}

# Does this VOG satisfy a role that needs one?
VOG_COUNTS = {
    "no VOG": False,
    "valid": True,
    "too old at hand-in": False,
    "past renewal": False,
    "missing aspect": False,
}

SIGNATURE_SCENARIOS: dict[str, int | None] = {
    "unsigned": None,
    "older version": CURRENT_CODE - 1,
    "current version": CURRENT_CODE,
}

# Does this signature count as signing the current code?
SIGNATURE_COUNTS = {"unsigned": False, "older version": False, "current version": True}

INTERVIEWS: dict[str, InterviewOutcome | None] = {
    "no interview": None,
    "proceed": InterviewOutcome.PROCEED,
    "reject": InterviewOutcome.REJECT,
    "doubt": InterviewOutcome.DOUBT,
}

# What the interview means: "if in doubt, don't admit".
INTERVIEW_MEANS = {
    "no interview": "still to do",
    "proceed": "passed",
    "reject": "rejects",
    "doubt": "rejects",
}

ROLES = {
    "role without VOG": RoleRequirements(),
    "role with minors": RoleRequirements(works_with_minors=True),
}
ROLE_NEEDS_VOG = {"role without VOG": False, "role with minors": True}


def expected_decision(interview: str, signature: str, vog: str, role: str) -> tuple[str, list[str]]:
    """The rules, stated plainly over the scenario names."""
    if INTERVIEW_MEANS[interview] == "rejects":
        return "rejected", []
    missing = []
    if INTERVIEW_MEANS[interview] == "still to do":
        missing.append("interview")
    if not SIGNATURE_COUNTS[signature]:
        missing.append("code_signature")
    if ROLE_NEEDS_VOG[role] and not VOG_COUNTS[vog]:
        missing.append("vog")
    return ("pending" if missing else "admitted"), missing


ALL_COMBINATIONS = list(itertools.product(INTERVIEWS, SIGNATURE_SCENARIOS, VOG_SCENARIOS, ROLES))


def facts_for(interview: str, signature: str, vog: str, role: str) -> AdmissionFacts:
    return AdmissionFacts(
        role=ROLES[role],
        interview=INTERVIEWS[interview],
        signed_code_version=SIGNATURE_SCENARIOS[signature],
        current_code_version=CURRENT_CODE,
        vog=VOG_SCENARIOS[vog],
    )


def test_the_table_covers_every_combination() -> None:
    assert len(ALL_COMBINATIONS) == 4 * 3 * 5 * 2


@pytest.mark.parametrize(
    ("interview", "signature", "vog", "role"),
    ALL_COMBINATIONS,
    ids=[" | ".join(combination) for combination in ALL_COMBINATIONS],
)
def test_decision_for_every_combination_of_facts(
    interview: str, signature: str, vog: str, role: str
) -> None:
    status, missing = expected_decision(interview, signature, vog, role)

    decision = decide_admission(facts_for(interview, signature, vog, role), TODAY)

    assert decision.status == status
    assert [str(step) for step in decision.missing] == missing
    assert decision.model_dump(mode="json") == {
        "status": status,
        "missing": missing,
        "resign_before": None,
    }


# Before any code is published there is nothing to sign, so no signature is asked for.
NO_CODE_TABLE = [
    # interview, vog, role, status, missing
    ("proceed", "no VOG", "role without VOG", "admitted", []),
    ("proceed", "valid", "role with minors", "admitted", []),
    ("proceed", "no VOG", "role with minors", "pending", ["vog"]),
    ("no interview", "valid", "role with minors", "pending", ["interview"]),
    ("doubt", "valid", "role with minors", "rejected", []),
]


@pytest.mark.parametrize(("interview", "vog", "role", "status", "missing"), NO_CODE_TABLE)
def test_without_a_published_code_no_signature_is_required(
    interview: str, vog: str, role: str, status: str, missing: list[str]
) -> None:
    facts = AdmissionFacts(
        role=ROLES[role],
        interview=INTERVIEWS[interview],
        current_code_version=None,
        vog=VOG_SCENARIOS[vog],
    )

    decision = decide_admission(facts, TODAY)

    assert decision.model_dump(mode="json") == {
        "status": status,
        "missing": missing,
        "resign_before": None,
    }


def test_a_role_with_vulnerable_people_needs_a_vog_too() -> None:
    facts = AdmissionFacts(
        role=RoleRequirements(works_with_vulnerable=True),
        interview=InterviewOutcome.PROCEED,
        signed_code_version=1,
        current_code_version=1,
    )

    assert decide_admission(facts, TODAY).missing == (AdmissionStep.VOG,)


def test_a_vog_is_still_valid_on_its_renewal_date_and_missing_the_day_after() -> None:
    vog = VOGFacts(
        issued_on=date(2023, 6, 15),
        screening_aspects=[84],
        checked_by="c",
        recorded_on=date(2023, 7, 1),
    )
    facts = AdmissionFacts(
        role=RoleRequirements(works_with_minors=True),
        interview=InterviewOutcome.PROCEED,
        signed_code_version=1,
        current_code_version=1,
        vog=vog,
    )

    assert decide_admission(facts, date(2026, 6, 15)).status == AdmissionStatus.ADMITTED
    assert decide_admission(facts, date(2026, 6, 16)).missing == (AdmissionStep.VOG,)


def test_a_stricter_role_applies_to_a_vog_already_handed_in() -> None:
    vog = VOG_SCENARIOS["valid"]
    assert vog is not None
    strict = RoleRequirements(works_with_minors=True, vog_max_age_days=10)
    facts = AdmissionFacts(
        role=strict,
        interview=InterviewOutcome.PROCEED,
        signed_code_version=CURRENT_CODE,
        current_code_version=CURRENT_CODE,
        vog=vog,
    )

    assert decide_admission(facts, TODAY).missing == (AdmissionStep.VOG,)


def test_strings_from_storage_are_accepted_as_facts() -> None:
    facts = AdmissionFacts.model_validate(
        {
            "role": {"works_with_minors": True},
            "interview": "proceed",
            "signed_code_version": 1,
            "current_code_version": 1,
            "vog": {
                "issued_on": "2026-05-01",
                "screening_aspects": [85],
                "checked_by": "c",
                "recorded_on": "2026-05-20",
            },
        }
    )

    assert decide_admission(facts, TODAY).status == AdmissionStatus.ADMITTED


def test_a_decision_keeps_missing_steps_in_canonical_order() -> None:
    decision = AdmissionDecision(
        status=AdmissionStatus.PENDING,
        missing=(AdmissionStep.VOG, AdmissionStep.INTERVIEW, AdmissionStep.VOG),
    )

    assert decision.missing == (AdmissionStep.INTERVIEW, AdmissionStep.VOG)


@pytest.mark.parametrize(
    ("status", "missing"),
    [
        (AdmissionStatus.PENDING, ()),
        (AdmissionStatus.ADMITTED, (AdmissionStep.VOG,)),
        (AdmissionStatus.REJECTED, (AdmissionStep.INTERVIEW,)),
    ],
)
def test_a_decision_whose_missing_steps_contradict_its_status_is_refused(
    status: AdmissionStatus, missing: tuple[AdmissionStep, ...]
) -> None:
    with pytest.raises(ValueError, match="pending"):
        AdmissionDecision(status=status, missing=missing)


# --- transition_events -------------------------------------------------------------------

ALL_DECISIONS = sorted(
    {decide_admission(facts_for(*combination), TODAY) for combination in ALL_COMBINATIONS},
    key=lambda d: (d.status, d.missing),
)


def pending(*steps: str) -> AdmissionDecision:
    return AdmissionDecision(
        status=AdmissionStatus.PENDING, missing=tuple(AdmissionStep(s) for s in steps)
    )


ADMITTED = AdmissionDecision(status=AdmissionStatus.ADMITTED)
REJECTED = AdmissionDecision(status=AdmissionStatus.REJECTED)


@pytest.mark.parametrize(
    "decision", ALL_DECISIONS, ids=[f"{d.status}:{','.join(d.missing)}" for d in ALL_DECISIONS]
)
def test_no_event_when_nothing_changed(decision: AdmissionDecision) -> None:
    # A fresh but equal decision, as a handler would compute after a redelivered event.
    same = AdmissionDecision.model_validate(decision.model_dump(mode="json"))

    assert transition_events(decision, same) == []


TRANSITIONS = [
    # previous, current, events
    (None, pending("interview", "code_signature", "vog"), []),
    (None, pending("interview", "code_signature"), []),
    (
        pending("interview", "code_signature"),
        pending("interview"),
        [],
    ),  # signed before the interview: nothing to announce yet
    (
        pending("interview", "code_signature", "vog"),
        pending("code_signature", "vog"),
        ["blocked", "vog_requested"],
    ),
    (pending("interview", "code_signature"), pending("code_signature"), ["blocked"]),
    (pending("interview", "vog"), pending("vog"), ["blocked", "vog_requested"]),
    (pending("code_signature", "vog"), pending("vog"), ["blocked"]),
    (pending("code_signature", "vog"), pending("code_signature"), ["blocked"]),
    (pending("vog"), ADMITTED, ["admitted"]),
    (pending("interview"), ADMITTED, ["admitted"]),
    (None, ADMITTED, ["admitted"]),
    (None, pending("vog"), ["blocked", "vog_requested"]),
    (pending("interview", "vog"), REJECTED, ["rejected"]),
    (ADMITTED, REJECTED, ["rejected"]),
    (None, REJECTED, ["rejected"]),
    (ADMITTED, pending("code_signature"), ["blocked", "resign_required"]),
    (ADMITTED, pending("vog"), ["blocked", "vog_requested"]),
    (ADMITTED, pending("code_signature", "vog"), ["blocked", "resign_required", "vog_requested"]),
    (pending("vog"), pending("code_signature", "vog"), ["blocked", "resign_required"]),
    (pending("interview"), pending("interview", "code_signature"), ["resign_required"]),
    (REJECTED, pending("vog"), ["blocked", "vog_requested"]),  # interview re-recorded
]


@pytest.mark.parametrize(
    ("previous", "current", "events"),
    TRANSITIONS,
    ids=[
        f"{'none' if p is None else p.status + ':' + ','.join(p.missing)}"
        f" -> {c.status}:{','.join(c.missing)}"
        for p, c, _ in TRANSITIONS
    ],
)
def test_transition_events(
    previous: AdmissionDecision | None, current: AdmissionDecision, events: list[str]
) -> None:
    assert [str(e) for e in transition_events(previous, current)] == events


def admitted_facts(**changes: object) -> AdmissionFacts:
    facts = AdmissionFacts(
        role=RoleRequirements(),
        interview=InterviewOutcome.PROCEED,
        signed_code_version=1,
        current_code_version=1,
    )
    return facts.model_copy(update=changes)


def test_a_new_code_version_sends_an_admitted_volunteer_back_to_pending() -> None:
    before = decide_admission(admitted_facts(), TODAY)
    after = decide_admission(admitted_facts(current_code_version=2), TODAY)

    assert before.status == AdmissionStatus.ADMITTED
    assert after == pending("code_signature")
    assert transition_events(before, after) == [
        AdmissionEvent.BLOCKED,
        AdmissionEvent.RESIGN_REQUIRED,
    ]


def test_a_new_code_version_without_grace_sends_an_admitted_volunteer_back_at_once() -> None:
    # A grace period of 0 days ends on the day of publication.
    after = decide_admission(
        admitted_facts(current_code_version=2, signature_counts_before=TODAY), TODAY
    )
    assert after == pending("code_signature")


def test_within_the_grace_period_the_previous_signature_still_admits() -> None:
    ends = TODAY + timedelta(days=30)
    before = decide_admission(admitted_facts(), TODAY)
    within = decide_admission(
        admitted_facts(current_code_version=2, signature_counts_before=ends), TODAY
    )
    assert within == AdmissionDecision(status=AdmissionStatus.ADMITTED, resign_before=ends)
    # Asked to sign again once, and no new admission.
    assert transition_events(before, within) == [AdmissionEvent.RESIGN_REQUIRED]

    # On its last day still admitted; from the deadline on the signature is missing, and the
    # volunteer, already asked, is not asked again: only the block is announced.
    last_day = ends - timedelta(days=1)
    assert (
        decide_admission(
            admitted_facts(current_code_version=2, signature_counts_before=ends), last_day
        )
        == within
    )
    ended = decide_admission(
        admitted_facts(current_code_version=2, signature_counts_before=ends), ends
    )
    assert ended == pending("code_signature")
    assert transition_events(within, ended) == [AdmissionEvent.BLOCKED]


def test_signing_the_new_version_within_the_grace_period_ends_it_quietly() -> None:
    ends = TODAY + timedelta(days=30)
    within = decide_admission(
        admitted_facts(current_code_version=2, signature_counts_before=ends), TODAY
    )
    signed = decide_admission(admitted_facts(signed_code_version=2, current_code_version=2), TODAY)
    assert signed == AdmissionDecision(status=AdmissionStatus.ADMITTED)
    assert transition_events(within, signed) == []


def test_a_grace_period_does_not_stand_in_for_a_signature_never_given() -> None:
    ends = TODAY + timedelta(days=30)
    facts = admitted_facts(
        signed_code_version=None, current_code_version=2, signature_counts_before=ends
    )
    assert decide_admission(facts, TODAY) == pending("code_signature")


def test_a_pending_volunteer_keeps_the_previous_signature_during_the_grace_period() -> None:
    ends = TODAY + timedelta(days=30)
    minors = RoleRequirements(works_with_minors=True)
    before = decide_admission(admitted_facts(role=minors), TODAY)
    within = decide_admission(
        admitted_facts(role=minors, current_code_version=2, signature_counts_before=ends), TODAY
    )
    assert within == AdmissionDecision(
        status=AdmissionStatus.PENDING, missing=(AdmissionStep.VOG,), resign_before=ends
    )
    assert transition_events(before, within) == [AdmissionEvent.RESIGN_REQUIRED]


def test_a_grace_period_belongs_only_to_a_signature_that_counts() -> None:
    with pytest.raises(ValidationError, match="grace period applies only"):
        AdmissionDecision(
            status=AdmissionStatus.PENDING,
            missing=(AdmissionStep.CODE_SIGNATURE,),
            resign_before=TODAY,
        )


def test_publishing_the_first_code_asks_admitted_volunteers_to_sign() -> None:
    before = decide_admission(
        admitted_facts(signed_code_version=None, current_code_version=None), TODAY
    )
    after = decide_admission(
        admitted_facts(signed_code_version=None, current_code_version=1), TODAY
    )

    assert before.status == AdmissionStatus.ADMITTED
    assert transition_events(before, after) == [
        AdmissionEvent.BLOCKED,
        AdmissionEvent.RESIGN_REQUIRED,
    ]


def test_signing_the_new_version_admits_again() -> None:
    blocked = decide_admission(admitted_facts(current_code_version=2), TODAY)
    resigned = decide_admission(
        admitted_facts(signed_code_version=2, current_code_version=2), TODAY
    )

    assert transition_events(blocked, resigned) == [AdmissionEvent.ADMITTED]


def test_a_role_changed_to_minors_makes_a_volunteer_without_vog_pending() -> None:
    before = decide_admission(admitted_facts(), TODAY)
    after = decide_admission(admitted_facts(role=RoleRequirements(works_with_minors=True)), TODAY)

    assert before.status == AdmissionStatus.ADMITTED
    assert after == pending("vog")
    assert transition_events(before, after) == [
        AdmissionEvent.BLOCKED,
        AdmissionEvent.VOG_REQUESTED,
    ]


def test_a_vog_passing_its_renewal_date_blocks_and_asks_for_a_new_one() -> None:
    facts = admitted_facts(
        role=RoleRequirements(works_with_minors=True),
        vog=VOGFacts(
            issued_on=date(2023, 6, 15),
            screening_aspects=(84,),
            checked_by="c",
            recorded_on=date(2023, 6, 20),
        ),
    )
    on_due_date = decide_admission(facts, date(2026, 6, 15))
    day_after = decide_admission(facts, date(2026, 6, 16))

    assert on_due_date.status == AdmissionStatus.ADMITTED
    assert transition_events(on_due_date, day_after) == [
        AdmissionEvent.BLOCKED,
        AdmissionEvent.VOG_REQUESTED,
    ]
