"""A volunteer's admission state (services/policy/queries.py reads it)."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from services.policy import queries
from services.policy.domain.admission import AdmissionStatus, AdmissionStep
from services.policy.domain.errors import NoSuchVolunteer
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
    decision = await queries.admission_decision(runtime.db, org, volunteer_id)
    if decision is None:
        raise NoSuchVolunteer
    return AdmissionState(status=decision.status, missing=list(decision.missing))
