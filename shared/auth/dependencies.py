"""FastAPI dependencies that authenticate a request and bind it to one organisation.

Route handlers declare who may call them; the organisation in the path is checked against
the token here, once, so no handler can forget it. Another organisation's data answers
404, not 403, so that its existence is not confirmed.

Every service's runtime has a `membership_check` (shared/auth/membership.py, plus the
service's own, reports' VCP appointments): a token whose holder is no longer a member with
its roles is refused with 403 on every route, the moment the change reaches the service.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Any

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from shared.auth.tokens import InvalidToken, Principal, Role
from shared.auth.verifier import KeysUnavailable, TokenVerifier
from shared.http.openapi import answers

bearer = HTTPBearer(auto_error=False, description="A SafeHands access token (JWT, EdDSA).")

NOT_FOUND = "Not found."
NOT_A_MEMBER = "The holder of this token is no longer a member with this role here."

# Who acts in this request, once their token is verified: the audit log (shared/audit) records
# them, so that a use case writes its entry in one line without every route passing the
# principal down. Unset (an event handler, a sweep): the platform itself acts.
ACTING: ContextVar[Principal | None] = ContextVar("safehands_acting", default=None)

# (the service's runtime, the verified principal) → is the principal still a member?
MembershipCheck = Callable[[Any, Principal], Awaitable[bool]]


def _unauthorized(detail: str) -> HTTPException:
    return HTTPException(
        status.HTTP_401_UNAUTHORIZED, detail, headers={"WWW-Authenticate": "Bearer"}
    )


async def _verified(request: Request, token: str) -> Principal:
    """The token's principal, verified once per request."""
    cached: tuple[str, Principal] | None = getattr(request.state, "verified_token", None)
    if cached is not None and cached[0] == token:
        return cached[1]
    verifier: TokenVerifier = request.app.state.runtime.token_verifier
    try:
        principal = await verifier.verify(token)
    except KeysUnavailable:
        raise HTTPException(
            status.HTTP_503_SERVICE_UNAVAILABLE,
            "Tokens cannot be checked right now; please try again in a moment.",
            headers={"Retry-After": "5"},
        ) from None
    request.state.verified_token = (token, principal)
    return principal


async def _check_membership(request: Request, principal: Principal) -> None:
    runtime = request.app.state.runtime
    check: MembershipCheck | None = getattr(runtime, "membership_check", None)
    if check is None or getattr(request.state, "membership_checked", False):
        return
    if not await check(runtime, principal):
        raise HTTPException(status.HTTP_403_FORBIDDEN, NOT_A_MEMBER)
    request.state.membership_checked = True


@answers(401)
async def current_principal(
    request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(bearer)
) -> Principal:
    if credentials is None:
        raise _unauthorized("A bearer token is required.")
    try:
        principal = await _verified(request, credentials.credentials)
    except InvalidToken:
        raise _unauthorized("The bearer token is invalid or has expired.") from None
    await _check_membership(request, principal)
    ACTING.set(principal)
    return principal


@answers(403)
async def refuse_former_members(
    request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(bearer)
) -> None:
    """On every route of a service with a membership check, routes open to anyone included:
    a valid token of someone who is no longer a member gets 403. An invalid token is left
    to the route, which ignores it when it needs none."""
    if credentials is None:
        return
    try:
        principal = await _verified(request, credentials.credentials)
    except (InvalidToken, HTTPException):
        return
    await _check_membership(request, principal)


def require_operator() -> Callable[..., Awaitable[Principal]]:
    @answers(403)
    async def dependency(principal: Principal = Depends(current_principal)) -> Principal:
        if "operator" not in principal.roles:
            raise HTTPException(status.HTTP_403_FORBIDDEN, "Only the operator may do this.")
        return principal

    return dependency


def require_org_role(*roles: Role, operator: bool = False) -> Callable[..., Awaitable[Principal]]:
    """A principal of the path's organisation `{org}` with one of `roles`; with
    `operator=True` the operator too, for any organisation."""

    @answers(403, 404)
    async def dependency(org: str, principal: Principal = Depends(current_principal)) -> Principal:
        if operator and "operator" in principal.roles:
            return principal
        if principal.org != org:
            raise HTTPException(status.HTTP_404_NOT_FOUND, NOT_FOUND)
        if not principal.roles.intersection(roles):
            raise HTTPException(
                status.HTTP_403_FORBIDDEN,
                f"This needs the role {' or '.join(roles)} in this organisation.",
            )
        return principal

    return dependency


def require_self_or_org_role(*roles: Role) -> Callable[..., Awaitable[Principal]]:
    """The volunteer named by `{volunteer_id}` in the path, or one of `roles` in `{org}`."""

    @answers(403, 404)
    async def dependency(
        org: str, volunteer_id: str, principal: Principal = Depends(current_principal)
    ) -> Principal:
        if principal.org != org:
            raise HTTPException(status.HTTP_404_NOT_FOUND, NOT_FOUND)
        if principal.roles.intersection(roles):
            return principal
        if "volunteer" in principal.roles:
            if principal.sub == volunteer_id:
                return principal
            raise HTTPException(status.HTTP_404_NOT_FOUND, NOT_FOUND)
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            f"This needs the volunteer themself or the role {' or '.join(roles)}.",
        )

    return dependency


def require_that_vcp() -> Callable[..., Awaitable[Principal]]:
    """The VCP named by `{vcp_id}` in the path, in `{org}`: what only they may do (register
    their own public key), not even an admin, who could otherwise appoint a key of their own."""

    @answers(403, 404)
    async def dependency(
        org: str, vcp_id: str, principal: Principal = Depends(current_principal)
    ) -> Principal:
        if principal.org != org:
            raise HTTPException(status.HTTP_404_NOT_FOUND, NOT_FOUND)
        if "vcp" not in principal.roles or principal.sub != vcp_id:
            raise HTTPException(
                status.HTTP_403_FORBIDDEN, f"Only VCP {vcp_id} themself may do this."
            )
        return principal

    return dependency


def require_role(*roles: Role) -> Callable[..., Awaitable[Principal]]:
    """A principal with one of `roles` in any organisation, for routes that hold nothing of
    one organisation (the regional centre's starter documents)."""

    @answers(403)
    async def dependency(principal: Principal = Depends(current_principal)) -> Principal:
        if not principal.roles.intersection(roles):
            raise HTTPException(
                status.HTTP_403_FORBIDDEN, f"This needs the role {' or '.join(roles)}."
            )
        return principal

    return dependency


def require_org_role_or_operator(*roles: Role) -> Callable[..., Awaitable[Principal]]:
    """The operator (who serves every organisation), or one of `roles` in `{org}`."""
    org_role = require_org_role(*roles)

    # Calls org_role itself (not through Depends), so it names org_role's answers too.
    @answers(403, 404)
    async def dependency(org: str, principal: Principal = Depends(current_principal)) -> Principal:
        if "operator" in principal.roles:
            return principal
        return await org_role(org, principal)

    return dependency
