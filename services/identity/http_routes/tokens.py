"""Access tokens for one organisation, renewed with a rotating refresh token; sign-out
(services/identity/use_cases/tokens.py decides; the cookie is HTTP's)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal

from fastapi import APIRouter, Depends, Request, Response, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, StrictBool

from services.identity.domain.errors import SessionEnded
from services.identity.domain.sessions import ACCESS_TOKEN_LIFETIME
from services.identity.extensions import signer_of
from services.identity.http_routes.person import operators_of
from services.identity.http_routes.sign_in import MembershipView
from services.identity.refresh_cookie import check_origin, forget, hand_out, presented
from services.identity.use_cases import tokens
from shared.events.base import ORG_ID_PATTERN
from shared.http.openapi import errors
from shared.runtime.runtime import Runtime, runtime_of

router = APIRouter(tags=["tokens"])


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
    # Beyond the contract: end every session of the person, on every device.
    everywhere: StrictBool = False


class SessionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # Empty (or left out) only by a browser whose token is in the HttpOnly cookie.
    refresh_token: str = Field(default="", max_length=200)


class IssuedTokens(BaseModel):
    access_token: str
    token_type: Literal["Bearer"]
    expires_in: int
    # Empty when the browser asked for it in the HttpOnly cookie.
    refresh_token: str
    org_id: str | None
    roles: list[str]
    sub: str


class SessionView(BaseModel):
    memberships: list[MembershipView]
    preferred: MembershipView | None


@router.post(
    "/v1/tokens",
    summary="An access token for one organisation (10 minutes) and the next refresh token.",
    response_model=IssuedTokens,
    responses=errors(401, 403),
)
async def issue_tokens(
    body: TokenRequest,
    request: Request,
    response: Response,
    runtime: Runtime = Depends(runtime_of),
) -> dict[str, Any]:
    check_origin(request, runtime.settings.web_url)
    now = datetime.now(UTC)
    issued = await tokens.issue_tokens(
        runtime.db,
        signer_of(runtime),
        presented(request, body.refresh_token, runtime.settings.web_url),
        org_id=body.org_id,
        sub=body.sub,
        operators=await operators_of(runtime),
        now=now,
    )
    return {
        "access_token": issued.access_token,
        "token_type": "Bearer",
        "expires_in": int(ACCESS_TOKEN_LIFETIME.total_seconds()),
        "refresh_token": hand_out(
            request,
            response,
            issued.refresh_token,
            issued.session_ends_at - now,
            runtime.settings.web_url,
        ),
        "org_id": issued.membership.org_id,
        "roles": list(issued.membership.roles),
        "sub": issued.membership.sub,
    }


@router.post(
    "/v1/session",
    summary="The memberships of a session and the one used last (the token is not rotated).",
    response_model=SessionView,
    responses=errors(401, 403),
    description=(
        "Beyond the contract: what a reloaded page or a new tab needs to carry on with the "
        "session in its cookie. `preferred` is the membership used last (null when none was "
        "used and there are several). Without any token, `memberships` is empty: nobody is "
        "signed in there. A token that cannot be used gets 401 (and its cookie is removed)."
    ),
)
async def read_session(
    body: SessionRequest, request: Request, runtime: Runtime = Depends(runtime_of)
) -> Response:
    check_origin(request, runtime.settings.web_url)
    token = presented(request, body.refresh_token, runtime.settings.web_url)
    if not token:
        # Nobody is signed in in this browser: an answer, not an error, as every page that
        # may have a session asks this first (and a 401 would be a console error).
        return JSONResponse({"memberships": [], "preferred": None})
    try:
        view = await tokens.session_of(
            runtime.db, token, operators=await operators_of(runtime), now=datetime.now(UTC)
        )
    except SessionEnded as ended:
        # A cookie whose session is over is of no use any more: it goes.
        refused = JSONResponse({"detail": str(ended)}, status_code=status.HTTP_401_UNAUTHORIZED)
        forget(request, refused, runtime.settings.web_url)
        return refused
    return JSONResponse(
        {
            "memberships": [m.view() for m in view.memberships],
            "preferred": view.preferred.view() if view.preferred else None,
        }
    )


@router.post(
    "/v1/sign-out",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="End the session: every refresh token of this sign-in stops working.",
    responses=errors(403),
    description=(
        'With `"everywhere": true` (beyond the contract) every session of the person ends, '
        "on every device. A browser's cookie is removed (`Max-Age=0`)."
    ),
)
async def sign_out(
    body: SignOut, request: Request, runtime: Runtime = Depends(runtime_of)
) -> Response:
    check_origin(request, runtime.settings.web_url)
    await tokens.sign_out(
        runtime.db,
        presented(request, body.refresh_token, runtime.settings.web_url),
        everywhere=body.everywhere,
        now=datetime.now(UTC),
    )
    answer = Response(status_code=status.HTTP_204_NO_CONTENT)
    forget(request, answer, runtime.settings.web_url)
    return answer
