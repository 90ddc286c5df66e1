"""identity's event handlers: organisations for mails, and the memberships that other
services own the facts of (VCP appointments in reports, applications in intake)."""

from __future__ import annotations

from datetime import UTC, datetime

from services.identity.domain.sign_in import normalise_address
from services.identity.storage import MEMBERSHIPS, ORGANISATIONS, VCP_INVITATIONS
from shared.auth.membership import announce_membership
from shared.events.admission import OrganisationRegistered, VolunteerApplied, VolunteerDataErased
from shared.events.identity import MemberAdded, MemberRemoved, MemberRole
from shared.events.reports import VCPAppointed, VCPDismissed
from shared.messaging.consumer import Handlers
from shared.storage.projections import remember_organisation
from shared.storage.unit_of_work import UnitOfWork


async def on_organisation_registered(event: OrganisationRegistered, uow: UnitOfWork) -> None:
    await remember_organisation(uow.collection(ORGANISATIONS), event)


async def _follow(
    uow: UnitOfWork,
    *,
    member_id: str,
    sub: str,
    role: MemberRole,
    name: str,
    email: str,
    since: datetime,
) -> bool:
    """A membership that mirrors another service's fact; MemberAdded only when it is new, so
    a redelivered event publishes nothing twice. True when it is new."""
    result = await uow.collection(MEMBERSHIPS).update_one(
        {"member_id": member_id},
        {
            "$set": {"email": normalise_address(email), "name": name},
            "$setOnInsert": {"sub": sub, "kind": role, "roles": [role], "since": since},
        },
        upsert=True,
    )
    if result.upserted_id is not None:
        await announce_membership(
            uow,
            MemberAdded(
                org_id=uow.org_id, member_id=member_id, sub=sub, roles=[role], added_at=since
            ),
        )
        return True
    return False


async def _end(uow: UnitOfWork, member_id: str, sub: str, at: datetime) -> None:
    result = await uow.collection(MEMBERSHIPS).delete_one({"member_id": member_id})
    if result.deleted_count:
        await announce_membership(
            uow, MemberRemoved(org_id=uow.org_id, member_id=member_id, sub=sub, removed_at=at)
        )


def vcp_member_id(vcp_id: str) -> str:
    return f"vcp:{vcp_id}"


def volunteer_member_id(volunteer_id: str) -> str:
    return f"volunteer:{volunteer_id}"


async def on_vcp_appointed(event: VCPAppointed, uow: UnitOfWork) -> None:
    at = uow.causation.time if uow.causation else None
    since = at or _now()
    new = await _follow(
        uow,
        member_id=vcp_member_id(event.vcp_id),
        sub=event.vcp_id,
        role="vcp",
        name=event.name,
        email=event.email,
        since=since,
    )
    if new and not event.has_key:
        # Mailed by the vcp_invitations job once this is committed (see storage.py).
        await uow.collection(VCP_INVITATIONS).update_one(
            {"vcp_id": event.vcp_id},
            {
                "$set": {
                    "email": normalise_address(event.email),
                    "name": event.name,
                    "appointed_at": since,
                    "sent_at": None,
                }
            },
            upsert=True,
        )


async def on_vcp_dismissed(event: VCPDismissed, uow: UnitOfWork) -> None:
    # An invitation not mailed yet (the job mails every few seconds) is not mailed at all: a
    # dismissed VCP gets no link to the workspace. One whose key came first keeps theirs: the
    # invitation is how a VCP whose key was registered by the command line signs in to /vcp.
    await uow.collection(VCP_INVITATIONS).delete_one({"vcp_id": event.vcp_id, "sent_at": None})
    await _end(uow, vcp_member_id(event.vcp_id), event.vcp_id, event.dismissed_at)


async def on_volunteer_applied(event: VolunteerApplied, uow: UnitOfWork) -> None:
    await _follow(
        uow,
        member_id=volunteer_member_id(event.volunteer_id),
        sub=event.volunteer_id,
        role="volunteer",
        name=event.name,
        email=event.email,
        since=event.applied_at,
    )


async def on_volunteer_data_erased(event: VolunteerDataErased, uow: UnitOfWork) -> None:
    at = uow.causation.time if uow.causation else None
    await _end(uow, volunteer_member_id(event.volunteer_id), event.volunteer_id, at or _now())


def _now() -> datetime:
    return datetime.now(UTC)


HANDLERS: Handlers = {
    OrganisationRegistered: on_organisation_registered,
    VCPAppointed: on_vcp_appointed,
    VCPDismissed: on_vcp_dismissed,
    VolunteerApplied: on_volunteer_applied,
    VolunteerDataErased: on_volunteer_data_erased,
}
