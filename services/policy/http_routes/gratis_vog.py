"""Whether the organisation qualifies for the free VOG scheme
(services/policy/use_cases/checklist.py)."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from services.policy.domain.gratis_vog import GratisVogAssessment
from services.policy.use_cases import checklist
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
    return await runtime.read(org, checklist.gratis_vog)
