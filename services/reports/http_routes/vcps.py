"""Appointing VCPs, their public keys (set by the admin with the appointment, or later by the
VCP themself), dismissing them, and publishing the keys to reporters.

A VCP appointed without a key waits in VCPS_AWAITING_KEY: appointed, so they can sign in
and set their key, but not yet a recipient (VCPS holds only VCPs with a key).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Response, status
from pydantic import BaseModel, ConfigDict, EmailStr, Field
from pymongo.errors import DuplicateKeyError

from services.reports.case_documents import recipient_ids
from services.reports.domain.vcp_keys import suite_conflict
from services.reports.storage import MESSAGES, REPORTS, VCP_ROSTER, VCPS, VCPS_AWAITING_KEY
from shared.auth.dependencies import require_org_role, require_that_vcp
from shared.auth.tokens import Principal
from shared.crypto import PublicKey
from shared.events.reports import VCPAppointed, VCPDismissed, VCPKeySet
from shared.http.openapi import errors
from shared.runtime.runtime import Runtime, runtime_of
from shared.storage.tenancy import Document
from shared.storage.unit_of_work import UnitOfWork

router = APIRouter(prefix="/v1/orgs/{org}", tags=["VCPs"])

KEY_IN_USE = "Another VCP of this organisation already has this public key."


class NewVCP(BaseModel):
    model_config = ConfigDict(extra="forbid")

    vcp_id: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9._@-]+$")
    name: str = Field(min_length=1, max_length=200)
    email: EmailStr
    public_key: PublicKey | None = Field(
        default=None,
        description="Left out, the VCP is invited by mail to make their key in the browser.",
    )


class NewPublicKey(BaseModel):
    model_config = ConfigDict(extra="forbid")

    public_key: PublicKey


async def _touch_roster(uow: UnitOfWork) -> None:
    """Every change of the VCPs writes the organisation's roster document, so that two
    concurrent changes conflict (and one is retried) instead of both passing the checks of
    a unique VCP id and a single suite."""
    await uow.collection(VCP_ROSTER).update_one({}, {"$inc": {"changes": 1}}, upsert=True)


async def _check_suite(uow: UnitOfWork, suite: str, vcp_id: str) -> None:
    """409 when `suite` differs from the keys of the organisation's other VCPs."""
    others = await uow.collection(VCPS).find(
        {"vcp_id": {"$ne": vcp_id}}, projection={"public_key.suite": 1}
    )
    conflict = suite_conflict(suite, (o["public_key"]["suite"] for o in others))
    if conflict:
        raise HTTPException(status.HTTP_409_CONFLICT, conflict)


async def _appointed(uow: UnitOfWork, vcp_id: str) -> tuple[Document | None, Document | None]:
    """(the VCP with a key, the VCP awaiting their key): at most one of them is found."""
    keyed = await uow.collection(VCPS).find_one({"vcp_id": vcp_id})
    if keyed is not None:
        return keyed, None
    return None, await uow.collection(VCPS_AWAITING_KEY).find_one({"vcp_id": vcp_id})


@router.post(
    "/vcps",
    status_code=status.HTTP_201_CREATED,
    summary="Appoint a VCP, with their public key or inviting them to make one (admin).",
    responses=errors(409),
)
async def appoint_vcp(
    org: str,
    body: NewVCP,
    _admin: Principal = Depends(require_org_role("admin")),
    runtime: Runtime = Depends(runtime_of),
) -> dict[str, str | None]:
    key = body.public_key
    fingerprint = key.fingerprint() if key else None
    now = datetime.now(UTC)

    async def appoint(uow: UnitOfWork) -> None:
        await _touch_roster(uow)
        if any(await _appointed(uow, body.vcp_id)):
            raise HTTPException(
                status.HTTP_409_CONFLICT, f"VCP {body.vcp_id} is already appointed."
            )
        person = {"vcp_id": body.vcp_id, "name": body.name, "email": body.email}
        if key is None:
            await uow.collection(VCPS_AWAITING_KEY).insert_one({**person, "appointed_at": now})
        else:
            await _check_suite(uow, key.suite, body.vcp_id)
            await uow.collection(VCPS).insert_one(
                {**person, "public_key": key.model_dump(), "fingerprint": fingerprint}
            )
        uow.publish(
            VCPAppointed(
                org_id=org,
                **person,
                public_key=key.model_dump() if key else {},
                fingerprint=fingerprint or "",
            )
        )

    try:
        await runtime.transact(org, appoint)
    except DuplicateKeyError:
        # A concurrent appointment of the same id, or a key another VCP has.
        raise HTTPException(
            status.HTTP_409_CONFLICT,
            f"VCP {body.vcp_id} is already appointed, or another VCP has this public key.",
        ) from None
    return {"vcp_id": body.vcp_id, "fingerprint": fingerprint}


