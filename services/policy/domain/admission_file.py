"""A volunteer's admission file, and re-evaluating it when a fact or the world changes.

The file holds the facts policy knows about one volunteer (role, interview, signed code
version, VOG), the decision last stored, and the dates on which time alone will change
something: the VOG's expiry notice and the day its renewal lapses. Everything that can change
a decision — an event about the volunteer, a new code version, a changed role, the daily
sweep — goes through `reevaluate`, so there is one way to reach a decision and one way to
find out what to announce.
"""

from __future__ import annotations

from datetime import date, timedelta

from pydantic import BaseModel, ConfigDict, Field

from services.policy.domain.admission import (
    AdmissionDecision,
    AdmissionEvent,
    AdmissionFacts,
    AdmissionStatus,
    InterviewOutcome,
    decide_admission,
    transition_events,
)
from shared.domain.vog import (
    RoleRequirements,
    VOGFacts,
    vog_expiring_window,
    vog_meets_role_on,
    vog_renewal_due,
)

# Justis screening aspects in risk area 08 "Personen".
ASPECT_MINORS = 84
ASPECT_VULNERABLE = 85

# How long before a grace period ends a volunteer who has not signed the new code yet is
# reminded (the first request goes out when the version is published).
RESIGN_REMINDER_DAYS = 7


class AdmissionFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    volunteer_id: str
    role_id: str
    interview: InterviewOutcome | None = None
    signed_code_version: int | None = Field(default=None, ge=1)
    vog: VOGFacts | None = None
    # None until the first evaluation, so that it announces as a first decision would.
    decision: AdmissionDecision | None = None
    # The last day anything happened in the file; retention counts from it.
    last_activity: date
    # The day the volunteer was admitted, while admitted (a grace period starting or ending is
    # no new admission); None otherwise, and in files stored before it was kept.
    admitted_on: date | None = None
    # Renewal date of the VOG that counts now; None when none counts.
    vog_renewal_due: date | None = None
    # First day to announce VOGExpiring; None once announced (or nothing to announce).
    vog_notice_on: date | None = None
    # The day the counting VOG stops counting; the daily sweep re-evaluates from then on.
    vog_lapses_on: date | None = None
    # The day a signature that counts only by a new version's grace period stops counting;
    # the daily sweep re-evaluates from then on.
    signature_lapses_on: date | None = None
    # The day to remind the volunteer to sign the new version; None once reminded (or none due).
    resign_reminder_on: date | None = None

    @property
    def status(self) -> AdmissionStatus:
        return self.decision.status if self.decision else AdmissionStatus.PENDING


