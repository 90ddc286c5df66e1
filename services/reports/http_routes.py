"""reports' HTTP API: VCPs and their keys."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, status
from pydantic import BaseModel, EmailStr, Field
from pymongo.errors import DuplicateKeyError

from services.reports.storage import VCPS
from shared.auth.dependencies import require_org_role
from shared.auth.tokens import Principal
from shared.crypto import PublicKey
from shared.events.reports import VCPAppointed
from shared.runtime.service import Runtime, runtime_of

router = APIRouter(prefix="/v1/orgs/{org}", tags=["reports"])


class NewVCP(BaseModel):
    vcp_id: str = Field(min_length=1, max_length=100)
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
            await uow.collection(VCPS).insert_one(
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
            status.HTTP_409_CONFLICT, f"VCP {body.vcp_id} is already appointed."
        ) from None
    return {"vcp_id": body.vcp_id, "fingerprint": fingerprint}


@router.get("/vcp-keys", summary="The public keys to encrypt a report to (anyone).")
async def vcp_keys(org: str, runtime: Runtime = Depends(runtime_of)) -> list[dict[str, object]]:
    vcps = await runtime.db.tenant_collection(org, VCPS).find({}, sort=[("vcp_id", 1)])
    return [
        {"vcp_id": v["vcp_id"], "public_key": v["public_key"], "fingerprint": v["fingerprint"]}
        for v in vcps
    ]
