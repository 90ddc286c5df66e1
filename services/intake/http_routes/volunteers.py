"""A volunteer's admission steps as they are handed in: interview, signature, VOG.

Each is checked against intake's read model of policy's facts and stored with the event that
tells policy, in one transaction.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Literal

from fastapi import APIRouter, Depends, HTTPException, status
from pydantic import BaseModel, Field
from pymongo.errors import DuplicateKeyError

from services.intake.read_model import current_code, volunteer_or_404, volunteer_role
from services.intake.storage import INTERVIEWS, SIGNATURES, VOG_RECORDS
from shared.auth.dependencies import require_org_role, require_self_or_org_role
from shared.auth.tokens import Principal
from shared.domain.calendar import today
from shared.domain.code_of_conduct import signature_matches
from shared.domain.vog import VOGFacts, check_vog_handed_in
from shared.events.admission import CodeSigned, InterviewRecorded, VOGReceived
from shared.http.openapi import errors
from shared.runtime.runtime import Runtime, runtime_of

router = APIRouter(prefix="/v1/orgs/{org}/volunteers/{volunteer_id}", tags=["admission steps"])


class Interview(BaseModel):
    outcome: Literal["proceed", "reject", "doubt"]
    notes: str | None = Field(default=None, max_length=5000)


class Signature(BaseModel):
    version: int = Field(ge=1)
    sha256: str = Field(pattern=r"^[0-9a-fA-F]{64}$")
    full_name: str = Field(min_length=1, max_length=200)


class VOGRecord(BaseModel):
    issued_on: date
    screening_aspects: list[int] = Field(max_length=20)
    checked_by: str = Field(min_length=1, max_length=200)


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
    try:
        async with runtime.unit_of_work(org) as uow:
            await volunteer_or_404(uow, volunteer_id)
            # The notes stay here: they are for the organisation, not for every consumer.
            await uow.collection(INTERVIEWS).insert_one(
                {
                    "volunteer_id": volunteer_id,
                    **body.model_dump(),
                    "recorded_by": coordinator.sub,
                    "recorded_at": now,
                }
            )
            uow.publish(
                InterviewRecorded(
                    org_id=org,
                    volunteer_id=volunteer_id,
                    outcome=body.outcome,
                    recorded_by=coordinator.sub,
                    recorded_at=now,
                )
            )
    except DuplicateKeyError:
        # One interview decides: "if in doubt, don't admit" must not be undone by a retry.
        raise HTTPException(
            status.HTTP_409_CONFLICT, "This volunteer's interview outcome is already recorded."
        ) from None
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
    on_paper = signer.sub != volunteer_id
    try:
        async with runtime.unit_of_work(org) as uow:
            await volunteer_or_404(uow, volunteer_id)
            code = await current_code(uow)
            if code is None:
                raise HTTPException(
                    status.HTTP_409_CONFLICT,
                    "This organisation has not published a code of conduct to sign.",
                )
            if not signature_matches(body.version, body.sha256, code["version"], code["sha256"]):
                raise HTTPException(status.HTTP_409_CONFLICT, _mismatch(body, code["version"]))
            await uow.collection(SIGNATURES).insert_one(
                {
                    "volunteer_id": volunteer_id,
                    "version": body.version,
                    "sha256": body.sha256.lower(),
                    "full_name": body.full_name,
                    "signed_at": now,
                    "recorded_by": signer.sub,
                    "on_paper": on_paper,
                }
            )
            uow.publish(
                CodeSigned(
                    org_id=org,
                    volunteer_id=volunteer_id,
                    version=body.version,
                    sha256=body.sha256.lower(),
                    signed_at=now,
                    recorded_by=signer.sub,
                    on_paper=on_paper,
                )
            )
    except DuplicateKeyError:
        raise HTTPException(
            status.HTTP_409_CONFLICT, f"Version {body.version} is already signed."
        ) from None
    return Recorded(volunteer_id=volunteer_id, recorded_at=now)


def _mismatch(body: Signature, current_version: int) -> str:
    if body.version != current_version:
        return (
            f"Version {body.version} is not the current code of conduct; "
            f"please read and sign version {current_version}."
        )
    return (
        "The SHA-256 does not match the text of the current code of conduct; "
        "please read the current text again and sign that."
    )


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
    vog = VOGFacts(
        issued_on=body.issued_on,
        screening_aspects=tuple(body.screening_aspects),
        checked_by=body.checked_by,
        recorded_on=handed_in,
    )
    async with runtime.unit_of_work(org) as uow:
        volunteer = await volunteer_or_404(uow, volunteer_id)
        problems = check_vog_handed_in(vog, await volunteer_role(uow, volunteer), handed_in)
        if problems:
            raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, " ".join(problems))
        await uow.collection(VOG_RECORDS).insert_one(
            {
                "volunteer_id": volunteer_id,
                **vog.model_dump(mode="json"),
                "meets_requirement": True,
                "recorded_by": coordinator.sub,
                "recorded_at": now,
            }
        )
        uow.publish(
            VOGReceived(
                org_id=org,
                volunteer_id=volunteer_id,
                issued_on=vog.issued_on,
                screening_aspects=list(vog.screening_aspects),
                checked_by=vog.checked_by,
                recorded_on=handed_in,
            )
        )
    return Recorded(volunteer_id=volunteer_id, recorded_at=now)
