"""Applying for a role."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, EmailStr, Field

from services.intake.domain.errors import UnknownOrganisation, UnknownRole
from services.intake.read_model import known_role
from services.intake.storage import APPLICATIONS, KNOWN_ORGANISATIONS, KNOWN_ROLES
from shared.domain.names import Name
from shared.events.admission import VolunteerApplied
from shared.storage.unit_of_work import UnitOfWork


class Application(BaseModel):
    role_id: str = Field(min_length=1, max_length=100)
    name: Name
    email: EmailStr
    motivation: str | None = Field(default=None, max_length=5000)


async def apply(
    uow: UnitOfWork,
    application: Application,
    *,
    application_id: str,
    volunteer_id: str,
    applied_at: datetime,
) -> None:
    """Store the application and announce it (VolunteerApplied)."""
    if await uow.collection(KNOWN_ORGANISATIONS).find_one() is None:
        raise UnknownOrganisation(f"Organisation {uow.org_id} is not known.")
    if await known_role(uow.collection(KNOWN_ROLES), application.role_id) is None:
        raise UnknownRole(f"There is no role {application.role_id!r} to apply for.")
    await uow.collection(APPLICATIONS).insert_one(
        {
            "application_id": application_id,
            "volunteer_id": volunteer_id,
            **application.model_dump(),
            "applied_at": applied_at,
        }
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
