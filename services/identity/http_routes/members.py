"""An organisation's members: admins and coordinators invited by mail, and removed; VCPs
and volunteers listed (their memberships follow reports and intake)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Response, status
from pydantic import BaseModel, ConfigDict, EmailStr, Field

from services.identity.domain.mails import invitation_mail
from services.identity.domain.memberships import LastAdmin, check_removal, merged_roles
from services.identity.domain.sign_in import (
    INVITATION_LINK_LIFETIME,
    new_code,
    normalise_address,
    sign_in_link,
)
from services.identity.extensions import mail_sender_of
from services.identity.people import organisation_facts
from services.identity.storage import MEMBERSHIPS, ORGANISATIONS, SIGN_IN_CODES
from shared.auth.dependencies import require_org_role
from shared.auth.tokens import Principal
from shared.events.identity import MemberAdded, MemberRemoved
from shared.http.openapi import errors
from shared.runtime.runtime import Runtime, runtime_of
from shared.storage.unit_of_work import UnitOfWork

router = APIRouter(prefix="/v1/orgs/{org}/members", tags=["members"])


class Invitation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: EmailStr
    name: str = Field(min_length=1, max_length=200)
    roles: list[Literal["admin", "coordinator"]] = Field(min_length=1, max_length=2)


async def _touch_organisation(uow: UnitOfWork) -> None:
    """Every change of the staff writes the organisation's document, so that two concurrent
    removals conflict (and one is retried) instead of both leaving no admin behind."""
    await uow.collection(ORGANISATIONS).update_one(
        {}, {"$inc": {"membership_changes": 1}}, upsert=True
    )


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Invite an admin or coordinator by mail (admin; the operator for any organisation).",
    responses=errors(404),
)
async def invite_member(
    org: str,
    body: Invitation,
    _inviter: Principal = Depends(require_org_role("admin", operator=True)),
    runtime: Runtime = Depends(runtime_of),
) -> dict[str, str]:
    address = normalise_address(body.email)
    now = datetime.now(UTC)

    async def invite(uow: UnitOfWork) -> tuple[str, tuple[str, ...]]:
        if await uow.collection(ORGANISATIONS).find_one({"name": {"$exists": True}}) is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, f"There is no organisation {org}.")
        members = uow.collection(MEMBERSHIPS)
        existing = await members.find_one({"kind": "staff", "email": address})
        if existing is not None:
            member_id = str(existing["member_id"])
            roles = merged_roles(existing["roles"], body.roles)
            await members.update_one({"member_id": member_id}, {"$set": {"roles": list(roles)}})
        else:
            member_id = uuid.uuid4().hex
            roles = merged_roles((), body.roles)
            await members.insert_one(
                {
                    "member_id": member_id,
                    "sub": member_id,
                    "kind": "staff",
                    "email": address,
                    "name": body.name,
                    "roles": list(roles),
                    "since": now,
                }
            )
        await _touch_organisation(uow)
        uow.publish(
            MemberAdded(
                org_id=org, member_id=member_id, sub=member_id, roles=list(roles), added_at=now
            )
        )
        return member_id, roles

    # The code is stored before the membership, so that no member is left without their
    # invitation; should the membership not be stored, the code was never mailed to anyone.
    # The link itself lives only in the mail.
    code = new_code()
    await runtime.db.platform_collection(SIGN_IN_CODES).insert_one(
        {
            "code_hash": code.code_hash,
            "email": address,
            "next": None,
            "purpose": "invitation",
            "created_at": now,
            "expires_at": now + INVITATION_LINK_LIFETIME,
            "used_at": None,
        }
    )
    member_id, roles = await runtime.transact(org, invite)
    organisation, language = await organisation_facts(runtime, org)
    web = runtime.settings.web_url.rstrip("/")
    mail = invitation_mail(
        language,
        name=body.name,
        organisation=organisation,
        roles=roles,
        link=sign_in_link(web, code.code),
        sign_in_page=f"{web}/sign-in",
        days=INVITATION_LINK_LIFETIME.days,
    )
    mail_sender_of(runtime).send_later(address, mail.subject, mail.text, "invitation")
    return {"member_id": member_id}


@router.get("", summary="The organisation's members, VCPs and volunteers included (admin).")
async def list_members(
    org: str,
    _admin: Principal = Depends(require_org_role("admin")),
    runtime: Runtime = Depends(runtime_of),
) -> list[dict[str, Any]]:
    rows = await runtime.db.tenant_collection(org, MEMBERSHIPS).find(
        {}, sort=[("since", 1), ("member_id", 1)]
    )
    return [
        {
            "member_id": row["member_id"],
            "email": row["email"],
            "name": row["name"],
            "roles": row["roles"],
            "since": row["since"],
            "sub": row["sub"],
            "removable": row["kind"] == "staff",
        }
        for row in rows
    ]


@router.delete(
    "/{member_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove an admin or coordinator (admin); never the last admin.",
    responses=errors(404, 409),
)
async def remove_member(
    org: str,
    member_id: str,
    _admin: Principal = Depends(require_org_role("admin")),
    runtime: Runtime = Depends(runtime_of),
) -> Response:
    now = datetime.now(UTC)

    async def remove(uow: UnitOfWork) -> None:
        members = uow.collection(MEMBERSHIPS)
        leaving = await members.find_one({"member_id": member_id})
        if leaving is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, f"There is no member {member_id}.")
        if leaving["kind"] != "staff":
            raise HTTPException(
                status.HTTP_409_CONFLICT,
                "A VCP leaves when dismissed in reports, and a volunteer's membership ends "
                "when their data is erased; they cannot be removed here.",
            )
        admins = await members.find(
            {"kind": "staff", "roles": "admin"}, projection={"member_id": 1}
        )
        try:
            check_removal([a["member_id"] for a in admins], member_id)
        except LastAdmin:
            raise HTTPException(
                status.HTTP_409_CONFLICT,
                "This is the organisation's last admin: invite another admin first.",
            ) from None
        await members.delete_one({"member_id": member_id})
        await _touch_organisation(uow)
        uow.publish(
            MemberRemoved(org_id=org, member_id=member_id, sub=leaving["sub"], removed_at=now)
        )

    await runtime.transact(org, remove)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
