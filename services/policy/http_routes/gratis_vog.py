"""Whether the organisation qualifies for the free VOG scheme."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from services.policy.admission_files import role_requirements
from services.policy.domain.gratis_vog import (
    GratisVogAssessment,
    assess_gratis_vog,
    works_with_vulnerable_groups,
)
from services.policy.http_routes.organisations import registered_organisation
from services.policy.storage import CODES, ORGANISATIONS, ROLES, VCPS
from shared.auth.dependencies import require_org_role
from shared.auth.tokens import Principal
from shared.runtime.service import Runtime, runtime_of

router = APIRouter(prefix="/v1/orgs", tags=["gratis VOG"])


@router.get(
    "/{org}/gratis-vog",
    summary="Whether the organisation meets the free-VOG condition, and what is missing (admin).",
)
async def read_gratis_vog(
    org: str,
    _admin: Principal = Depends(require_org_role("admin")),
    runtime: Runtime = Depends(runtime_of),
) -> GratisVogAssessment:
    db = runtime.db
    await registered_organisation(db.tenant_collection(org, ORGANISATIONS))
    roles = [role_requirements(doc) for doc in await db.tenant_collection(org, ROLES).find()]
    # An admission policy is in place when at least one role has VOG rules that apply.
    vulnerable = works_with_vulnerable_groups(roles)
    return assess_gratis_vog(
        has_published_code=await db.tenant_collection(org, CODES).count() > 0,
        has_vcp=await db.tenant_collection(org, VCPS).count() > 0,
        has_admission_policy=vulnerable,
        works_with_vulnerable_groups=vulnerable,
    )
