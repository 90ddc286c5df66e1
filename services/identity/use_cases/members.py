"""An organisation's staff: admins and coordinators invited by mail, and removed. VCPs' and
volunteers' memberships follow reports and intake (event_handlers.py), not these."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field

from services.identity.domain.errors import NoSuchMember, NoSuchOrganisation, NotRemovableHere
from services.identity.domain.mails import Mail, invitation_mail, organisation_for_mail
from services.identity.domain.memberships import check_removal, merged_roles
from services.identity.domain.sign_in import (
    INVITATION_LINK_LIFETIME,
    SignInCode,
    normalise_address,
    sign_in_link,
)
from services.identity.storage import MEMBERSHIPS, ORGANISATIONS, PlatformStore
from services.identity.use_cases.sign_in import store_code
from shared import audit
from shared.auth.membership import announce_membership
from shared.domain.names import Name
from shared.events.identity import MemberAdded, MemberRemoved
from shared.storage.unit_of_work import UnitOfWork


class Invitation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: EmailStr
    name: Name
    roles: list[Literal["admin", "coordinator"]] = Field(min_length=1, max_length=2)


@dataclass(frozen=True)
class Invited:
    member_id: str
    # The invitation with its sign-in link, to send once the membership is committed.
    mail: Mail


async def _touch_organisation(uow: UnitOfWork) -> None:
    """Every change of the staff writes the organisation's document, so that two concurrent
    removals conflict (and one is retried) instead of both leaving no admin behind."""
    await uow.collection(ORGANISATIONS).update_one(
        {}, {"$inc": {"membership_changes": 1}}, upsert=True
    )


async def store_invitation_code(
    store: PlatformStore, invitation: Invitation, *, org_id: str, now: datetime
) -> SignInCode:
    """The invitation's sign-in code, stored before the membership (`invite_member`), so
    that no member is left without their invitation; should the membership not be stored,
    the code was never mailed to anyone. The link itself lives only in the mail."""
    return await store_code(
        store,
        normalise_address(invitation.email),
        purpose="invitation",
        # The link lands on the workspace of the role it was sent for, in that organisation.
        next_page="/admin" if "admin" in invitation.roles else "/coordinator",
        link_for=(org_id, "staff"),
        lifetime=INVITATION_LINK_LIFETIME,
        now=now,
    )


async def invite_member(
    uow: UnitOfWork, invitation: Invitation, *, code: SignInCode, web_url: str, now: datetime
) -> Invited:
    """Make the invited person staff with the roles asked for (added to the roles they hold
    already), announce it (MemberAdded), and word their invitation with `code`'s link."""
    organisation = await uow.collection(ORGANISATIONS).find_one({"name": {"$exists": True}})
    if organisation is None:
        raise NoSuchOrganisation(f"There is no organisation {uow.org_id}.")
    address = normalise_address(invitation.email)
    members = uow.collection(MEMBERSHIPS)
    existing = await members.find_one({"kind": "staff", "email": address})
    if existing is not None:
        member_id = str(existing["member_id"])
        roles = merged_roles(existing["roles"], invitation.roles)
        await members.update_one({"member_id": member_id}, {"$set": {"roles": list(roles)}})
    else:
        member_id = uuid.uuid4().hex
        roles = merged_roles((), invitation.roles)
        await members.insert_one(
            {
                "member_id": member_id,
                "sub": member_id,
                "kind": "staff",
                "email": address,
                "name": invitation.name,
                "roles": list(roles),
                "since": now,
            }
        )
    await _touch_organisation(uow)
    await audit.record(
        uow, "member.roles_changed" if existing else "member.added", "member", member_id
    )
    await announce_membership(
        uow,
        MemberAdded(
            org_id=uow.org_id,
            member_id=member_id,
            sub=member_id,
            roles=list(roles),
            added_at=now,
            name=invitation.name if existing is None else str(existing.get("name") or ""),
            # Staff only (this route invites admins and coordinators): notify's roster.
            email=address,
        ),
    )
    name, language = organisation_for_mail(organisation, uow.org_id)
    web = web_url.rstrip("/")
    content = invitation_mail(
        language,
        name=invitation.name,
        organisation=name,
        roles=roles,
        link=sign_in_link(web, code.code),
        sign_in_page=f"{web}/sign-in",
        days=INVITATION_LINK_LIFETIME.days,
    )
    return Invited(member_id, Mail(address, "invitation", content))


async def remove_member(uow: UnitOfWork, member_id: str, *, now: datetime) -> None:
    """Remove an admin or coordinator and announce it (MemberRemoved); never the last admin."""
    members = uow.collection(MEMBERSHIPS)
    leaving = await members.find_one({"member_id": member_id})
    if leaving is None:
        raise NoSuchMember(f"There is no member {member_id}.")
    if leaving["kind"] != "staff":
        raise NotRemovableHere(
            "A VCP leaves when dismissed in reports, and a volunteer's membership ends "
            "when their data is erased; they cannot be removed here."
        )
    admins = await members.find({"kind": "staff", "roles": "admin"}, projection={"member_id": 1})
    check_removal([a["member_id"] for a in admins], member_id)
    await members.delete_one({"member_id": member_id})
    await _touch_organisation(uow)
    await audit.record(uow, "member.removed", "member", member_id)
    await announce_membership(
        uow,
        MemberRemoved(org_id=uow.org_id, member_id=member_id, sub=leaving["sub"], removed_at=now),
    )
