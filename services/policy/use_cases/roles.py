"""Defining roles and their risk profile, and reading them back."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, StrictBool

from services.policy.storage import ROLE_LISTINGS, ROLES
from services.policy.use_cases.organisations import registered_organisation
from shared import audit
from shared.domain.names import Name
from shared.domain.numbers import WholeNumber
from shared.domain.vog import DEFAULT_VOG_MAX_AGE_DAYS, DEFAULT_VOG_RENEWAL_YEARS
from shared.events.admission import RoleDefined
from shared.storage.unit_of_work import UnitOfWork


class RoleDefinition(BaseModel):
    title: Name
    # Strict: JSON `0` is no false and `true` no 1 day; inputs are taken as written.
    works_with_minors: StrictBool
    works_with_vulnerable: StrictBool
    vog_max_age_days: WholeNumber = Field(default=DEFAULT_VOG_MAX_AGE_DAYS, ge=1, le=3650)
    vog_renewal_years: WholeNumber = Field(default=DEFAULT_VOG_RENEWAL_YEARS, ge=1, le=20)


class ListingSummary(BaseModel):
    """A role's listing as `GET …/roles` answers it (the request is open_roles.RoleListing)."""

    listed: bool
    place: str | None
    hours: str | None
    text: str | None


class RoleSummary(BaseModel):
    """A role as stored and answered: its definition and whether it needs a VOG."""

    role_id: str
    title: str
    works_with_minors: bool
    works_with_vulnerable: bool
    vog_required: bool
    vog_max_age_days: int
    vog_renewal_years: int


class RoleWithListing(RoleSummary):
    """A role in the admin's list of roles: with its listing on the regional page
    (/vacatures), None while it was never listed."""

    listing: ListingSummary | None


async def define_role(uow: UnitOfWork, role_id: str, definition: RoleDefinition) -> dict[str, Any]:
    """Define or change a role; returns the role as stored."""
    role = {
        "role_id": role_id,
        **definition.model_dump(),
        "vog_required": definition.works_with_minors or definition.works_with_vulnerable,
    }
    await registered_organisation(uow)
    await uow.collection(ROLES).replace_one({"role_id": role_id}, role, upsert=True)
    # Announced on every PUT, even an unchanged one: consumers treat it as "the role is now
    # this", and policy's own handler re-evaluates the role's volunteers.
    await audit.record(uow, "role.defined", "role", role_id)
    uow.publish(RoleDefined(org_id=uow.org_id, **role))
    return role


async def list_roles(uow: UnitOfWork) -> list[dict[str, Any]]:
    """The organisation's roles with their whole risk profile, by title."""
    await registered_organisation(uow)
    roles = await uow.collection(ROLES).find({}, sort=[("title", 1)])
    # Each role's listing on the regional page (/vacatures), None while it was never listed.
    listings = {
        doc["role_id"]: {name: doc.get(name) for name in ("listed", "place", "hours", "text")}
        for doc in await uow.collection(ROLE_LISTINGS).find({})
    }
    fields = ("role_id", *RoleDefinition.model_fields, "vog_required")
    return [
        {
            **{name: role.get(name) for name in fields},
            # Roles defined before the VOG periods were kept use the defaults.
            "vog_max_age_days": role.get("vog_max_age_days", DEFAULT_VOG_MAX_AGE_DAYS),
            "vog_renewal_years": role.get("vog_renewal_years", DEFAULT_VOG_RENEWAL_YEARS),
            "listing": listings.get(role["role_id"]),
        }
        for role in roles
    ]
