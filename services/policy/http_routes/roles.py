"""Roles and their risk profile."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel, Field

from services.policy.http_routes.organisations import registered_organisation
from services.policy.storage import ORGANISATIONS, ROLES
from shared.auth.dependencies import require_org_role
from shared.auth.tokens import Principal
from shared.domain.vog import DEFAULT_VOG_MAX_AGE_DAYS, DEFAULT_VOG_RENEWAL_YEARS
from shared.events.admission import RoleDefined
from shared.runtime.runtime import Runtime, runtime_of

router = APIRouter(prefix="/v1/orgs", tags=["roles"])

ROLE_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$"


class RoleDefinition(BaseModel):
    title: str = Field(min_length=1, max_length=200)
    works_with_minors: bool
    works_with_vulnerable: bool
    vog_max_age_days: int = Field(default=DEFAULT_VOG_MAX_AGE_DAYS, ge=1, le=3650)
    vog_renewal_years: int = Field(default=DEFAULT_VOG_RENEWAL_YEARS, ge=1, le=20)


@router.put(
    "/{org}/roles/{role_id}", summary="Define or change a role and its risk profile (admin)."
)
async def define_role(
    org: str,
    body: RoleDefinition,
    role_id: str = Path(pattern=ROLE_ID_PATTERN, description="Letters, digits, . _ -"),
    _admin: Principal = Depends(require_org_role("admin")),
    runtime: Runtime = Depends(runtime_of),
) -> dict[str, Any]:
    role = {
        "role_id": role_id,
        **body.model_dump(),
        "vog_required": body.works_with_minors or body.works_with_vulnerable,
    }
    async with runtime.unit_of_work(org) as uow:
        await registered_organisation(uow.collection(ORGANISATIONS))
        await uow.collection(ROLES).replace_one({"role_id": role_id}, role, upsert=True)
        # Announced on every PUT, even an unchanged one: consumers treat it as "the role is
        # now this", and policy's own handler re-evaluates the role's volunteers.
        uow.publish(RoleDefined(org_id=org, **role))
    return role


@router.get(
    "/{org}/roles",
    summary="The organisation's roles with their whole risk profile, by title (admin,"
    " coordinator).",
)
async def list_roles(
    org: str,
    _reader: Principal = Depends(require_org_role("admin", "coordinator")),
    runtime: Runtime = Depends(runtime_of),
) -> list[dict[str, Any]]:
    await registered_organisation(runtime.db.tenant_collection(org, ORGANISATIONS))
    roles = await runtime.db.tenant_collection(org, ROLES).find({}, sort=[("title", 1)])
    fields = ("role_id", *RoleDefinition.model_fields, "vog_required")
    return [
        {
            **{name: role.get(name) for name in fields},
            # Roles defined before the VOG periods were kept use the defaults.
            "vog_max_age_days": role.get("vog_max_age_days", DEFAULT_VOG_MAX_AGE_DAYS),
            "vog_renewal_years": role.get("vog_renewal_years", DEFAULT_VOG_RENEWAL_YEARS),
        }
        for role in roles
    ]
