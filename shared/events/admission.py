"""Events of the admission pillar: organisations, roles, codes of conduct, volunteers.

Events carry as little personal data as their consumers need: a volunteer's name and e-mail
travel once, in VolunteerApplied, because notify must be able to write to the applicant.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar, Literal

from pydantic import Field

from shared.events.base import Event

AdmissionStep = Literal["interview", "code_signature", "vog"]
InterviewOutcome = Literal["proceed", "reject", "doubt"]


class OrganisationRegistered(Event):
    type_name: ClassVar[str] = "nl.safehands.organisation.registered.v1"
    key_field: ClassVar[str] = "org_id"
    name: str
    language: Literal["nl", "en"] = "nl"


class RoleDefined(Event):
    type_name: ClassVar[str] = "nl.safehands.role.defined.v1"
    key_field: ClassVar[str] = "role_id"
    role_id: str
    title: str
    works_with_minors: bool
    works_with_vulnerable: bool
    vog_required: bool
    vog_max_age_days: int
    vog_renewal_years: int


class CodeOfConductPublished(Event):
    type_name: ClassVar[str] = "nl.safehands.code.published.v1"
    key_field: ClassVar[str] = "version"
    version: int = Field(ge=1)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    published_at: datetime
    # Volunteers who signed the previous version stay admitted on days before this one while
    # they sign this version (the organisation's grace period); None: no grace period.
    resign_before: date | None = None


class VolunteerApplied(Event):
    type_name: ClassVar[str] = "nl.safehands.volunteer.applied.v1"
    key_field: ClassVar[str] = "volunteer_id"
    volunteer_id: str
    application_id: str
    role_id: str
    name: str
    email: str
    applied_at: datetime


class InterviewRecorded(Event):
    type_name: ClassVar[str] = "nl.safehands.volunteer.interviewed.v1"
    key_field: ClassVar[str] = "volunteer_id"
    volunteer_id: str
    outcome: InterviewOutcome
    recorded_by: str
    recorded_at: datetime


class CodeSigned(Event):
    type_name: ClassVar[str] = "nl.safehands.volunteer.code_signed.v1"
    key_field: ClassVar[str] = "volunteer_id"
    volunteer_id: str
    version: int
    sha256: str
    signed_at: datetime
    recorded_by: str
    on_paper: bool = False


class VOGRequested(Event):
    type_name: ClassVar[str] = "nl.safehands.volunteer.vog_requested.v1"
    key_field: ClassVar[str] = "volunteer_id"
    volunteer_id: str
    role_id: str
    screening_aspects: list[int]


class VOGReceived(Event):
    type_name: ClassVar[str] = "nl.safehands.volunteer.vog_received.v1"
    key_field: ClassVar[str] = "volunteer_id"
    volunteer_id: str
    issued_on: date
    screening_aspects: list[int]
    checked_by: str
    recorded_on: date


class VOGExpiring(Event):
    type_name: ClassVar[str] = "nl.safehands.volunteer.vog_expiring.v1"
    key_field: ClassVar[str] = "volunteer_id"
    volunteer_id: str
    renewal_due: date


class ResignRequired(Event):
    type_name: ClassVar[str] = "nl.safehands.volunteer.resign_required.v1"
    key_field: ClassVar[str] = "volunteer_id"
    volunteer_id: str
    version: int
    # The day from which the previous signature no longer counts (sign before it); None when
    # it already does not count.
    resign_before: date | None = None


class VolunteerAdmitted(Event):
    type_name: ClassVar[str] = "nl.safehands.volunteer.admitted.v1"
    key_field: ClassVar[str] = "volunteer_id"
    volunteer_id: str
    role_id: str


class AdmissionBlocked(Event):
    type_name: ClassVar[str] = "nl.safehands.volunteer.blocked.v1"
    key_field: ClassVar[str] = "volunteer_id"
    volunteer_id: str
    missing: list[AdmissionStep]


class VolunteerRejected(Event):
    type_name: ClassVar[str] = "nl.safehands.volunteer.rejected.v1"
    key_field: ClassVar[str] = "volunteer_id"
    volunteer_id: str


class VolunteerDataErased(Event):
    type_name: ClassVar[str] = "nl.safehands.volunteer.erased.v1"
    key_field: ClassVar[str] = "volunteer_id"
    volunteer_id: str


EVENTS: tuple[type[Event], ...] = (
    OrganisationRegistered,
    RoleDefined,
    CodeOfConductPublished,
    VolunteerApplied,
    InterviewRecorded,
    CodeSigned,
    VOGRequested,
    VOGReceived,
    VOGExpiring,
    ResignRequired,
    VolunteerAdmitted,
    AdmissionBlocked,
    VolunteerRejected,
    VolunteerDataErased,
)
