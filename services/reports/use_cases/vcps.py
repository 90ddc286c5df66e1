"""Appointing VCPs, their public keys (set by each VCP themself, never with the
appointment), and dismissing them.

An appointment names a person only. The VCP waits in VCPS_AWAITING_KEY (appointed, so they
can sign in and set their key, but not yet a recipient) until they register the key they
made on their own device; VCPS holds only VCPs with a key. Every key set is kept in
VCP_KEY_HISTORY with who set it and when, and a dismissed VCP's id is never used again: an
admin cannot slip a key of their own in, neither by appointing with it nor by re-appointing
a colleague's id.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError
from pymongo.errors import DuplicateKeyError

from services.reports.case_documents import recipient_ids
from services.reports.domain.errors import (
    AlreadyAppointed,
    DismissalRefused,
    IdNotReusable,
    KeyConflict,
    NoSuchVCP,
    NotAccepted,
)
from services.reports.domain.recipients import INTRODUCTION_MAX_LENGTH, clean_introduction
from services.reports.domain.vcp_keys import suite_conflict
from services.reports.storage import (
    DISMISSED_VCP_IDS,
    MESSAGES,
    REPORTS,
    VCP_KEY_HISTORY,
    VCP_ROSTER,
    VCPS,
    VCPS_AWAITING_KEY,
)
from shared import audit
from shared.crypto import PublicKey
from shared.crypto.signing import SigningKey
from shared.domain import calendar
from shared.domain.names import Name
from shared.events.reports import VCPAppointed, VCPDismissed, VCPKeySet
from shared.storage.tenancy import Document
from shared.storage.unit_of_work import UnitOfWork

KEY_IN_USE = "Another VCP of this organisation already has this public key."
KEY_FROM_THE_VCP = (
    "An appointment takes no public_key any more: the VCP makes their key on their own "
    "device and registers it themself after signing in (on the /vcp page, or with "
    "`safehands vcp register-key` and their own token, which does "
    "PUT /v1/orgs/ORG/vcps/VCP_ID/public-key). Appoint with vcp_id, name and email only"
)


class NewVCP(BaseModel):
    model_config = ConfigDict(extra="forbid")

    vcp_id: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9._@-]+$")
    name: Name
    email: EmailStr

    @model_validator(mode="before")
    @classmethod
    def _no_key_from_the_admin(cls, data: Any) -> Any:
        # Read for one release after the field went, so an old client learns why.
        if isinstance(data, dict) and "public_key" in data:
            raise PydanticCustomError("public_key_refused", KEY_FROM_THE_VCP)
        return data


class NewIntroduction(BaseModel):
    """The few sentences a VCP writes about themself for reporters (issue 24): who they
    are, when they can be reached. Shown on the report page beside their name."""

    model_config = ConfigDict(extra="forbid")

    introduction: str = Field(max_length=INTRODUCTION_MAX_LENGTH)

    @field_validator("introduction")
    @classmethod
    def _clean(cls, value: str) -> str:
        return clean_introduction(value) or ""


class NewPublicKey(BaseModel):
    model_config = ConfigDict(extra="forbid")

    public_key: PublicKey
    # The VCP's Ed25519 key for signing messages (raw 32 bytes, b64url), derived from the
    # same key file (shared/crypto/signing.py). Optional, so an older client still sets a key.
    signing_key: SigningKey | None = None


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


async def appoint_vcp(
    uow: UnitOfWork, vcp: NewVCP, *, appointed_at: datetime, centre: bool = False
) -> None:
    """Appoint a VCP, who then sets their own key (until then they receive nothing). A
    `centre` VCP (one of the regional centre's, services/reports/use_cases/centre_vcps.py)
    first accepts or declines; the person and address come from the centre's list."""
    try:
        await _appoint(uow, vcp, appointed_at, centre)
    except DuplicateKeyError:
        # A concurrent appointment of the same id.
        raise AlreadyAppointed(f"VCP {vcp.vcp_id} is already appointed.") from None


async def _appoint(uow: UnitOfWork, vcp: NewVCP, appointed_at: datetime, centre: bool) -> None:
    await _touch_roster(uow)
    if any(await _appointed(uow, vcp.vcp_id)):
        raise AlreadyAppointed(f"VCP {vcp.vcp_id} is already appointed.")
    if await uow.collection(DISMISSED_VCP_IDS).find_one({"vcp_id": vcp.vcp_id}) is not None:
        raise IdNotReusable(
            f"VCP id {vcp.vcp_id} belonged to a VCP who was dismissed, and an id is never "
            "used again (reporters and colleagues would take a new key under it for the old "
            "person's): appoint them under a new vcp_id."
        )
    person = {"vcp_id": vcp.vcp_id, "name": vcp.name, "email": vcp.email}
    extra = {"centre": True, "accepted": False} if centre else {}
    await uow.collection(VCPS_AWAITING_KEY).insert_one(
        {**person, **extra, "appointed_at": appointed_at}
    )
    await audit.record(uow, "vcp.appointed", "vcp", vcp.vcp_id)
    uow.publish(
        VCPAppointed(org_id=uow.org_id, **person, public_key={}, fingerprint="", centre=centre)
    )


async def set_public_key(
    uow: UnitOfWork,
    vcp_id: str,
    key: PublicKey,
    *,
    set_at: datetime,
    set_by: str,
    signing_key: str | None = None,
) -> str:
    """A VCP registers their own key: from now on reports are sealed to it. Returns its
    fingerprint. The same key again changes nothing, so nobody is mailed twice. `set_by` is
    the token's subject, kept in the key history."""
    try:
        await _set_key(uow, vcp_id, key, set_at, set_by, signing_key)
    except DuplicateKeyError:
        raise KeyConflict(KEY_IN_USE) from None
    return key.fingerprint()


async def _set_key(
    uow: UnitOfWork,
    vcp_id: str,
    key: PublicKey,
    set_at: datetime,
    set_by: str,
    signing_key: str | None,
) -> None:
    fingerprint = key.fingerprint()
    await _touch_roster(uow)
    keyed, awaiting = await _appointed(uow, vcp_id)
    if keyed is None and awaiting is None:
        raise NoSuchVCP(f"There is no VCP {vcp_id}.")
    if awaiting is not None and awaiting.get("centre") and not awaiting.get("accepted"):
        raise NotAccepted(
            f"Accept this organisation's request to be its VCP first (POST /v1/orgs/"
            f"{uow.org_id}/vcps/{vcp_id}/acceptance, or on the VCP page): until then no key "
            "of yours is set here."
        )
    if keyed is not None and keyed["fingerprint"] == fingerprint:
        if signing_key is not None and keyed.get("signing_key") is None:
            # A key set by an older client gets its signing key added, nothing else.
            await _add_signing_key(uow, vcp_id, fingerprint, signing_key)
        return
    await _check_suite(uow, key.suite, vcp_id)
    if keyed is not None:
        # A new key (the old file was lost): old cases stay sealed to the old key until
        # a colleague shares them anew (POST …/reports/{id}/keys).
        await uow.collection(VCPS).update_one(
            {"vcp_id": vcp_id},
            {
                "$set": {
                    "public_key": key.model_dump(),
                    "fingerprint": fingerprint,
                    "signing_key": signing_key,
                    "key_set_at": set_at,
                }
            },
        )
    else:
        assert awaiting is not None
        await uow.collection(VCPS_AWAITING_KEY).delete_one({"vcp_id": vcp_id})
        await uow.collection(VCPS).insert_one(
            {
                "vcp_id": vcp_id,
                "name": awaiting["name"],
                "email": awaiting["email"],
                "introduction": awaiting.get("introduction"),
                "centre": bool(awaiting.get("centre")),
                # Kept: a centre VCP's public introduction is the one of their earliest
                # appointment (domain/centre_vcps.py); without it every keyed appointment
                # tied, and the organisations' ids decided.
                "appointed_at": awaiting.get("appointed_at"),
                "public_key": key.model_dump(),
                "fingerprint": fingerprint,
                "signing_key": signing_key,
                "key_set_at": set_at,
            }
        )
    history = uow.collection(VCP_KEY_HISTORY)
    await history.update_many({"vcp_id": vcp_id, "until": None}, {"$set": {"until": set_at}})
    await history.insert_one(
        {
            "vcp_id": vcp_id,
            "name": (keyed or awaiting or {}).get("name"),
            "public_key": key.model_dump(),
            "fingerprint": fingerprint,
            "signing_key": signing_key,
            "set_at": set_at,
            "set_by": set_by,
            "until": None,
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


async def set_introduction(uow: UnitOfWork, vcp_id: str, introduction: str) -> str | None:
    """A VCP writes (or clears, with an empty text) their introduction; returns it as kept."""
    text = introduction or None
    for collection in (VCPS, VCPS_AWAITING_KEY):
        updated = await uow.collection(collection).update_one(
            {"vcp_id": vcp_id}, {"$set": {"introduction": text}}
        )
        if updated.matched_count == 1:
            await audit.record(uow, "vcp.introduction_set", "vcp", vcp_id)
            return text
    raise NoSuchVCP(f"There is no VCP {vcp_id}.")


async def _add_signing_key(
    uow: UnitOfWork, vcp_id: str, fingerprint: str, signing_key: str
) -> None:
    await uow.collection(VCPS).update_one(
        {"vcp_id": vcp_id}, {"$set": {"signing_key": signing_key}}
    )
    await uow.collection(VCP_KEY_HISTORY).update_many(
        {"vcp_id": vcp_id, "fingerprint": fingerprint}, {"$set": {"signing_key": signing_key}}
    )
    await audit.record(uow, "vcp.key_set", "vcp", vcp_id)


async def dismiss_vcp(uow: UnitOfWork, vcp_id: str, *, dismissed_at: datetime) -> None:
    """Dismiss a VCP who leaves: their key receives nothing new. Refused while reporters or
    open cases would have nobody else to read them."""
    await _touch_roster(uow)
    leaving, awaiting = await _appointed(uow, vcp_id)
    if awaiting is not None:
        # Never a recipient, so no case depends on them (a mistyped address, say).
        await uow.collection(VCPS_AWAITING_KEY).delete_one({"vcp_id": vcp_id})
        if not awaiting.get("centre"):
            # A centre VCP's id is the centre's, the same person wherever they serve: the
            # organisation may ask them again (services/reports/use_cases/centre_vcps.py).
            await _retire_id(uow, vcp_id, dismissed_at)
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
    await _retire_id(uow, vcp_id, dismissed_at)
    await audit.record(uow, "vcp.dismissed", "vcp", vcp_id)
    uow.publish(
        VCPDismissed(
            org_id=uow.org_id,
            vcp_id=vcp_id,
            fingerprint=leaving["fingerprint"],
            dismissed_at=dismissed_at,
        )
    )


async def _retire_id(uow: UnitOfWork, vcp_id: str, dismissed_at: datetime) -> None:
    """The id is never appointed again, and the leaving VCP's key is in use no longer."""
    await uow.collection(DISMISSED_VCP_IDS).insert_one(
        {"vcp_id": vcp_id, "dismissed_at": dismissed_at}
    )
    await uow.collection(VCP_KEY_HISTORY).update_many(
        {"vcp_id": vcp_id, "until": None}, {"$set": {"until": dismissed_at}}
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


def day_of(moment: datetime | None) -> str | None:
    """YYYY-MM-DD of `moment`, the organisation's day; None for a key set before the day was
    kept."""
    return calendar.day_of(moment).isoformat() if moment is not None else None


def key_history(history: list[Document], current: list[Document]) -> list[dict[str, Any]]:
    """Every key, oldest first: whose, who set it, from when and until when (None while in
    use). A current key set before the history was kept is listed with an unknown setter."""
    in_use = {v["fingerprint"] for v in current}
    recorded = {(h["vcp_id"], h["fingerprint"]) for h in history}
    earlier = [
        {
            "vcp_id": v["vcp_id"],
            "name": v.get("name"),
            "public_key": v["public_key"],
            "fingerprint": v["fingerprint"],
            "signing_key": v.get("signing_key"),
            "set_at": v.get("key_set_at"),
            "set_by": None,
            "until": None,
        }
        for v in current
        if (v["vcp_id"], v["fingerprint"]) not in recorded
    ]
    return [
        {
            "vcp_id": h["vcp_id"],
            "name": h.get("name"),
            "public_key": h["public_key"],
            "fingerprint": h["fingerprint"],
            "signing_key": h.get("signing_key"),
            "set_at": h.get("set_at"),
            "set_by": h.get("set_by"),
            "until": h.get("until"),
            "in_use": h.get("until") is None and h["fingerprint"] in in_use,
        }
        for h in [*earlier, *history]
    ]
