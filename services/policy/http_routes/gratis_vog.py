"""Whether the organisation qualifies for the free VOG scheme."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from services.policy.domain.gratis_vog import GratisVogAssessment, assess_gratis_vog
from services.policy.http_routes.organisations import registered_organisation
from services.policy.pillar_facts import load_pillar_facts
from services.policy.storage import ORGANISATIONS
from shared.auth.dependencies import require_org_role
from shared.auth.tokens import Principal
from shared.runtime.runtime import Runtime, runtime_of

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
    await registered_organisation(runtime.db.tenant_collection(org, ORGANISATIONS))
    return assess_gratis_vog(await load_pillar_facts(runtime.db, org))
