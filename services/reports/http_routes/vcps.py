"""Appointing VCPs with their public keys, and publishing those keys to reporters."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Depends, HTTPException, Response, status
from pydantic import BaseModel, ConfigDict, EmailStr, Field
from pymongo.errors import DuplicateKeyError

from services.reports.case_documents import recipient_ids
from services.reports.storage import MESSAGES, REPORTS, VCPS
from shared.auth.dependencies import require_org_role
from shared.auth.tokens import Principal
from shared.crypto import PublicKey
from shared.events.reports import VCPAppointed, VCPDismissed
from shared.runtime.openapi import errors
from shared.runtime.service import Runtime, runtime_of
from shared.storage.unit_of_work import UnitOfWork

router = APIRouter(prefix="/v1/orgs/{org}", tags=["VCPs"])


class NewVCP(BaseModel):
    model_config = ConfigDict(extra="forbid")

    vcp_id: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9._@-]+$")
    name: str = Field(min_length=1, max_length=200)
    email: EmailStr
    public_key: PublicKey


@router.post(
    "/vcps",
    status_code=status.HTTP_201_CREATED,
    summary="Appoint a VCP with their public key (admin).",
    responses=errors(409),
)
async def appoint_vcp(
    org: str,
    body: NewVCP,
    _admin: Principal = Depends(require_org_role("admin")),
    runtime: Runtime = Depends(runtime_of),
) -> dict[str, str]:
    fingerprint = body.public_key.fingerprint()
    public_key = body.public_key.model_dump()
    try:
        async with runtime.unit_of_work(org) as uow:
            vcps = uow.collection(VCPS)
            # One envelope names one suite, so every VCP of an organisation needs the same.
            other = await vcps.find_one({"public_key.suite": {"$ne": body.public_key.suite}})
            if other is not None:
                raise HTTPException(
                    status.HTTP_409_CONFLICT,
                    f"The organisation's VCPs use {other['public_key']['suite']} keys; "
                    f"a {body.public_key.suite} key cannot be sealed to together with them.",
                )
            await vcps.insert_one(
                {
                    "vcp_id": body.vcp_id,
                    "name": body.name,
                    "email": body.email,
                    "public_key": public_key,
                    "fingerprint": fingerprint,
                }
            )
            uow.publish(
                VCPAppointed(
                    org_id=org,
                    vcp_id=body.vcp_id,
                    name=body.name,
                    email=body.email,
                    public_key=public_key,
                    fingerprint=fingerprint,
                )
            )
    except DuplicateKeyError:
        raise HTTPException(
            status.HTTP_409_CONFLICT,
            f"VCP {body.vcp_id} is already appointed, or another VCP has this public key.",
        ) from None
    return {"vcp_id": body.vcp_id, "fingerprint": fingerprint}


@router.delete(
    "/vcps/{vcp_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Dismiss a VCP who leaves: their key receives nothing new (admin).",
    responses=errors(409),
)
async def dismiss_vcp(
    org: str,
    vcp_id: str,
    _admin: Principal = Depends(require_org_role("admin")),
    runtime: Runtime = Depends(runtime_of),
) -> Response:
    async def dismiss(uow: UnitOfWork) -> None:
        vcps = uow.collection(VCPS)
        leaving = await vcps.find_one({"vcp_id": vcp_id})
        if leaving is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, f"There is no VCP {vcp_id}.")
        staying = {v["fingerprint"] for v in await vcps.find({"vcp_id": {"$ne": vcp_id}})}
        if not staying:
            raise HTTPException(
                status.HTTP_409_CONFLICT,
                "This is the organisation's last VCP: appoint another one and hand the open "
                "cases over first, or reporters would have nobody to write to.",
            )
        orphaned = await cases_only_readable_by_the_leaving(uow, staying)
        if orphaned:
            raise HTTPException(
                status.HTTP_409_CONFLICT,
                f"{len(orphaned)} open case(s) can be read by no other VCP yet — hand them "
                f"over first (safehands vcp share REPORT_ID --to VCP_ID): "
                f"{', '.join(sorted(orphaned)[:10])}.",
            )
        await vcps.delete_one({"vcp_id": vcp_id})
        uow.publish(
            VCPDismissed(
                org_id=org,
                vcp_id=vcp_id,
                fingerprint=leaving["fingerprint"],
                dismissed_at=datetime.now(UTC),
            )
        )

    await runtime.transact(org, dismiss)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


async def cases_only_readable_by_the_leaving(uow: UnitOfWork, staying: set[str]) -> set[str]:
    """Open cases whose report or any message no remaining VCP key can open."""
    open_cases = await uow.collection(REPORTS).find(
        {"status": {"$ne": "closed"}}, projection={"report_id": 1, "envelope.recipients": 1}
    )
    orphaned = {c["report_id"] for c in open_cases if not recipient_ids(c["envelope"]) & staying}
    open_ids = [c["report_id"] for c in open_cases]
    messages = await uow.collection(MESSAGES).find(
        {"report_id": {"$in": open_ids}},
        projection={"report_id": 1, "from": 1, "envelope.recipients": 1},
    )
    orphaned |= {m["report_id"] for m in messages if not recipient_ids(m["envelope"]) & staying}
    return orphaned


@router.get("/vcp-keys", summary="The public keys to encrypt a report to (anyone).")
async def vcp_keys(org: str, runtime: Runtime = Depends(runtime_of)) -> list[dict[str, object]]:
    vcps = await runtime.db.tenant_collection(org, VCPS).find({}, sort=[("vcp_id", 1)])
    # The name is public on purpose: a reporter should know who will read their report.
    return [
        {
            "vcp_id": v["vcp_id"],
            "name": v["name"],
            "public_key": v["public_key"],
            "fingerprint": v["fingerprint"],
        }
        for v in vcps
    ]
