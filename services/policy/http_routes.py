"""policy's HTTP API: organisations and roles."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, status
from pydantic import BaseModel, Field
from pymongo.errors import DuplicateKeyError

from services.policy.storage import ORGANISATIONS, ROLES
from shared.auth.dependencies import require_operator, require_org_role
from shared.auth.tokens import Principal
from shared.events.admission import OrganisationRegistered, RoleDefined
from shared.events.base import ORG_ID_PATTERN
from shared.runtime.service import Runtime, runtime_of

router = APIRouter(prefix="/v1/orgs", tags=["policy"])


class NewOrganisation(BaseModel):
    org_id: str = Field(
        pattern=ORG_ID_PATTERN, description="A slug: lower-case letters, digits, dashes."
    )
    name: str = Field(min_length=1, max_length=200)
    language: str = Field(default="nl", pattern="^(nl|en)$")


class RoleDefinition(BaseModel):
    title: str = Field(min_length=1, max_length=200)
    works_with_minors: bool
    works_with_vulnerable: bool
    vog_max_age_days: int = Field(default=180, ge=1, le=3650)
    vog_renewal_years: int = Field(default=3, ge=1, le=20)


@router.post(
    "", status_code=status.HTTP_201_CREATED, summary="Register an organisation (operator)."
)
async def register_organisation(
    body: NewOrganisation,
    _operator: Principal = Depends(require_operator()),
    runtime: Runtime = Depends(runtime_of),
) -> dict[str, str]:
    event = OrganisationRegistered(org_id=body.org_id, name=body.name, language=body.language)
    try:
        async with runtime.unit_of_work(body.org_id) as uow:
            await uow.collection(ORGANISATIONS).insert_one(body.model_dump())
            uow.publish(event)
    except DuplicateKeyError:
        raise HTTPException(
            status.HTTP_409_CONFLICT, f"Organisation {body.org_id} already exists."
        ) from None
    return {"org_id": body.org_id}


@router.put(
    "/{org}/roles/{role_id}", summary="Define or change a role and its risk profile (admin)."
)
async def define_role(
    org: str,
    role_id: str,
    body: RoleDefinition,
    _admin: Principal = Depends(require_org_role("admin")),
    runtime: Runtime = Depends(runtime_of),
) -> dict[str, object]:
    role = {
        "role_id": role_id,
        **body.model_dump(),
        "vog_required": body.works_with_minors or body.works_with_vulnerable,
    }
    async with runtime.unit_of_work(org) as uow:
        await uow.collection(ROLES).replace_one({"role_id": role_id}, role, upsert=True)
        uow.publish(RoleDefined(org_id=org, **role))
    return role
