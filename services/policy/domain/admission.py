"""The admission rules: when a volunteer is admitted, and what to announce when that changes.

`decide_admission` is the one place that says whether a volunteer is admitted. Handlers
recompute it from the current facts after every relevant event (interview, signature, VOG,
new code version, role change, the daily renewal sweep) and store the result; comparing the
stored and the new decision with `transition_events` tells them what to publish.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import TypeGuard

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from shared.domain.vog import RoleRequirements, VOGFacts, vog_meets_role_on


class InterviewOutcome(StrEnum):
    PROCEED = "proceed"
    REJECT = "reject"
    DOUBT = "doubt"


class AdmissionStatus(StrEnum):
    PENDING = "pending"
    ADMITTED = "admitted"
    REJECTED = "rejected"


class AdmissionStep(StrEnum):
    """A step a volunteer still has to complete; declared in the order `missing` lists them."""

    INTERVIEW = "interview"
    CODE_SIGNATURE = "code_signature"
    VOG = "vog"


class AdmissionEvent(StrEnum):
    """An outcome worth announcing; declared in the order `transition_events` returns them."""

    REJECTED = "rejected"
    ADMITTED = "admitted"
    BLOCKED = "blocked"
    RESIGN_REQUIRED = "resign_required"
    VOG_REQUESTED = "vog_requested"


class AdmissionFacts(BaseModel):
    """Everything the admission rules look at, for one volunteer and the role applied for."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    role: RoleRequirements
    interview: InterviewOutcome | None = None
    signed_code_version: int | None = Field(default=None, ge=1)
    # None while the organisation has not published a code of conduct yet.
    current_code_version: int | None = Field(default=None, ge=1)
    # The grace period of the version that replaced the signed one: a signature for an older
    # version still counts on days before this one (None: no grace, or nothing to grace).
    signature_counts_before: date | None = None
    vog: VOGFacts | None = None