class Reevaluation(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    file: AdmissionFile
    events: tuple[AdmissionEvent, ...]


class CodeVersions(BaseModel):
    """The organisation's published versions, as far as admission needs them."""

    model_config = ConfigDict(frozen=True)

    current: int | None = None
    # Per version published with a grace period: the day from which signatures of the version
    # before it no longer count.
    resign_before: dict[int, date] = Field(default_factory=dict)

    def signature_counts_before(self, signed: int | None) -> date | None:
        """Until when a signature of `signed` counts although it is not for the current
        version: the end of the grace period of the version that replaced it."""
        if signed is None or self.current is None or signed >= self.current:
            return None
        return self.resign_before.get(signed + 1)


def resign_deadline(published_on: date, grace_days: int) -> date:
    """The day from which a signature of the previous version no longer counts: `grace_days`
    after publication (0: at once)."""
    return published_on + timedelta(days=grace_days)


def reevaluate(
    file: AdmissionFile,
    role: RoleRequirements,
    current_code_version: int | None,
    today: date,
    *,
    signature_counts_before: date | None = None,
) -> Reevaluation:
    """Decide again from the file's facts, the role's current rules and the current code
    (with the grace period of the version that replaced the signed one, if any).

    The decision changes only when the situation does, so a repeated or irrelevant
    re-evaluation announces nothing. A changed decision counts as activity in the file.
    """
    facts = AdmissionFacts(
        role=role,
        interview=file.interview,
        signed_code_version=file.signed_code_version,
        current_code_version=current_code_version,
        signature_counts_before=signature_counts_before,
        vog=file.vog,
    )
    decision = decide_admission(facts, today)
    events = tuple(transition_events(file.decision, decision))
    changed = decision != file.decision
    updated = file.model_copy(
        update={
            "decision": decision,
            "last_activity": today if changed else file.last_activity,
            "admitted_on": _admitted_on(file, decision, today),
            **_vog_schedule(file, role, decision, today),
            **_resign_schedule(file, decision, today),
        }
    )
    return Reevaluation(file=updated, events=events)


def _admitted_on(file: AdmissionFile, decision: AdmissionDecision, today: date) -> date | None:
    if decision.status != AdmissionStatus.ADMITTED:
        return None
    if file.status == AdmissionStatus.ADMITTED and file.decision is not None:
        # Admitted before: the day it happened, or for a file stored before the day was kept,
        # the day its decision last changed (which then was the admission).
        return file.admitted_on or file.last_activity
    return today


def _resign_schedule(
    file: AdmissionFile, decision: AdmissionDecision, today: date
) -> dict[str, date | None]:
    """When a grace period will next matter: its reminder and its end.

    A grace period that did not change keeps its reminder state, so a reminder is sent once.
    """
    ends = decision.resign_before
    if ends is None:
        return {"signature_lapses_on": None, "resign_reminder_on": None}
    if file.decision is not None and file.decision.resign_before == ends:
        return {"signature_lapses_on": ends}
    reminder = ends - timedelta(days=RESIGN_REMINDER_DAYS)
    return {
        "signature_lapses_on": ends,
        "resign_reminder_on": reminder if reminder > today else None,
    }


def take_resign_reminder(file: AdmissionFile, today: date) -> tuple[AdmissionFile, date | None]:
    """The file with its reminder taken, and the deadline to remind of today (None: nothing
    to send: not due yet, or the volunteer signed or left the running meanwhile)."""
    if file.resign_reminder_on is None or today < file.resign_reminder_on:
        return file, None
    taken = file.model_copy(update={"resign_reminder_on": None})
    ends = file.decision.resign_before if file.decision else None
    if ends is None or today >= ends:
        return taken, None
    return taken, ends


def _vog_schedule(
    file: AdmissionFile, role: RoleRequirements, decision: AdmissionDecision, today: date
) -> dict[str, date | None]:
    """When time will next matter for the file's VOG.

    Only a VOG that counts has a renewal to announce or to lapse. A renewal date that did not
    change keeps its notice state, so an announced notice is not announced again.
    """
    counts = (
        decision.status != AdmissionStatus.REJECTED
        and role.vog_required
        and file.vog is not None
        and vog_meets_role_on(file.vog, role, today)
    )
    if not counts or file.vog is None:
        return {"vog_renewal_due": None, "vog_notice_on": None, "vog_lapses_on": None}
    due = vog_renewal_due(file.vog, role)
    if due == file.vog_renewal_due:
        return {}
    return {
        "vog_renewal_due": due,
        "vog_notice_on": vog_expiring_window(file.vog, role).opens_on,
        "vog_lapses_on": due + timedelta(days=1),
    }


def take_vog_notice(file: AdmissionFile, today: date) -> tuple[AdmissionFile, date | None]:
    """The file with its notice taken, and the renewal date to announce in VOGExpiring today.

    Announced once per renewal date, from 30 days before it up to the date itself. A notice
    whose window passed unannounced (the sweep did not run) is dropped, not sent late: by then
    the lapse itself is what the volunteer hears about. Before the window nothing changes.
    """
    if file.vog_notice_on is None or today < file.vog_notice_on:
        return file, None
    taken = file.model_copy(update={"vog_notice_on": None})
    due = file.vog_renewal_due
    if due is None or today > due or file.status == AdmissionStatus.REJECTED:
        return taken, None
    return taken, due


def vog_screening_aspects(role: RoleRequirements) -> list[int]:
    """The aspects a VOG request for `role` must screen: 84 for minors, 85 for vulnerable
    people, both when the role works with both."""
    aspects = []
    if role.works_with_minors:
        aspects.append(ASPECT_MINORS)
    if role.works_with_vulnerable:
        aspects.append(ASPECT_VULNERABLE)
    return aspects
