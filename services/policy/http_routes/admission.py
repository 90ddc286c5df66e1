"""A volunteer's admission state."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, status
from pydantic import BaseModel

from services.policy.domain.admission import AdmissionStatus, AdmissionStep
from services.policy.storage import ADMISSIONS
from services.policy.use_cases.admission import file_from
from shared.auth.dependencies import require_self_or_org_role
from shared.auth.tokens import Principal
from shared.runtime.runtime import Runtime, runtime_of

router = APIRouter(prefix="/v1/orgs", tags=["admission"])


class AdmissionState(BaseModel):
    status: AdmissionStatus
    missing: list[AdmissionStep]


@router.get(
    "/{org}/volunteers/{volunteer_id}/admission",
    summary="A volunteer's admission state (admin, coordinator, the volunteer themself).",
)
async def read_admission(
    org: str,
    volunteer_id: str,
    _reader: Principal = Depends(require_self_or_org_role("admin", "coordinator")),
    runtime: Runtime = Depends(runtime_of),
) -> AdmissionState:
    doc = await runtime.db.tenant_collection(org, ADMISSIONS).find_one(
        {"volunteer_id": volunteer_id}
    )
    decision = file_from(doc).decision if doc else None
    if decision is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "There is no such volunteer.")
    return AdmissionState(status=decision.status, missing=list(decision.missing))
