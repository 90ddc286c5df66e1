"""The web app's refresh token travels in an HttpOnly cookie, never through JavaScript.

A browser client opts in with the header `X-SafeHands-Session: cookie` on the exchange,
token and sign-out requests. identity then sets the refresh token as a cookie that scripts
cannot read (HttpOnly), that no other site's request carries (SameSite=Strict), scoped to
identity's path on the gateway, and answers `"refresh_token": ""` in the body; the next
request takes it from the cookie. The custom header also means a cross-site form cannot
make such a request. Clients without the header (scripts, apps) get the token in the body,
as the contract says.
"""

from __future__ import annotations

from datetime import timedelta

from fastapi import Request, Response

COOKIE_NAME = "safehands_refresh"
# Where the browser sees identity: the gateway's `/api/identity/` (docs/api.md, "Gateway").
COOKIE_PATH = "/api/identity/v1/"
SESSION_HEADER = "x-safehands-session"


def wants_cookie(request: Request) -> bool:
    return request.headers.get(SESSION_HEADER, "").strip().lower() == "cookie"


def hand_out(
    request: Request, response: Response, token: str, lifetime: timedelta, web_url: str
) -> str:
    """What goes into the body's `refresh_token`: the token, or "" when it went into the
    cookie instead."""
    if not wants_cookie(request):
        return token
    response.set_cookie(
        COOKIE_NAME,
        token,
        max_age=max(0, int(lifetime.total_seconds())),
        path=COOKIE_PATH,
        secure=web_url.startswith("https://"),
        httponly=True,
        samesite="strict",
    )
    return ""


def presented(request: Request, in_body: str) -> str:
    """The refresh token of this request: from the body, else from the cookie of a client
    that opted in."""
    if in_body or not wants_cookie(request):
        return in_body
    return request.cookies.get(COOKIE_NAME, "")


def forget(request: Request, response: Response, web_url: str) -> None:
    if wants_cookie(request):
        response.delete_cookie(
            COOKIE_NAME,
            path=COOKIE_PATH,
            secure=web_url.startswith("https://"),
            httponly=True,
            samesite="strict",
        )
