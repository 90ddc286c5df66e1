"""Applications: anyone may apply for a role, within the rate limits."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from fastapi import APIRouter, Depends, status
from pydantic import BaseModel

from services.intake.known_facts import known_facts_of
from services.intake.use_cases import applications
from services.intake.use_cases.applications import Application, Contact
from shared.auth.dependencies import require_org_role
from shared.http.openapi import errors
from shared.runtime.lanes import APPLICATIONS, bounded
from shared.runtime.rate_limit import rate_limited
from shared.runtime.runtime import Runtime, runtime_of

router = APIRouter(prefix="/v1/orgs/{org}", tags=["applications"])


class Accepted(BaseModel):
    application_id: str
    volunteer_id: str


@router.post(
    "/applications",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Apply for a role (anyone; rate-limited per organisation and per client).",
    # A place in the lane first: one refused there has not counted for its client.
    dependencies=[Depends(bounded(APPLICATIONS)), Depends(rate_limited("applications"))],
    responses=errors(404),
)
async def apply(org: str, body: Application, runtime: Runtime = Depends(runtime_of)) -> Accepted:
    application_id, volunteer_id = str(uuid.uuid4()), str(uuid.uuid4())
    now = datetime.now(UTC)
    # Anyone applies, many at once: a write conflict is run again, not answered 500.
    await runtime.transact(
        org,
        lambda uow: applications.apply(
            uow,
            body,
            application_id=application_id,
            volunteer_id=volunteer_id,
            applied_at=now,
            known=known_facts_of(runtime),
        ),
    )
    return Accepted(application_id=application_id, volunteer_id=volunteer_id)


@router.get(
    "/volunteers/{volunteer_id}/contact",
    summary="An applicant's e-mail, phone and motivation (coordinator).",
    responses=errors(404),
    dependencies=[Depends(require_org_role("coordinator"))],
)
async def contact(org: str, volunteer_id: str, runtime: Runtime = Depends(runtime_of)) -> Contact:
    async with runtime.unit_of_work(org) as uow:
        return await applications.contact(uow, volunteer_id)
