"""Appointing VCPs with their public keys, and publishing those keys to reporters."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, status
from pydantic import BaseModel, ConfigDict, EmailStr, Field
from pymongo.errors import DuplicateKeyError

from services.reports.storage import VCPS
from shared.auth.dependencies import require_org_role
from shared.auth.tokens import Principal
from shared.crypto import PublicKey
from shared.events.reports import VCPAppointed
from shared.runtime.service import Runtime, runtime_of

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


@router.get("/vcp-keys", summary="The public keys to encrypt a report to (anyone).")
async def vcp_keys(org: str, runtime: Runtime = Depends(runtime_of)) -> list[dict[str, object]]:
    vcps = await runtime.db.tenant_collection(org, VCPS).find({}, sort=[("vcp_id", 1)])
    return [
        {"vcp_id": v["vcp_id"], "public_key": v["public_key"], "fingerprint": v["fingerprint"]}
        for v in vcps
    ]
