"""Applying for a role."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, EmailStr, Field, field_validator

from services.intake.domain.contact import (
    MOTIVATION_MAX_LENGTH,
    PHONE_MAX_LENGTH,
    motivation_as_given,
    phone_as_given,
)
from services.intake.domain.errors import UnknownOrganisation, UnknownRole
from services.intake.known_facts import KnownFacts
from services.intake.read_model import known_role, load_volunteer, organisation_known
from services.intake.storage import APPLICATIONS
from shared.domain.names import Name
from shared.events.admission import VolunteerApplied
from shared.storage.unit_of_work import UnitOfWork


class Application(BaseModel):
    role_id: str = Field(min_length=1, max_length=100)
    name: Name
    email: EmailStr
    # Read by the coordinators only (GET …/volunteers/{id}/contact), never on an event.
    phone: str | None = Field(default=None, max_length=PHONE_MAX_LENGTH + 100)
    motivation: str | None = Field(default=None, max_length=MOTIVATION_MAX_LENGTH + 100)

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        return phone_as_given(value)

    @field_validator("motivation")
    @classmethod
    def _motivation(cls, value: str | None) -> str | None:
        return motivation_as_given(value)


class Contact(BaseModel):
    """What a coordinator needs to reach an applicant (their detail, /coordinator/volunteers/{id})."""

    volunteer_id: str
    name: str
    email: str
    phone: str | None
    motivation: str | None
    applied_at: datetime


async def apply(
    uow: UnitOfWork,
    application: Application,
    *,
    application_id: str,
    volunteer_id: str,
    applied_at: datetime,
    known: KnownFacts | None = None,
) -> None:
    """Store the application and announce it (VolunteerApplied). Organisation and role
    come from the instance's copy `known` (the database when None or not known there)."""
    if not await organisation_known(uow, known):
        raise UnknownOrganisation(f"Organisation {uow.org_id} is not known.")
    if await known_role(uow, application.role_id, known) is None:
        raise UnknownRole(f"There is no role {application.role_id!r} to apply for.")
    # Fresh ids collide with nothing: written with the outbox row, in one command.
    uow.insert_at_commit(
        APPLICATIONS,
        {
            "application_id": application_id,
            "volunteer_id": volunteer_id,
            **application.model_dump(),
            "applied_at": applied_at,
        },
    )
    uow.publish(
        VolunteerApplied(
            org_id=uow.org_id,
            volunteer_id=volunteer_id,
            application_id=application_id,
            role_id=application.role_id,
            name=application.name,
            email=application.email,
            applied_at=applied_at,
        )
    )


async def contact(uow: UnitOfWork, volunteer_id: str) -> Contact:
    """The applicant's contact details; NoSuchVolunteer when none (or erased already)."""
    found = await load_volunteer(uow, volunteer_id)
    return Contact(
        volunteer_id=volunteer_id,
        name=found["name"],
        email=found["email"],
        phone=found.get("phone"),
        motivation=found.get("motivation"),
        applied_at=found["applied_at"],
    )
