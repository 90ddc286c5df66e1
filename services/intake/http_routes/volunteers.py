"""A volunteer's admission steps as they are handed in: interview, signature, VOG
(services/intake/use_cases/admission_steps.py decides)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from fastapi import APIRouter, Depends, status
from pydantic import BaseModel

from services.intake.known_facts import known_facts_of
from services.intake.use_cases import admission_steps
from services.intake.use_cases.admission_steps import Interview, Signature, VOGRecord
from shared.auth.dependencies import require_org_role, require_self_or_org_role
from shared.auth.tokens import Principal
from shared.domain.calendar import today
from shared.http.openapi import errors
from shared.runtime.runtime import Runtime, runtime_of
from shared.storage.unit_of_work import UnitOfWork

router = APIRouter(prefix="/v1/orgs/{org}/volunteers/{volunteer_id}", tags=["admission steps"])


class Recorded(BaseModel):
    volunteer_id: str
    recorded_at: datetime


@router.post(
    "/interview",
    status_code=status.HTTP_201_CREATED,
    summary="Record the intake interview's outcome (coordinator).",
    responses=errors(409),
)
async def record_interview(
    org: str,
    volunteer_id: str,
    body: Interview,
    coordinator: Principal = Depends(require_org_role("coordinator")),
    runtime: Runtime = Depends(runtime_of),
) -> Recorded:
    now = datetime.now(UTC)
    await runtime.transact(
        org,
        lambda uow: admission_steps.record_interview(
            uow, volunteer_id, body, recorded_by=coordinator.sub, recorded_at=now
        ),
    )
    return Recorded(volunteer_id=volunteer_id, recorded_at=now)


@router.post(
    "/signature",
    status_code=status.HTTP_201_CREATED,
    summary="Sign the current code of conduct (the volunteer, or a coordinator for a paper one).",
    responses=errors(409),
)
async def sign_code(
    org: str,
    volunteer_id: str,
    body: Signature,
    signer: Principal = Depends(require_self_or_org_role("coordinator")),
    runtime: Runtime = Depends(runtime_of),
) -> Recorded:
    now = datetime.now(UTC)
    await runtime.transact(
        org,
        lambda uow: admission_steps.sign_code(
            uow,
            volunteer_id,
            body,
            signed_by=signer.sub,
            signed_at=now,
            known=known_facts_of(runtime),
        ),
    )
    return Recorded(volunteer_id=volunteer_id, recorded_at=now)


@router.post(
    "/vog",
    status_code=status.HTTP_201_CREATED,
    summary="Record that the original VOG was checked (coordinator; the facts, never a scan).",
)
async def record_vog(
    org: str,
    volunteer_id: str,
    body: VOGRecord,
    coordinator: Principal = Depends(require_org_role("coordinator")),
    runtime: Runtime = Depends(runtime_of),
) -> Recorded:
    now = datetime.now(UTC)
    handed_in = today()
    known = known_facts_of(runtime)

    def record(decide_by_copy: bool) -> Callable[[UnitOfWork], Awaitable[None]]:
        return lambda uow: admission_steps.record_vog(
            uow,
            volunteer_id,
            body,
            recorded_by=coordinator.sub,
            recorded_at=now,
            handed_in=handed_in,
            known=known,
            decide_by_copy=decide_by_copy,
        )

    try:
        await runtime.transact(org, record(decide_by_copy=True))
    except admission_steps.DecideByReading:
        # Nothing was written; read the application to decide (and to say what is wrong).
        await runtime.transact(org, record(decide_by_copy=False))
    return Recorded(volunteer_id=volunteer_id, recorded_at=now)