class AdmissionDecision(BaseModel):
    """What the admission endpoint answers: `{"status", "missing"}`.

    `missing` is kept in `AdmissionStep` order without repeats, so two decisions are equal
    exactly when the volunteer's situation is the same — which keeps `transition_events` quiet.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    status: AdmissionStatus
    missing: tuple[AdmissionStep, ...] = ()
    # Set while the code signature counts only by a new version's grace period: the volunteer
    # must sign the current version before this day to keep it.
    resign_before: date | None = None

    @field_validator("missing", mode="after")
    @classmethod
    def _canonical_order(cls, missing: tuple[AdmissionStep, ...]) -> tuple[AdmissionStep, ...]:
        return tuple(step for step in AdmissionStep if step in missing)

    @model_validator(mode="after")
    def _missing_fits_status(self) -> AdmissionDecision:
        # Only a pending volunteer has steps left; a stored decision that says otherwise is
        # corrupt, and comparing it with a fresh one would announce nonsense.
        if (self.status == AdmissionStatus.PENDING) != bool(self.missing):
            raise ValueError("missing steps must be listed exactly when the status is pending")
        if self.resign_before is not None and (
            self.status == AdmissionStatus.REJECTED or AdmissionStep.CODE_SIGNATURE in self.missing
        ):
            raise ValueError("a grace period applies only to a signature that still counts")
        return self


def decide_admission(facts: AdmissionFacts, today: date) -> AdmissionDecision:
    """Admit only when every step is done; reject on a negative or doubtful interview.

    - `reject` and `doubt` both reject ("if in doubt, don't admit"); a rejected volunteer has
      nothing left to do, so `missing` is empty.
    - The interview must have outcome `proceed`.
    - The *current* code version must be signed; a signature for an older version counts as
      missing, except during the grace period of the version that replaced it
      (`signature_counts_before`): until then it still counts, and the decision carries the
      day by which to sign again (`resign_before`). While no code is published there is nothing to sign, so no signature is
      required: the gratis-VOG scheme accepts organisations with two of the three pillars, so
      an organisation without a code must still be able to admit volunteers. Once a code is
      published, a volunteer without a signature for it goes back to pending (at once without
      a grace period, when it ends with one).
    - If the role needs a VOG: one that met the role's requirements when handed in and is
      still within its renewal period on `today`.
    """
    if facts.interview in (InterviewOutcome.REJECT, InterviewOutcome.DOUBT):
        return AdmissionDecision(status=AdmissionStatus.REJECTED)

    missing: list[AdmissionStep] = []
    if facts.interview != InterviewOutcome.PROCEED:
        missing.append(AdmissionStep.INTERVIEW)
    signature_counts, resign_before = _code_signature(facts, today)
    if not signature_counts:
        missing.append(AdmissionStep.CODE_SIGNATURE)
    if facts.role.vog_required and not _vog_in_order(facts, today):
        missing.append(AdmissionStep.VOG)

    status = AdmissionStatus.PENDING if missing else AdmissionStatus.ADMITTED
    return AdmissionDecision(status=status, missing=tuple(missing), resign_before=resign_before)


def transition_events(
    previous: AdmissionDecision | None, current: AdmissionDecision
) -> list[AdmissionEvent]:
    """What to announce when a volunteer's decision goes from `previous` to `current`.

    `previous` is None when no decision was stored yet. The decisions alone carry everything
    needed, so equal decisions never produce an event. The events:

    - `rejected`: the status became rejected. Nothing else is announced with it.
    - `admitted`: the status became admitted.
    - `blocked` (with `current.missing`): an admitted volunteer went back to pending, or —
      once the interview has passed — the list of missing steps changed. Before the interview
      there is nothing to report beyond the application itself; after it, every change tells
      the volunteer and coordinator what is still left.
    - `resign_required`: a code signature that counted is owed again — it stopped counting, or
      counts only until a grace period ends (`resign_before`) — which only a new code version
      can cause. Announced once, when the new version comes, not again when its grace period
      ends. Announced for pending volunteers who had signed too, not only for admitted ones:
      they have to sign again just the same.
    - `vog_requested`: after the interview passed, a VOG became needed that is not there —
      the interview just passed, the role started to need a VOG, or the VOG passed its renewal
      date. Each is a moment the organisation must start a (new) request at Justis.
    """
    if previous == current:
        return []

    if current.status == AdmissionStatus.REJECTED:
        return [AdmissionEvent.REJECTED]

    events: list[AdmissionEvent] = []
    if current.status == AdmissionStatus.ADMITTED:
        # A grace period starting or ending while admitted is no new admission.
        if not _was_admitted(previous):
            events.append(AdmissionEvent.ADMITTED)
    elif _was_admitted(previous) or (
        _interview_passed(current) and (previous is None or previous.missing != current.missing)
    ):
        # A grace period starting or ending changes no missing step, so it blocks nobody.
        events.append(AdmissionEvent.BLOCKED)

    if _counted(previous) and not _owes_signature(previous) and _owes_signature(current):
        events.append(AdmissionEvent.RESIGN_REQUIRED)

    vog_newly_missing = _step_newly_missing(AdmissionStep.VOG, previous, current)
    interview_just_passed = _interview_passed(current) and not _interview_passed(previous)
    if (
        _interview_passed(current)
        and AdmissionStep.VOG in current.missing
        and (vog_newly_missing or interview_just_passed)
    ):
        events.append(AdmissionEvent.VOG_REQUESTED)

    return events


def _code_signature(facts: AdmissionFacts, today: date) -> tuple[bool, date | None]:
    """Whether the code signature counts, and the day before which to sign again when it
    counts only by a grace period."""
    current, signed = facts.current_code_version, facts.signed_code_version
    if current is None or signed == current:
        return True, None
    grace_ends = facts.signature_counts_before
    if signed is not None and signed < current and grace_ends is not None and today < grace_ends:
        return True, grace_ends
    return False, None


def _owes_signature(decision: AdmissionDecision) -> bool:
    """The current code is not signed: missing, or counted only during a grace period."""
    return AdmissionStep.CODE_SIGNATURE in decision.missing or decision.resign_before is not None


def _counted(decision: AdmissionDecision | None) -> TypeGuard[AdmissionDecision]:
    """A decision was stored and the volunteer is still in the running."""
    return decision is not None and decision.status != AdmissionStatus.REJECTED


def _vog_in_order(facts: AdmissionFacts, today: date) -> bool:
    return facts.vog is not None and vog_meets_role_on(facts.vog, facts.role, today)


def _interview_passed(decision: AdmissionDecision | None) -> bool:
    return (
        decision is not None
        and decision.status != AdmissionStatus.REJECTED
        and AdmissionStep.INTERVIEW not in decision.missing
    )


def _was_admitted(decision: AdmissionDecision | None) -> bool:
    return decision is not None and decision.status == AdmissionStatus.ADMITTED


def _step_newly_missing(
    step: AdmissionStep, previous: AdmissionDecision | None, current: AdmissionDecision
) -> bool:
    """A step that counted (previous decision known, not rejected) and now no longer does."""
    if not _counted(previous):
        return False
    return step not in previous.missing and step in current.missing
