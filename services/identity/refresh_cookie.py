"""The web app's refresh token travels in an HttpOnly cookie, never through JavaScript.

A browser client opts in with the header `X-SafeHands-Session: cookie` on the exchange,
session, token and sign-out requests. identity then sets the refresh token as a cookie that
scripts cannot read (HttpOnly) and that no other site's request carries (SameSite=Strict),
and answers `"refresh_token": ""` in the body; the next request takes it from the cookie.
The custom header also means a cross-site form cannot make such a request, and a cross-site
script cannot send it without a CORS preflight that identity never grants; on top of that,
a request whose `Origin` is not the platform's own address (SAFEHANDS_WEB_URL) is refused.
Clients without the header (scripts, apps) get the token in the body, as the contract says.

Name and path (RFC 6265bis, cookie prefixes): on an HTTPS site the cookie is
`__Host-safehands_refresh`. The `__Host-` prefix makes the browser refuse it unless it is
Secure, has no Domain (so no sibling subdomain can set or overwrite it) and has Path=/. A
path scoped to `/api/identity/v1/` is therefore not allowed with that prefix; the gateway
(deploy/Caddyfile) instead drops the Cookie header from every request it forwards to
another service, so in effect only identity ever receives it. On plain HTTP (a local
`safehands up`) no prefix is possible, as both prefixes need Secure: the cookie is
`safehands_refresh`, scoped by its Path to identity's routes on the gateway.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from fastapi import HTTPException, Request, Response, status

BASE_NAME = "safehands_refresh"
# Where the browser sees identity: the gateway's `/api/identity/` (docs/api.md, "Gateway").
IDENTITY_PATH = "/api/identity/v1/"
SESSION_HEADER = "x-safehands-session"

FOREIGN_ORIGIN = (
    "This request comes from another site than the platform's own address, so it is refused."
)


@dataclass(frozen=True)
class CookieShape:
    name: str
    path: str
    secure: bool


def cookie_shape(web_url: str) -> CookieShape:
    """The cookie's name, path and Secure flag for the platform's address."""
    if urlsplit(web_url).scheme == "https":
        return CookieShape(name=f"__Host-{BASE_NAME}", path="/", secure=True)
    return CookieShape(name=BASE_NAME, path=IDENTITY_PATH, secure=False)


def origin_of(url: str) -> str:
    """`scheme://host[:port]` as a browser writes it in `Origin` (default ports left out)."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    port = parts.port
    default = {"http": 80, "https": 443}.get(scheme)
    return f"{scheme}://{host}" if port in (None, default) else f"{scheme}://{host}:{port}"


def check_origin(request: Request, web_url: str) -> None:
    """Refuse (403) a request that a browser sent from another origin. A request without
    `Origin` comes from a script or an app, not a page: browsers send it with every POST,
    and a page elsewhere can neither leave it out nor choose its value ("null" is refused)."""
    sent = request.headers.get("origin")
    if sent is None:
        return
    if sent.strip().lower() == "null" or origin_of(sent) != origin_of(web_url):
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail=FOREIGN_ORIGIN)


def wants_cookie(request: Request) -> bool:
    return request.headers.get(SESSION_HEADER, "").strip().lower() == "cookie"


def hand_out(
    request: Request, response: Response, token: str, lifetime: timedelta, web_url: str
) -> str:
    """What goes into the body's `refresh_token`: the token, or "" when it went into the
    cookie instead."""
    if not wants_cookie(request):
        return token
    shape = cookie_shape(web_url)
    response.set_cookie(
        shape.name,
        token,
        max_age=max(0, int(lifetime.total_seconds())),
        path=shape.path,
        secure=shape.secure,
        httponly=True,
        samesite="strict",
    )
    return ""


def presented(request: Request, in_body: str, web_url: str) -> str:
    """The refresh token of this request: from the body, else from the cookie of a client
    that opted in."""
    if in_body or not wants_cookie(request):
        return in_body
    return request.cookies.get(cookie_shape(web_url).name, "")


def forget(request: Request, response: Response, web_url: str) -> None:
    """Remove the cookie (`Max-Age=0`) for a client that opted in: at sign-out, and when the
    session it holds is over."""
    if wants_cookie(request):
        shape = cookie_shape(web_url)
        response.delete_cookie(
            shape.name,
            path=shape.path,
            secure=shape.secure,
            httponly=True,
            samesite="strict",
        )
