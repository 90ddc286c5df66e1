"""Registering organisations, their settings and their public page."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, field_validator
from pymongo.errors import DuplicateKeyError

from services.policy.domain.errors import OrganisationExists, UnregisteredOrganisation
from services.policy.organisation_settings import OrganisationSettings, settings_of
from services.policy.storage import ORGANISATIONS, ROLES
from shared import audit
from shared.domain.names import Name
from shared.events.admission import OrganisationRegistered
from shared.events.base import ORG_ID_PATTERN
from shared.events.identity import PLATFORM_ORG
from shared.storage.tenancy import Document
from shared.storage.unit_of_work import UnitOfWork
from shared.tenants import REGIONAL_CENTRE


class NewOrganisation(BaseModel):
    org_id: str = Field(
        pattern=ORG_ID_PATTERN, description="A slug: lower-case letters, digits, dashes."
    )
    name: Name
    # An enum, not a pattern: a generated client offers the two values.
    language: Literal["nl", "en"] = "nl"

    @field_validator("org_id")
    @classmethod
    def not_the_platform(cls, value: str) -> str:
        # The operators' events and audit log are kept under this slug (shared/events/identity.py).
        if value == PLATFORM_ORG:
            raise ValueError(f"{PLATFORM_ORG!r} is reserved for the platform itself")
        return value


class RegisteredOrganisation(BaseModel):
    """The answer to registering an organisation."""

    org_id: str


class PublicRole(BaseModel):
    role_id: str
    title: str
    works_with_minors: bool
    works_with_vulnerable: bool
    vog_required: bool


class PublicPage(BaseModel):
    """What the organisation's public web page shows: nothing that is not already public."""

    org_id: str
    name: str
    language: str
    roles: list[PublicRole]
    # How long an applicant's data (phone and motivation included) is kept after their last
    # activity: the application form says so.
    volunteer_retention_days: int


async def registered_organisation(uow: UnitOfWork) -> Document:
    """The organisation's record; UnregisteredOrganisation when it was never registered."""
    found = await uow.collection(ORGANISATIONS).find_one()
    if found is None:
        raise UnregisteredOrganisation(uow.org_id)
    return found


async def register_organisation(uow: UnitOfWork, organisation: NewOrganisation) -> None:
    """Register an organisation (the unit of work is the new organisation's own)."""
    if organisation.org_id == REGIONAL_CENTRE:
        # The centre's own settings live under this address: it "exists" already.
        raise OrganisationExists(organisation.org_id)
    try:
        await uow.collection(ORGANISATIONS).insert_one(organisation.model_dump())
    except DuplicateKeyError:
        raise OrganisationExists(organisation.org_id) from None
    await audit.record(uow, "organisation.registered", "organisation", organisation.org_id)
    uow.publish(
        OrganisationRegistered(
            org_id=organisation.org_id, name=organisation.name, language=organisation.language
        )
    )


async def public_page(uow: UnitOfWork) -> PublicPage:
    organisation = await registered_organisation(uow)
    roles = await uow.collection(ROLES).find({}, sort=[("title", 1)])
    return PublicPage(
        org_id=uow.org_id,
        name=organisation["name"],
        # Organisations registered before the language setting existed speak Dutch.
        language=organisation.get("language", "nl"),
        roles=[PublicRole.model_validate(role) for role in roles],
        volunteer_retention_days=settings_of(organisation).volunteer_retention_days,
    )


async def read_settings(uow: UnitOfWork) -> OrganisationSettings:
    return settings_of(await registered_organisation(uow))


async def change_settings(uow: UnitOfWork, settings: OrganisationSettings) -> OrganisationSettings:
    """Change the settings the request names; one it leaves out keeps its value, so that a
    script that knows only the retention period does not list an unlisted organisation."""
    organisation = await registered_organisation(uow)
    changed = settings_of(organisation).model_copy(update=settings.model_dump(exclude_unset=True))
    await uow.collection(ORGANISATIONS).update_one({}, {"$set": {"settings": changed.model_dump()}})
    await audit.record(uow, "settings.changed", "organisation", uow.org_id)
    return changed
