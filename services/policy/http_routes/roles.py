"""Roles and their risk profile (services/policy/use_cases/roles.py decides)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Path

from services.policy.use_cases import roles
from services.policy.use_cases.roles import RoleDefinition, RoleSummary, RoleWithListing
from shared.auth.dependencies import require_org_role
from shared.auth.tokens import Principal
from shared.runtime.runtime import Runtime, runtime_of

router = APIRouter(prefix="/v1/orgs", tags=["roles"])

ROLE_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$"


@router.put(
    "/{org}/roles/{role_id}",
    summary="Define or change a role and its risk profile (admin).",
    response_model=RoleSummary,
)
async def define_role(
    org: str,
    body: RoleDefinition,
    role_id: str = Path(pattern=ROLE_ID_PATTERN, description="Letters, digits, . _ -"),
    _admin: Principal = Depends(require_org_role("admin")),
    runtime: Runtime = Depends(runtime_of),
) -> dict[str, Any]:
    return await runtime.transact(org, lambda uow: roles.define_role(uow, role_id, body))


@router.get(
    "/{org}/roles",
    summary="The organisation's roles with their whole risk profile, by title (admin,"
    " coordinator).",
    response_model=list[RoleWithListing],
)
async def list_roles(
    org: str,
    _reader: Principal = Depends(require_org_role("admin", "coordinator")),
    runtime: Runtime = Depends(runtime_of),
) -> list[dict[str, Any]]:
    return await runtime.read(org, roles.list_roles)
