"""FastAPI dependencies that authenticate a request and bind it to one organisation.

Route handlers declare who may call them; the organisation in the path is checked against
the token here, once, so no handler can forget it. Another organisation's data answers
404, not 403, so that its existence is not confirmed.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from shared.auth.tokens import InvalidToken, Principal, Role, verify_token
from shared.runtime.openapi import answers

bearer = HTTPBearer(auto_error=False, description="A SafeHands access token (JWT, EdDSA).")

NOT_FOUND = "Not found."


@answers(401)
async def current_principal(
    request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(bearer)
) -> Principal:
    if credentials is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "A bearer token is required.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    try:
        return verify_token(credentials.credentials, request.app.state.runtime.jwt_public_key)
    except InvalidToken:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "The bearer token is invalid or has expired.",
            headers={"WWW-Authenticate": "Bearer"},
        ) from None


def require_operator() -> Callable[..., Awaitable[Principal]]:
    @answers(403)
    async def dependency(principal: Principal = Depends(current_principal)) -> Principal:
        if "operator" not in principal.roles:
            raise HTTPException(status.HTTP_403_FORBIDDEN, "Only the operator may do this.")
        return principal

    return dependency


def require_org_role(*roles: Role) -> Callable[..., Awaitable[Principal]]:
    """A principal of the path's organisation `{org}` with one of `roles`."""

    @answers(403, 404)
    async def dependency(org: str, principal: Principal = Depends(current_principal)) -> Principal:
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
