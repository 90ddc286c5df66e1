"""Applications: anyone may apply for a role, within the rate limits."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from fastapi import APIRouter, Depends, HTTPException, status
from pydantic import BaseModel, EmailStr, Field

from services.intake.read_model import known_role
from services.intake.storage import APPLICATIONS, KNOWN_ORGANISATIONS, KNOWN_ROLES
from shared.events.admission import VolunteerApplied
from shared.http.openapi import errors
from shared.runtime.rate_limit import rate_limited
from shared.runtime.runtime import Runtime, runtime_of
from shared.storage.unit_of_work import UnitOfWork

router = APIRouter(prefix="/v1/orgs/{org}", tags=["applications"])


class Application(BaseModel):
    role_id: str = Field(min_length=1, max_length=100)
    name: str = Field(min_length=1, max_length=200)
    email: EmailStr
    motivation: str | None = Field(default=None, max_length=5000)


class Accepted(BaseModel):
    application_id: str
    volunteer_id: str


@router.post(
    "/applications",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Apply for a role (anyone; rate-limited per organisation and per client).",
    dependencies=[Depends(rate_limited("applications"))],
    responses=errors(404),
)
async def apply(org: str, body: Application, runtime: Runtime = Depends(runtime_of)) -> Accepted:
    application_id, volunteer_id = str(uuid.uuid4()), str(uuid.uuid4())
    now = datetime.now(UTC)

    async def record(uow: UnitOfWork) -> None:
        if await uow.collection(KNOWN_ORGANISATIONS).find_one() is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, f"Organisation {org} is not known.")
        if await known_role(uow.collection(KNOWN_ROLES), body.role_id) is None:
            raise HTTPException(
                status.HTTP_422_UNPROCESSABLE_CONTENT,
                f"There is no role {body.role_id!r} to apply for.",
            )
        await uow.collection(APPLICATIONS).insert_one(
            {
                "application_id": application_id,
                "volunteer_id": volunteer_id,
                **body.model_dump(),
                "applied_at": now,
            }
        )
        uow.publish(
            VolunteerApplied(
                org_id=org,
                volunteer_id=volunteer_id,
                application_id=application_id,
                role_id=body.role_id,
                name=body.name,
                email=body.email,
                applied_at=now,
            )
        )

    # Anyone applies, many at once: a write conflict is run again, not answered 500.
    await runtime.transact(org, record)
    return Accepted(application_id=application_id, volunteer_id=volunteer_id)
