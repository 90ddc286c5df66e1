"""Access tokens for one organisation, renewed with a rotating refresh token; sign-out."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request, Response, status
from pydantic import BaseModel, ConfigDict, Field

from services.identity.domain.memberships import membership_for_token
from services.identity.domain.sessions import ACCESS_TOKEN_LIFETIME, RefreshVerdict
from services.identity.extensions import signer_of
from services.identity.people import current_memberships
from services.identity.refresh_cookie import forget, hand_out, presented
from services.identity.sessions import find_session, revoke_chain, rotate
from shared.events.base import ORG_ID_PATTERN
from shared.http.openapi import errors
from shared.runtime.runtime import Runtime, runtime_of

router = APIRouter(tags=["tokens"])

SESSION_ENDED = "This session has ended or is not valid: please sign in again."
NOT_A_MEMBER_THERE = "You hold no membership in this organisation (any more)."


class TokenRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # Empty (or left out) only by a browser whose token is in the HttpOnly cookie.
    refresh_token: str = Field(default="", max_length=200)
    org_id: str | None = Field(default=None, pattern=ORG_ID_PATTERN)
    # Beyond the contract: for a person with two memberships in one organisation (say, an
    # admin who is also a VCP there), which one the token is for; by default the first.
    sub: str | None = Field(default=None, max_length=200)


class SignOut(BaseModel):
    model_config = ConfigDict(extra="forbid")

    refresh_token: str = Field(default="", max_length=200)


def _unauthorized(detail: str) -> HTTPException:
    return HTTPException(status.HTTP_401_UNAUTHORIZED, detail)


@router.post(
    "/v1/tokens",
    summary="An access token for one organisation (10 minutes) and the next refresh token.",
    responses=errors(401),
)
async def issue_tokens(
    body: TokenRequest,
    request: Request,
    response: Response,
    runtime: Runtime = Depends(runtime_of),
) -> dict[str, Any]:
    now = datetime.now(UTC)
    verdict, stored = await find_session(runtime, presented(request, body.refresh_token), now)
    if verdict is not RefreshVerdict.USABLE or stored is None:
        raise _unauthorized(SESSION_ENDED)
    # Checked before the token is used up, so asking for an organisation one has left does
    # not end the session for the others.
    memberships = await current_memberships(runtime, stored["email"])
    membership = membership_for_token(memberships, body.org_id, body.sub)
    if membership is None:
        raise _unauthorized(NOT_A_MEMBER_THERE)
    next_refresh_token = await rotate(runtime, stored, now)
    if next_refresh_token is None:
        raise _unauthorized(SESSION_ENDED)
    return {
        "access_token": signer_of(runtime).access_token(membership, now),
        "token_type": "Bearer",
        "expires_in": int(ACCESS_TOKEN_LIFETIME.total_seconds()),
        "refresh_token": hand_out(
            request,
            response,
            next_refresh_token,
            stored["expires_at"] - now,
            runtime.settings.web_url,
        ),
        "org_id": membership.org_id,
        "roles": list(membership.roles),
        "sub": membership.sub,
    }


@router.post(
    "/v1/sign-out",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="End the session: every refresh token of this sign-in stops working.",
)
async def sign_out(
    body: SignOut, request: Request, runtime: Runtime = Depends(runtime_of)
) -> Response:
    now = datetime.now(UTC)
    _verdict, stored = await find_session(runtime, presented(request, body.refresh_token), now)
    if stored is not None:
        await revoke_chain(runtime, stored["chain_id"], now)
    answer = Response(status_code=status.HTTP_204_NO_CONTENT)
    forget(request, answer, runtime.settings.web_url)
    return answer
