"""Appointing VCPs, their public keys (set by the admin with the appointment, or later by the
VCP themself), and dismissing them.

A VCP appointed without a key waits in VCPS_AWAITING_KEY: appointed, so they can sign in
and set their key, but not yet a recipient (VCPS holds only VCPs with a key).
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, EmailStr, Field
from pymongo.errors import DuplicateKeyError

from services.reports.case_documents import recipient_ids
from services.reports.domain.errors import (
    AlreadyAppointed,
    DismissalRefused,
    KeyConflict,
    NoSuchVCP,
)
from services.reports.domain.vcp_keys import suite_conflict
from services.reports.storage import MESSAGES, REPORTS, VCP_ROSTER, VCPS, VCPS_AWAITING_KEY
from shared import audit
from shared.crypto import PublicKey
from shared.events.reports import VCPAppointed, VCPDismissed, VCPKeySet
from shared.storage.tenancy import Document
from shared.storage.unit_of_work import UnitOfWork

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
    """KeyConflict when `suite` differs from the keys of the organisation's other VCPs."""
    others = await uow.collection(VCPS).find(
        {"vcp_id": {"$ne": vcp_id}}, projection={"public_key.suite": 1}
    )
    conflict = suite_conflict(suite, (o["public_key"]["suite"] for o in others))
    if conflict:
        raise KeyConflict(conflict)


async def _appointed(uow: UnitOfWork, vcp_id: str) -> tuple[Document | None, Document | None]:
    """(the VCP with a key, the VCP awaiting their key): at most one of them is found."""
    keyed = await uow.collection(VCPS).find_one({"vcp_id": vcp_id})
    if keyed is not None:
        return keyed, None
    return None, await uow.collection(VCPS_AWAITING_KEY).find_one({"vcp_id": vcp_id})


async def appoint_vcp(uow: UnitOfWork, vcp: NewVCP, *, appointed_at: datetime) -> str | None:
    """Appoint a VCP, with their key or awaiting it; returns the key's fingerprint, if any."""
    try:
        return await _appoint(uow, vcp, appointed_at)
    except DuplicateKeyError:
        # A concurrent appointment of the same id, or a key another VCP has.
        raise KeyConflict(
            f"VCP {vcp.vcp_id} is already appointed, or another VCP has this public key."
        ) from None


async def _appoint(uow: UnitOfWork, vcp: NewVCP, appointed_at: datetime) -> str | None:
    key = vcp.public_key
    fingerprint = key.fingerprint() if key else None
    await _touch_roster(uow)
    if any(await _appointed(uow, vcp.vcp_id)):
        raise AlreadyAppointed(f"VCP {vcp.vcp_id} is already appointed.")
    person = {"vcp_id": vcp.vcp_id, "name": vcp.name, "email": vcp.email}
    if key is None:
        await uow.collection(VCPS_AWAITING_KEY).insert_one({**person, "appointed_at": appointed_at})
    else:
        await _check_suite(uow, key.suite, vcp.vcp_id)
        await uow.collection(VCPS).insert_one(
            {**person, "public_key": key.model_dump(), "fingerprint": fingerprint}
        )
    await audit.record(uow, "vcp.appointed", "vcp", vcp.vcp_id)
    uow.publish(
        VCPAppointed(
            org_id=uow.org_id,
            **person,
            public_key=key.model_dump() if key else {},
            fingerprint=fingerprint or "",
        )
    )
    return fingerprint


async def set_public_key(uow: UnitOfWork, vcp_id: str, key: PublicKey, *, set_at: datetime) -> str:
    """A VCP registers their own key: from now on reports are sealed to it. Returns its
    fingerprint. The same key again changes nothing, so nobody is mailed twice."""
    try:
        await _set_key(uow, vcp_id, key, set_at)
    except DuplicateKeyError:
        raise KeyConflict(KEY_IN_USE) from None
    return key.fingerprint()


async def _set_key(uow: UnitOfWork, vcp_id: str, key: PublicKey, set_at: datetime) -> None:
    fingerprint = key.fingerprint()
    await _touch_roster(uow)
    keyed, awaiting = await _appointed(uow, vcp_id)
    if keyed is None and awaiting is None:
        raise NoSuchVCP(f"There is no VCP {vcp_id}.")
    if keyed is not None and keyed["fingerprint"] == fingerprint:
        return
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
    await audit.record(uow, "vcp.key_set", "vcp", vcp_id)
    uow.publish(
        VCPKeySet(
            org_id=uow.org_id,
            vcp_id=vcp_id,
            public_key=key.model_dump(),
            fingerprint=fingerprint,
            previous_fingerprint=keyed["fingerprint"] if keyed else None,
            set_at=set_at,
        )
    )


async def dismiss_vcp(uow: UnitOfWork, vcp_id: str, *, dismissed_at: datetime) -> None:
    """Dismiss a VCP who leaves: their key receives nothing new. Refused while reporters or
    open cases would have nobody else to read them."""
    await _touch_roster(uow)
    leaving, awaiting = await _appointed(uow, vcp_id)
    if awaiting is not None:
        # Never a recipient, so no case depends on them (a mistyped address, say).
        await uow.collection(VCPS_AWAITING_KEY).delete_one({"vcp_id": vcp_id})
        await audit.record(uow, "vcp.dismissed", "vcp", vcp_id)
        uow.publish(
            VCPDismissed(
                org_id=uow.org_id, vcp_id=vcp_id, fingerprint="", dismissed_at=dismissed_at
            )
        )
        return
    if leaving is None:
        raise NoSuchVCP(f"There is no VCP {vcp_id}.")
    vcps = uow.collection(VCPS)
    staying = {v["fingerprint"] for v in await vcps.find({"vcp_id": {"$ne": vcp_id}})}
    if not staying:
        raise DismissalRefused(
            "This is the organisation's last VCP with a key: appoint another one (who "
            "sets their key) and hand the open cases over first, or reporters would have "
            "nobody to write to."
        )
    orphaned = await cases_only_readable_by_the_leaving(uow, staying)
    if orphaned:
        raise DismissalRefused(
            f"{len(orphaned)} open case(s) can be read by no other VCP yet — hand them "
            f"over first (safehands vcp share REPORT_ID --to VCP_ID): "
            f"{', '.join(sorted(orphaned)[:10])}."
        )
    await vcps.delete_one({"vcp_id": vcp_id})
    await audit.record(uow, "vcp.dismissed", "vcp", vcp_id)
    uow.publish(
        VCPDismissed(
            org_id=uow.org_id,
            vcp_id=vcp_id,
            fingerprint=leaving["fingerprint"],
            dismissed_at=dismissed_at,
        )
    )


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
