"""An organisation's members: admins and coordinators invited by mail, and removed; VCPs
and volunteers listed (their memberships follow reports and intake). The use cases are in
services/identity/use_cases/members.py."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Depends, Response, status
from pydantic import BaseModel

from services.identity import queries
from services.identity.extensions import mail_sender_of
from services.identity.use_cases import members
from services.identity.use_cases.members import Invitation
from shared.auth.dependencies import require_org_role
from shared.auth.tokens import Principal
from shared.http.openapi import errors
from shared.runtime.runtime import Runtime, runtime_of

router = APIRouter(prefix="/v1/orgs/{org}/members", tags=["members"])


class InvitedMember(BaseModel):
    member_id: str


class Member(BaseModel):
    member_id: str
    email: str
    name: str
    roles: list[str]
    since: datetime
    # The person's token subject (their id across organisations).
    sub: str
    # An admin or coordinator; a VCP or volunteer leaves through reports or intake.
    removable: bool


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Invite an admin or coordinator by mail (admin; the operator for any organisation).",
    response_model=InvitedMember,
    responses=errors(404),
)
async def invite_member(
    org: str,
    body: Invitation,
    _inviter: Principal = Depends(require_org_role("admin", operator=True)),
    runtime: Runtime = Depends(runtime_of),
) -> dict[str, str]:
    now = datetime.now(UTC)
    code = await members.store_invitation_code(runtime.db, body, org_id=org, now=now)
    invited = await runtime.transact(
        org,
        lambda uow: members.invite_member(
            uow, body, code=code, web_url=runtime.settings.web_url, now=now
        ),
    )
    mail_sender_of(runtime).queue(invited.mail)
    return {"member_id": invited.member_id}


@router.get("", summary="The organisation's members, VCPs and volunteers included (admin).")
async def list_members(
    org: str,
    _admin: Principal = Depends(require_org_role("admin")),
    runtime: Runtime = Depends(runtime_of),
) -> list[Member]:
    rows = await queries.memberships(runtime.db, org)
    return [
        Member(
            member_id=row["member_id"],
            email=row["email"],
            name=row["name"],
            roles=row["roles"],
            since=row["since"],
            sub=row["sub"],
            removable=row["kind"] == "staff",
        )
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
    await runtime.transact(org, lambda uow: members.remove_member(uow, member_id, now=now))
    return Response(status_code=status.HTTP_204_NO_CONTENT)
