"""Organisations (tenants) and their settings (services/policy/use_cases/organisations.py
decides)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, status

from services.policy.organisation_settings import OrganisationSettings
from services.policy.use_cases import organisations
from services.policy.use_cases.organisations import (
    NewOrganisation,
    PublicPage,
    RegisteredOrganisation,
)
from shared.auth.dependencies import require_operator, require_org_role
from shared.auth.tokens import Principal
from shared.http.openapi import errors
from shared.runtime.runtime import Runtime, runtime_of

router = APIRouter(prefix="/v1/orgs", tags=["organisations"])


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
) -> RegisteredOrganisation:
    await runtime.transact(body.org_id, lambda uow: organisations.register_organisation(uow, body))
    return RegisteredOrganisation(org_id=body.org_id)


@router.get(
    "/{org}/public",
    summary="The organisation's public page: name, language, roles (anyone).",
    responses=errors(404),
)
async def read_public_page(org: str, runtime: Runtime = Depends(runtime_of)) -> PublicPage:
    return await runtime.read(org, organisations.public_page)


@router.get("/{org}/settings", summary="The organisation's settings (admin).")
async def read_settings(
    org: str,
    _admin: Principal = Depends(require_org_role("admin")),
    runtime: Runtime = Depends(runtime_of),
) -> OrganisationSettings:
    return await runtime.read(org, organisations.read_settings)


@router.put(
    "/{org}/settings",
    summary="Change the organisation's settings (admin); a setting left out keeps its value.",
)
async def change_settings(
    org: str,
    body: OrganisationSettings,
    _admin: Principal = Depends(require_org_role("admin")),
    runtime: Runtime = Depends(runtime_of),
) -> OrganisationSettings:
    return await runtime.transact(org, lambda uow: organisations.change_settings(uow, body))
