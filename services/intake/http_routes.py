"""intake's HTTP API: the public edge."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from fastapi import APIRouter, Depends, HTTPException, status
from pydantic import BaseModel, EmailStr, Field

from services.intake.storage import APPLICATIONS, KNOWN_ROLES
from shared.events.admission import VolunteerApplied
from shared.runtime.service import Runtime, runtime_of

router = APIRouter(prefix="/v1/orgs/{org}", tags=["intake"])


class Application(BaseModel):
    role_id: str = Field(min_length=1, max_length=100)
    name: str = Field(min_length=1, max_length=200)
    email: EmailStr
    motivation: str | None = Field(default=None, max_length=5000)


@router.post(
    "/applications", status_code=status.HTTP_202_ACCEPTED, summary="Apply for a role (anyone)."
)
async def apply(
    org: str, body: Application, runtime: Runtime = Depends(runtime_of)
) -> dict[str, str]:
    role = await runtime.db.tenant_collection(org, KNOWN_ROLES).find_one({"role_id": body.role_id})
    if role is None:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_ENTITY, f"There is no role {body.role_id!r} to apply for."
        )
    application_id, volunteer_id = str(uuid.uuid4()), str(uuid.uuid4())
    now = datetime.now(UTC)
    async with runtime.unit_of_work(org) as uow:
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
    return {"application_id": application_id, "volunteer_id": volunteer_id}
