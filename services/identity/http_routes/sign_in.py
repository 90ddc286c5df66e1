"""Sign-in by e-mail link: ask for a link, exchange its code for a session
(services/identity/use_cases/sign_in.py decides; the rate limit and the cookie are HTTP's)."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial
from typing import Any

from fastapi import APIRouter, Depends, Request, Response, status
from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator

from services.identity.domain.passkeys import browser_family
from services.identity.domain.sessions import SESSION_LIFETIME
from services.identity.domain.sign_in import is_page_path, normalise_address
from services.identity.extensions import limiter_of, mail_sender_of
from services.identity.http_routes.person import operators_of
from services.identity.rate_limit import SignInAdmission, admit_sign_in
from services.identity.refresh_cookie import check_origin, hand_out
from services.identity.use_cases import sign_in
from shared.http.openapi import errors
from shared.runtime.runtime import Runtime, runtime_of

router = APIRouter(prefix="/v1/sign-in", tags=["sign-in"])


class SignInRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: EmailStr
    next: str | None = Field(default=None, description="The page to go to after signing in.")

    @field_validator("next")
    @classmethod
    def next_is_a_page_path(cls, value: str | None) -> str | None:
        if value is not None and not is_page_path(value):
            raise ValueError("must be a path on this site, starting with a single /")
        return value


class SignInRequested(BaseModel):
    """The answer to asking for a link: empty, whether or not the address is known."""


class MembershipView(BaseModel):
    org_id: str | None
    roles: list[str]
    sub: str


class SignedInAnswer(BaseModel):
    """The answer to a sign-in, by link or by passkey."""

    # Empty when the browser asked for it in the HttpOnly cookie.
    refresh_token: str
    memberships: list[MembershipView]
    next: str | None
    preferred: MembershipView | None


class Exchange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=1, max_length=200)


@router.post(
    "",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Mail a sign-in link to a member's address (anyone).",
    response_model=SignInRequested,
    responses=errors(429),
    description=(
        "The answer is the same whether or not the address belongs to a member, and whether"
        " or not the address had its mails for now (SIGN_IN_LIMIT_PER_ADDRESS,"
        " SIGN_IN_MAILS_PER_ADDRESS_PER_DAY): past those it is mailed nothing more, and the"
        " links it was sent keep working. Only a client asking too often gets 429."
    ),
)
async def request_sign_in(
    body: SignInRequest, request: Request, runtime: Runtime = Depends(runtime_of)
) -> dict[str, Any]:
    address = normalise_address(body.email)
    admission = await admit_sign_in(runtime, request, address, limiter_of(runtime))
    if admission is SignInAdmission.NOTHING_MORE:
        return {}
    mail = await sign_in.request_sign_in(
        runtime.db,
        address,
        next_page=body.next,
        operators=await operators_of(runtime),
        web_url=runtime.settings.web_url,
        now=datetime.now(UTC),
    )
    # Only the in-memory mail queue tells a known address from an unknown one.
    if mail is not None:
        mail_sender_of(runtime).queue(mail)
    return {}


@router.post(
    "/exchange",
    summary="Exchange a sign-in link's code for a refresh token and the memberships.",
    response_model=SignedInAnswer,
    responses=errors(400, 403),
    description=(
        "Beyond the contract: `next`, the page the link was sent for, and `preferred`, the "
        "membership to start in (the one an invitation was sent for, else the one used last, "
        "else the only one; null leaves the choice to the person)."
    ),
)
async def exchange(
    body: Exchange,
    request: Request,
    response: Response,
    runtime: Runtime = Depends(runtime_of),
) -> dict[str, Any]:
    check_origin(request, runtime.settings.web_url)
    signed_in = await sign_in.exchange_code(
        runtime.db,
        body.code,
        operators=await operators_of(runtime),
        now=datetime.now(UTC),
        device=browser_family(request.headers.get("user-agent")),
    )
    return await signed_in_answer(signed_in, request, response, runtime)


async def signed_in_answer(
    signed_in: sign_in.SignedIn, request: Request, response: Response, runtime: Runtime
) -> dict[str, Any]:
    """The answer to a sign-in, by link or by passkey: the sign-in in each organisation's
    audit log, the refresh token (in the cookie for a browser that asked for it), the
    memberships and where to start."""
    for membership in signed_in.memberships:
        if membership.org_id:  # the operator's sign-in belongs to no organisation's log
            await runtime.transact(membership.org_id, partial(sign_in.log_sign_in, m=membership))
    return {
        "refresh_token": hand_out(
            request, response, signed_in.refresh_token, SESSION_LIFETIME, runtime.settings.web_url
        ),
        "memberships": [m.view() for m in signed_in.memberships],
        "next": signed_in.next_page,
        "preferred": signed_in.preferred.view() if signed_in.preferred else None,
    }
