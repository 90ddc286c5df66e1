"""The regional centre's own VCPs (issue 24 item 2).

The operator keeps the centre's list of VCPs (CENTRE_VCPS, not of any organisation). An
organisation's admin adds one of them as its VCP: that is an appointment in the organisation
like any other (VCPAppointed, so identity gives them a `vcp` membership there and every other
VCP is told), marked `centre`, with the person and address from the centre's list, never
from the admin. The centre VCP accepts or declines in that organisation; only after
accepting do they set a key there, as any VCP does, with their own token. Each organisation
is its own appointment, membership and key: tenancy stays where it is (shared/auth checks
the `vcp` membership of the token's organisation; reports' routes query that organisation
alone), and a centre VCP serving two organisations reaches each one's cases only with that
organisation's token.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, StrictBool
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from services.reports.domain.centre_vcps import public_centre_vcps
from services.reports.domain.errors import (
    AlreadyAppointed,
    NoSuchCentreVCP,
    NoSuchVCP,
    NotAccepted,
)
from services.reports.storage import CENTRE_VCPS, VCPS, VCPS_AWAITING_KEY
from services.reports.use_cases.vcps import NewVCP, appoint_vcp
from shared import audit
from shared.events.reports import VCPDismissed
from shared.storage.database import Database
from shared.storage.tenancy import Document
from shared.storage.unit_of_work import UnitOfWork


class CentreVCPChoice(BaseModel):
    model_config = ConfigDict(extra="forbid")

    vcp_id: str = Field(min_length=1, max_length=100)


class Acceptance(BaseModel):
    model_config = ConfigDict(extra="forbid")

    accept: StrictBool


async def register_centre_vcp(
    centre_vcps: AsyncCollection[Document], vcp: NewVCP, *, appointed_at: datetime
) -> None:
    """The operator adds a VCP to the centre's list; no organisation is served yet."""
    try:
        await centre_vcps.insert_one(
            {
                "vcp_id": vcp.vcp_id,
                "name": vcp.name,
                "email": vcp.email,
                "appointed_at": appointed_at,
            }
        )
    except DuplicateKeyError:
        raise AlreadyAppointed(f"The regional centre already has a VCP {vcp.vcp_id}.") from None


def centre_vcp_of(listed: Document | None, vcp_id: str) -> NewVCP:
    """The appointment an admin makes when adding `vcp_id`: the centre's name and address."""
    if listed is None:
        raise NoSuchCentreVCP(
            f"The regional centre has no VCP {vcp_id} (GET /v1/centre-vcps lists them)."
        )
    return NewVCP(vcp_id=listed["vcp_id"], name=listed["name"], email=listed["email"])


async def add_centre_vcp(uow: UnitOfWork, vcp: NewVCP, *, added_at: datetime) -> None:
    """The organisation asks a centre VCP to be its VCP; they accept or decline."""
    await appoint_vcp(uow, vcp, appointed_at=added_at, centre=True)


async def answer_request(
    uow: UnitOfWork, vcp_id: str, acceptance: Acceptance, *, at: datetime
) -> bool:
    """The centre VCP's answer to the organisation's request; returns whether they serve it.
    Accepting twice changes nothing. Declining (before they set a key here) ends the
    appointment and the membership, and keeps the id: it is the centre's, the same person,
    so the organisation may ask again later."""
    awaiting = await uow.collection(VCPS_AWAITING_KEY).find_one({"vcp_id": vcp_id})
    if awaiting is None or not awaiting.get("centre"):
        if await uow.collection(VCPS).find_one({"vcp_id": vcp_id, "centre": True}):
            raise NotAccepted(
                "You serve this organisation already and set your key here; ask its admin "
                "to end the appointment if you stop."
            )
        raise NoSuchVCP(f"This organisation has not asked the centre's VCP {vcp_id}.")
    if acceptance.accept:
        if not awaiting.get("accepted"):
            await uow.collection(VCPS_AWAITING_KEY).update_one(
                {"vcp_id": vcp_id}, {"$set": {"accepted": True, "accepted_at": at}}
            )
            await audit.record(uow, "vcp.accepted", "vcp", vcp_id)
        return True
    await uow.collection(VCPS_AWAITING_KEY).delete_one({"vcp_id": vcp_id})
    await audit.record(uow, "vcp.declined", "vcp", vcp_id)
    # identity ends the membership as for any VCP who leaves before setting a key.
    uow.publish(VCPDismissed(org_id=uow.org_id, vcp_id=vcp_id, fingerprint="", dismissed_at=at))
    return False


async def public_list(db: Database) -> list[dict[str, str | None]]:
    """The centre's VCPs by name and introduction, for anyone (domain/centre_vcps.py).

    The one read across organisations here: a centre VCP's appointments, for the
    introduction they wrote, which each organisation's report page shows already."""
    listed = (
        await db.platform_collection(CENTRE_VCPS)
        .find({}, projection={"_id": 0, "vcp_id": 1, "name": 1})
        .to_list()
    )
    ids = [vcp["vcp_id"] for vcp in listed]
    fields = {"_id": 0, "vcp_id": 1, "org_id": 1, "introduction": 1, "appointed_at": 1}
    appointments = []
    for collection in (VCPS, VCPS_AWAITING_KEY):
        appointments += (
            await db.platform_collection(collection)
            .find({"vcp_id": {"$in": ids}, "centre": True}, projection=fields)
            .to_list()
        )
    return public_centre_vcps(listed, appointments)
