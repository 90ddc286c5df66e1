"""Organisations (tenants) and their settings."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, status
from pydantic import BaseModel, Field
from pymongo.errors import DuplicateKeyError

from services.policy.organisation_settings import OrganisationSettings, settings_of
from services.policy.storage import ORGANISATIONS, ROLES
from shared.auth.dependencies import require_operator, require_org_role
from shared.auth.tokens import Principal
from shared.events.admission import OrganisationRegistered
from shared.events.base import ORG_ID_PATTERN
from shared.http.openapi import errors
from shared.runtime.runtime import Runtime, runtime_of
from shared.storage.tenancy import Document, TenantCollection

router = APIRouter(prefix="/v1/orgs", tags=["organisations"])


class NewOrganisation(BaseModel):
    org_id: str = Field(
        pattern=ORG_ID_PATTERN, description="A slug: lower-case letters, digits, dashes."
    )
    name: str = Field(min_length=1, max_length=200)
    language: str = Field(default="nl", pattern="^(nl|en)$")


async def registered_organisation(organisations: TenantCollection) -> Document:
    """The organisation's record, or 404 when it was never registered."""
    found = await organisations.find_one()
    if found is None:
        raise HTTPException(
            status.HTTP_404_NOT_FOUND, f"Organisation {organisations.org_id} is not registered."
        )
    return found


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Register an organisation (operator).",
    responses=errors(409),
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


@router.get(
    "/{org}/public",
    summary="The organisation's public page: name, language, roles (anyone).",
    responses=errors(404),
)
async def read_public_page(org: str, runtime: Runtime = Depends(runtime_of)) -> PublicPage:
    organisation = await registered_organisation(runtime.db.tenant_collection(org, ORGANISATIONS))
    roles = await runtime.db.tenant_collection(org, ROLES).find({}, sort=[("title", 1)])
    return PublicPage(
        org_id=org,
        name=organisation["name"],
        # Organisations registered before the language setting existed speak Dutch.
        language=organisation.get("language", "nl"),
        roles=[PublicRole.model_validate(role) for role in roles],
    )


@router.get("/{org}/settings", summary="The organisation's settings (admin).")
async def read_settings(
    org: str,
    _admin: Principal = Depends(require_org_role("admin")),
    runtime: Runtime = Depends(runtime_of),
) -> OrganisationSettings:
    organisation = await registered_organisation(runtime.db.tenant_collection(org, ORGANISATIONS))
    return settings_of(organisation)


@router.put("/{org}/settings", summary="Change the organisation's settings (admin).")
async def change_settings(
    org: str,
    body: OrganisationSettings,
    _admin: Principal = Depends(require_org_role("admin")),
    runtime: Runtime = Depends(runtime_of),
) -> OrganisationSettings:
    async with runtime.unit_of_work(org) as uow:
        organisations = uow.collection(ORGANISATIONS)
        await registered_organisation(organisations)
        await organisations.update_one({}, {"$set": {"settings": body.model_dump()}})
    return body
