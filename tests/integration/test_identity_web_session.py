"""The web session's cookie on an HTTPS platform, and the Origin check (identity alone).

identity runs with `SAFEHANDS_WEB_URL=https://…`: the refresh cookie is then
`__Host-safehands_refresh` (Secure, Path=/, no Domain, HttpOnly, SameSite=Strict), and a
request that a page on another origin sent is refused before anything happens."""

from __future__ import annotations

import asyncio
import uuid

import httpx

from tests.support.mail import mails_to, wait_for_sign_in_code
from tests.support.platform import Platform

WEB = "https://safehands.example.test"
ADDRESS = f"operator-{uuid.uuid4().hex[:6]}@example.org"
ENV = {"SAFEHANDS_WEB_URL": WEB, "SAFEHANDS_OPERATOR_EMAILS": ADDRESS}
COOKIE = "__Host-safehands_refresh"
BROWSER = {"X-SafeHands-Session": "cookie", "Origin": WEB}
FOREIGN = "This request comes from another site than the platform's own address, so it is refused."


def attributes(set_cookie: str) -> tuple[str, str, set[str]]:
    """(name, value, the attributes lower-cased) of one Set-Cookie header."""
    first, *rest = (part.strip() for part in set_cookie.split(";"))
    name, _, value = first.partition("=")
    return name, value, {part.lower() for part in rest}


def test_https_cookie_and_foreign_origins(platform: Platform) -> None:
    identity = platform.start("identity", env=ENV)
    with identity.client() as client:
        before = len(mails_to(platform.infra.maildir, ADDRESS))
        assert client.post("/v1/sign-in", json={"email": ADDRESS}).status_code == 202
        code = asyncio.run(wait_for_sign_in_code(platform.infra.maildir, ADDRESS, after=before))

        # Another site's page (or a sandboxed one, "null") is refused, and the code is not
        # used up by it; so is a look-alike address on another port or scheme.
        for origin in (
            "https://evil.example",
            "null",
            f"{WEB}:8443",
            "http://safehands.example.test",
        ):
            refused = client.post(
                "/v1/sign-in/exchange", json={"code": code}, headers={**BROWSER, "Origin": origin}
            )
            assert refused.status_code == 403, (origin, refused.text)
            assert refused.json() == {"detail": FOREIGN}
            assert "set-cookie" not in refused.headers

        exchanged = client.post("/v1/sign-in/exchange", json={"code": code}, headers=BROWSER)
        assert exchanged.status_code == 200, exchanged.text
        assert exchanged.json()["refresh_token"] == ""
        name, first, attrs = attributes(exchanged.headers["set-cookie"])
        assert name == COOKIE and len(first) >= 43
        assert attrs == {"httponly", "max-age=43200", "path=/", "samesite=strict", "secure"}
        assert not any(a.startswith("domain") for a in attrs)

        def call(path: str, cookie: str, origin: str = WEB, **body: object) -> httpx.Response:
            return client.post(
                path,
                json=body,
                headers={**BROWSER, "Origin": origin, "Cookie": f"{COOKIE}={cookie}"},
            )

        # A reloaded page reads its session without using the token up.
        assert call("/v1/session", first, "https://evil.example").status_code == 403
        read = call("/v1/session", first)
        assert read.status_code == 200, read.text
        assert read.json()["memberships"][0]["roles"] == ["operator"]
        assert read.json()["preferred"]["roles"] == ["operator"]
        assert "set-cookie" not in read.headers

        assert call("/v1/tokens", first, "https://evil.example", org_id=None).status_code == 403
        renewed = call("/v1/tokens", first, org_id=None)
        assert renewed.status_code == 200, renewed.text
        assert renewed.json()["refresh_token"] == "" and renewed.json()["access_token"]
        name, second, attrs = attributes(renewed.headers["set-cookie"])
        assert name == COOKIE and second != first and "secure" in attrs

        # The plain name is not read on an HTTPS platform: the prefix is what the browser
        # guarantees, so a cookie without it could have been planted.
        plain = client.post(
            "/v1/tokens",
            json={"org_id": None},
            headers={**BROWSER, "Cookie": f"safehands_refresh={second}"},
        )
        assert plain.status_code == 401

        assert call("/v1/sign-out", second, "https://evil.example").status_code == 403
        signed_out = call("/v1/sign-out", second, everywhere=True)
        assert signed_out.status_code == 204
        name, value, attrs = attributes(signed_out.headers["set-cookie"])
        assert name == COOKIE and value in ("", '""')
        assert {"max-age=0", "path=/", "secure", "httponly", "samesite=strict"} <= attrs
        assert call("/v1/tokens", second, org_id=None).status_code == 401
        # A page that asks with the dead cookie is told so, and the cookie goes; a browser
        # without any is simply signed in nowhere (no error for every visitor).
        dead = call("/v1/session", second)
        assert dead.status_code == 401
        assert "max-age=0" in attributes(dead.headers["set-cookie"])[2]
        nobody = client.post("/v1/session", json={}, headers=BROWSER)
        assert nobody.status_code == 200
        assert nobody.json() == {"memberships": [], "preferred": None}
        # A script (no Origin, token in the body) is not a browser: no Origin to check.
        assert client.post("/v1/tokens", json={"refresh_token": "x"}).status_code == 401