@router.put(
    "/vcps/{vcp_id}/public-key",
    summary="Register one's own public key (that VCP only): from now on reports are sealed to it.",
    responses=errors(404, 409),
)
async def set_public_key(
    org: str,
    vcp_id: str,
    body: NewPublicKey,
    _vcp: Principal = Depends(require_that_vcp()),
    runtime: Runtime = Depends(runtime_of),
) -> dict[str, str]:
    key = body.public_key
    fingerprint = key.fingerprint()

    async def set_key(uow: UnitOfWork) -> None:
        await _touch_roster(uow)
        keyed, awaiting = await _appointed(uow, vcp_id)
        if keyed is None and awaiting is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, f"There is no VCP {vcp_id}.")
        if keyed is not None and keyed["fingerprint"] == fingerprint:
            return  # The same key again: nothing changes, nobody is mailed twice.
        await _check_suite(uow, key.suite, vcp_id)
        if keyed is not None:
            # A new key (the old file was lost): old cases stay sealed to the old key until
            # a colleague shares them anew (POST …/reports/{id}/keys).
            await uow.collection(VCPS).update_one(
                {"vcp_id": vcp_id},
                {"$set": {"public_key": key.model_dump(), "fingerprint": fingerprint}},
            )
        else:
            assert awaiting is not None
            await uow.collection(VCPS_AWAITING_KEY).delete_one({"vcp_id": vcp_id})
            await uow.collection(VCPS).insert_one(
                {
                    "vcp_id": vcp_id,
                    "name": awaiting["name"],
                    "email": awaiting["email"],
                    "public_key": key.model_dump(),
                    "fingerprint": fingerprint,
                }
            )
        uow.publish(
            VCPKeySet(
                org_id=org,
                vcp_id=vcp_id,
                public_key=key.model_dump(),
                fingerprint=fingerprint,
                previous_fingerprint=keyed["fingerprint"] if keyed else None,
                set_at=datetime.now(UTC),
            )
        )

    try:
        await runtime.transact(org, set_key)
    except DuplicateKeyError:
        raise HTTPException(status.HTTP_409_CONFLICT, KEY_IN_USE) from None
    return {"fingerprint": fingerprint}


@router.get(
    "/vcps",
    summary="The organisation's VCPs and whether each has set a key (admin, vcp).",
)
async def list_vcps(
    org: str,
    _reader: Principal = Depends(require_org_role("admin", "vcp")),
    runtime: Runtime = Depends(runtime_of),
) -> list[dict[str, Any]]:
    keyed = await runtime.db.tenant_collection(org, VCPS).find({})
    awaiting = await runtime.db.tenant_collection(org, VCPS_AWAITING_KEY).find({})
    rows = [
        {"vcp_id": v["vcp_id"], "name": v.get("name"), "fingerprint": v["fingerprint"]}
        for v in keyed
    ] + [{"vcp_id": v["vcp_id"], "name": v["name"], "fingerprint": None} for v in awaiting]
    return sorted(
        ({**row, "has_key": row["fingerprint"] is not None} for row in rows),
        key=lambda row: str(row["vcp_id"]),
    )


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
        await _touch_roster(uow)
        leaving, awaiting = await _appointed(uow, vcp_id)
        if awaiting is not None:
            # Never a recipient, so no case depends on them (a mistyped address, say).
            await uow.collection(VCPS_AWAITING_KEY).delete_one({"vcp_id": vcp_id})
            uow.publish(
                VCPDismissed(org_id=org, vcp_id=vcp_id, fingerprint="", dismissed_at=_now())
            )
            return
        if leaving is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, f"There is no VCP {vcp_id}.")
        vcps = uow.collection(VCPS)
        staying = {v["fingerprint"] for v in await vcps.find({"vcp_id": {"$ne": vcp_id}})}
        if not staying:
            raise HTTPException(
                status.HTTP_409_CONFLICT,
                "This is the organisation's last VCP with a key: appoint another one (who "
                "sets their key) and hand the open cases over first, or reporters would have "
                "nobody to write to.",
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
                org_id=org, vcp_id=vcp_id, fingerprint=leaving["fingerprint"], dismissed_at=_now()
            )
        )

    await runtime.transact(org, dismiss)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


def _now() -> datetime:
    return datetime.now(UTC)


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
    # Only VCPs with a key: one appointed without a key is no recipient until they set it.
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
