"""Appointing VCPs, their public keys, dismissing them (services/reports/use_cases/vcps.py
decides), and publishing the keys to reporters."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Depends, Response, status
from pydantic import BaseModel

from services.reports import queries
from services.reports.use_cases import vcps
from services.reports.use_cases.vcps import NewIntroduction, NewPublicKey, NewVCP
from shared.auth.dependencies import require_org_role, require_that_vcp
from shared.auth.tokens import Principal
from shared.crypto.keys import SuiteName
from shared.http.openapi import errors
from shared.runtime.runtime import Runtime, runtime_of

router = APIRouter(prefix="/v1/orgs/{org}", tags=["VCPs"])


# The answers' shapes, so that a generated client (and the web's types) know them. The key is
# `{"suite", "key"}` as docs/api.md's PublicKey, but not checked again on every read: it was
# checked when it was set, and every reporter's page asks for these keys.
class PublishedKey(BaseModel):
    suite: SuiteName
    key: str


class VcpKey(BaseModel):
    """A key to encrypt a report to; the name is public on purpose (a reporter should know
    who will read their report)."""

    vcp_id: str
    name: str | None
    public_key: PublishedKey
    fingerprint: str
    # Verifies the VCP's messages on the reporter's side; null for a key set by a client
    # from before signatures.
    signing_key: str | None
    # The day the key was set (YYYY-MM-DD): a key that is new since yesterday is worth a
    # question. Null for a key set before the day was kept.
    since: str | None
    introduction: str | None
    # One of the regional centre's own VCPs, whom the organisation added.
    centre: bool


class AppointedVcp(BaseModel):
    vcp_id: str
    name: str | None
    fingerprint: str | None
    introduction: str | None
    centre: bool
    # A centre VCP's answer to the organisation's request; always true for the organisation's own.
    accepted: bool
    has_key: bool


class KeyHistoryEntry(BaseModel):
    vcp_id: str
    name: str | None
    public_key: PublishedKey
    fingerprint: str
    signing_key: str | None
    set_at: datetime | None
    # Who set it (a token's `sub`); null for a key set before the history was kept.
    set_by: str | None
    # Null while in use.
    until: datetime | None
    in_use: bool


@router.post(
    "/vcps",
    status_code=status.HTTP_201_CREATED,
    summary="Appoint a VCP by name and address; they make and register their key (admin).",
    responses=errors(409),
)
async def appoint_vcp(
    org: str,
    body: NewVCP,
    _admin: Principal = Depends(require_org_role("admin")),
    runtime: Runtime = Depends(runtime_of),
) -> dict[str, str | None]:
    now = datetime.now(UTC)
    await runtime.transact(org, lambda uow: vcps.appoint_vcp(uow, body, appointed_at=now))
    # No key yet: the VCP registers their own (PUT …/vcps/{vcp_id}/public-key).
    return {"vcp_id": body.vcp_id, "fingerprint": None}


@router.put(
    "/vcps/{vcp_id}/public-key",
    summary="Register one's own public key (that VCP only): from now on reports are sealed to it.",
    responses=errors(404, 409),
)
async def set_public_key(
    org: str,
    vcp_id: str,
    body: NewPublicKey,
    vcp: Principal = Depends(require_that_vcp()),
    runtime: Runtime = Depends(runtime_of),
) -> dict[str, str]:
    fingerprint = await runtime.transact(
        org,
        lambda uow: vcps.set_public_key(
            uow,
            vcp_id,
            body.public_key,
            set_at=datetime.now(UTC),
            set_by=vcp.sub,
            signing_key=body.signing_key,
        ),
    )
    return {"fingerprint": fingerprint}


@router.put(
    "/vcps/{vcp_id}/introduction",
    summary="Write one's own introduction for reporters, at most 500 characters (that VCP only).",
    responses=errors(404),
)
async def set_introduction(
    org: str,
    vcp_id: str,
    body: NewIntroduction,
    _vcp: Principal = Depends(require_that_vcp()),
    runtime: Runtime = Depends(runtime_of),
) -> dict[str, str | None]:
    introduction = await runtime.transact(
        org, lambda uow: vcps.set_introduction(uow, vcp_id, body.introduction)
    )
    return {"vcp_id": vcp_id, "introduction": introduction}


@router.get(
    "/vcps",
    summary="The organisation's VCPs and whether each has set a key (admin, vcp).",
)
async def list_vcps(
    org: str,
    _reader: Principal = Depends(require_org_role("admin", "vcp")),
    runtime: Runtime = Depends(runtime_of),
) -> list[AppointedVcp]:
    keyed = await queries.keyed_vcps(runtime.db, org)
    awaiting = await queries.vcps_awaiting_key(runtime.db, org)
    rows = [
        {
            "vcp_id": v["vcp_id"],
            "name": v.get("name"),
            "fingerprint": v["fingerprint"],
            "introduction": v.get("introduction"),
            "centre": bool(v.get("centre")),
            "accepted": True,
        }
        for v in keyed
    ] + [
        {
            "vcp_id": v["vcp_id"],
            "name": v["name"],
            "fingerprint": None,
            "introduction": v.get("introduction"),
            # One of the regional centre's VCPs, and whether they accepted yet.
            "centre": bool(v.get("centre")),
            "accepted": bool(v.get("accepted", True)),
        }
        for v in awaiting
    ]
    return sorted(
        (AppointedVcp(**row, has_key=row["fingerprint"] is not None) for row in rows),
        key=lambda row: row.vcp_id,
    )


@router.get(
    "/vcp-key-history",
    summary="Every key the organisation ever published, who set it and when (admin, vcp).",
)
async def vcp_key_history(
    org: str,
    _reader: Principal = Depends(require_org_role("admin", "vcp")),
    runtime: Runtime = Depends(runtime_of),
) -> list[KeyHistoryEntry]:
    history = await queries.key_history(runtime.db, org)
    current = await queries.keyed_vcps(runtime.db, org)
    return [KeyHistoryEntry(**entry) for entry in vcps.key_history(history, current)]


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
    await runtime.transact(
        org, lambda uow: vcps.dismiss_vcp(uow, vcp_id, dismissed_at=datetime.now(UTC))
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/vcp-keys", summary="The public keys to encrypt a report to (anyone).")
async def vcp_keys(org: str, runtime: Runtime = Depends(runtime_of)) -> list[VcpKey]:
    # Only VCPs with a key: one appointed without a key is no recipient until they set it.
    keyed = await queries.keyed_vcps(runtime.db, org)
    return [
        VcpKey(
            vcp_id=v["vcp_id"],
            name=v.get("name"),
            public_key=PublishedKey(**v["public_key"]),
            fingerprint=v["fingerprint"],
            signing_key=v.get("signing_key"),
            since=vcps.day_of(v.get("key_set_at")),
            # What the VCP wrote about themself, so a reporter can choose whom to write to.
            introduction=v.get("introduction"),
            centre=bool(v.get("centre")),
        )
        for v in keyed
    ]
