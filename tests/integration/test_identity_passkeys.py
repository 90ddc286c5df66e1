"""Passkeys and signed-in devices (issue 20, item 2), against identity alone, with a
software authenticator (tests/support/passkeys.py) whose answers the test shapes: a passkey
is added by a signed-in person and then signs in with no mail, answered like a link's
exchange (the same cookie); an answer for another origin, a counter that went back, a used
challenge and a removed passkey are refused; the person sees their devices (a browser
family, never an address) and signs one out; removing a passkey ends the sessions it began."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx

from tests.support.mail import mails_to, wait_for_sign_in_code
from tests.support.passkeys import SoftPasskey
from tests.support.platform import Platform

WEB = "https://safehands.example.test"
RP_ID = "safehands.example.test"
ADDRESS = f"operator-{uuid.uuid4().hex[:6]}@example.org"
# A low per-client limit, to see it apply to passkey challenges too (apart from mail's).
ENV = {
    "SAFEHANDS_WEB_URL": WEB,
    "SAFEHANDS_OPERATOR_EMAILS": ADDRESS,
    "SAFEHANDS_SIGN_IN_LIMIT_PER_CLIENT": "8",
}
COOKIE = "__Host-safehands_refresh"
FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
CHROMIUM = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
BROWSER = {"X-SafeHands-Session": "cookie", "Origin": WEB, "User-Agent": CHROMIUM}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def access_token(client: httpx.Client, refresh_token: str) -> tuple[str, str]:
    renewed = client.post("/v1/tokens", json={"refresh_token": refresh_token, "org_id": None})
    assert renewed.status_code == 200, renewed.text
    return renewed.json()["access_token"], renewed.json()["refresh_token"]


def sign_in_by_mail(client: httpx.Client, platform: Platform) -> str:
    before = len(mails_to(platform.infra.maildir, ADDRESS))
    assert client.post("/v1/sign-in", json={"email": ADDRESS}).status_code == 202
    code = asyncio.run(wait_for_sign_in_code(platform.infra.maildir, ADDRESS, after=before))
    exchanged = client.post(
        "/v1/sign-in/exchange", json={"code": code}, headers={"User-Agent": FIREFOX}
    )
    assert exchanged.status_code == 200, exchanged.text
    return str(exchanged.json()["refresh_token"])


def sign_in_options(client: httpx.Client) -> dict[str, Any]:
    options = client.post("/v1/sign-in/passkey/options", headers=BROWSER)
    assert options.status_code == 200, options.text
    body: dict[str, Any] = options.json()
    assert body["rpId"] == RP_ID and body["userVerification"] == "required"
    assert "allowCredentials" not in body or body["allowCredentials"] == []
    return body


def test_passkey_sign_in_devices_and_refusals(platform: Platform) -> None:
    identity = platform.start("identity", env=ENV)
    with identity.client() as client:
        refresh = sign_in_by_mail(client, platform)
        token, refresh = access_token(client, refresh)

        # Adding a passkey needs a signed-in person.
        assert client.post("/v1/passkeys/registration/options").status_code == 401
        options = client.post("/v1/passkeys/registration/options", headers=bearer(token))
        assert options.status_code == 200, options.text
        created = options.json()
        assert created["rp"] == {"id": RP_ID, "name": "SafeHands"}
        assert created["authenticatorSelection"]["residentKey"] == "required"
        assert ADDRESS not in created["user"]["id"]
        passkey = SoftPasskey(RP_ID, created["user"]["id"])

        # An answer made on another site is not added (and its challenge stays unused
        # only for that site: the right answer still goes through once).
        foreign = client.post(
            "/v1/passkeys",
            json={"credential": passkey.registration(created, "https://evil.example")},
            headers=bearer(token),
        )
        assert foreign.status_code == 400, foreign.text
        options = client.post("/v1/passkeys/registration/options", headers=bearer(token)).json()
        added = client.post(
            "/v1/passkeys",
            json={"credential": passkey.registration(options, WEB), "label": "Laptop"},
            headers=bearer(token),
        )
        assert added.status_code == 201, added.text
        passkey_id = added.json()["passkey_id"]
        assert added.json()["label"] == "Laptop"
        # A challenge works once.
        again = client.post(
            "/v1/passkeys",
            json={"credential": passkey.registration(options, WEB)},
            headers=bearer(token),
        )
        assert again.status_code == 400
        listed = client.get("/v1/passkeys", headers=bearer(token))
        assert [p["passkey_id"] for p in listed.json()] == [passkey_id]
        assert listed.json()[0]["last_used_at"] is None

        # Signing in with it: no mail, and the exchange's answer and cookie.
        mails = len(mails_to(platform.infra.maildir, ADDRESS))
        options = sign_in_options(client)
        signed_in = client.post(
            "/v1/sign-in/passkey",
            json={"credential": passkey.assertion(options, WEB)},
            headers=BROWSER,
        )
        assert signed_in.status_code == 200, signed_in.text
        body = signed_in.json()
        assert body["refresh_token"] == ""
        assert body["memberships"][0]["roles"] == ["operator"]
        assert body["preferred"]["roles"] == ["operator"]
        assert signed_in.headers["set-cookie"].startswith(f"{COOKIE}=")
        passkey_cookie = signed_in.cookies[COOKIE]
        assert len(mails_to(platform.infra.maildir, ADDRESS)) == mails
        with_cookie = {**BROWSER, "Cookie": f"{COOKIE}={passkey_cookie}"}
        renewed = client.post("/v1/tokens", json={"org_id": None}, headers=with_cookie)
        assert renewed.status_code == 200, renewed.text
        passkey_cookie = renewed.cookies[COOKIE]
        with_cookie = {**BROWSER, "Cookie": f"{COOKIE}={passkey_cookie}"}

        # The same answer again: its challenge is used up.
        replayed = client.post(
            "/v1/sign-in/passkey",
            json={"credential": passkey.assertion(options, WEB)},
            headers=BROWSER,
        )
        assert replayed.status_code == 401
        assert "expired or was already used" in replayed.json()["detail"]

        # An answer made for another site.
        foreign = client.post(
            "/v1/sign-in/passkey",
            json={"credential": passkey.assertion(sign_in_options(client), "https://evil.example")},
            headers=BROWSER,
        )
        assert foreign.status_code == 401
        assert foreign.json()["detail"] == (
            "This passkey answer was made for another site than this platform: it is refused."
        )
        assert "set-cookie" not in foreign.headers

        # A counter that goes back (a copied passkey): refused, and the counter kept.
        back = client.post(
            "/v1/sign-in/passkey",
            json={"credential": passkey.assertion(sign_in_options(client), WEB, counter=1)},
            headers=BROWSER,
        )
        assert back.status_code == 401
        assert "counter went back" in back.json()["detail"]
        passkey.counter = 10
        forward = client.post(
            "/v1/sign-in/passkey",
            json={"credential": passkey.assertion(sign_in_options(client), WEB)},
            headers=BROWSER,
        )
        assert forward.status_code == 200, forward.text
        second_refresh = forward.cookies[COOKIE]

        # The devices: a browser family each, never an address; this one marked.
        devices = client.get("/v1/sessions", headers={**bearer(token), **with_cookie})
        assert devices.status_code == 200, devices.text
        seen = devices.json()
        assert len(seen) == 3
        assert ADDRESS not in devices.text and "Mozilla" not in devices.text
        assert sorted(d["device"] for d in seen) == [
            "Chrome on Linux",
            "Chrome on Linux",
            "Firefox on Windows",
        ]
        [current] = [d for d in seen if d["current"]]
        assert current["with_passkey"] is True
        [by_mail] = [d for d in seen if not d["with_passkey"]]

        # Signing a device out ends its chain (here the mailed one, whose token we hold).
        assert client.delete("/v1/sessions/nope", headers=bearer(token)).status_code == 404
        ended = client.delete(f"/v1/sessions/{by_mail['session_id']}", headers=bearer(token))
        assert ended.status_code == 204
        dead = client.post("/v1/tokens", json={"refresh_token": refresh, "org_id": None})
        assert dead.status_code == 401
        assert len(client.get("/v1/sessions", headers=bearer(token)).json()) == 2

        # Removing the passkey ends the sessions it started, and it signs in no more.
        assert client.delete("/v1/passkeys/nope", headers=bearer(token)).status_code == 404
        removed = client.delete(f"/v1/passkeys/{passkey_id}", headers=bearer(token))
        assert removed.status_code == 204
        assert client.get("/v1/passkeys", headers=bearer(token)).json() == []
        for cookie in (passkey_cookie, second_refresh):
            after = client.post(
                "/v1/tokens",
                json={"org_id": None},
                headers={**BROWSER, "Cookie": f"{COOKIE}={cookie}"},
            )
            assert after.status_code == 401, after.text
        gone = client.post(
            "/v1/sign-in/passkey",
            json={"credential": passkey.assertion(sign_in_options(client), WEB)},
            headers=BROWSER,
        )
        assert gone.status_code == 401
        assert "not known here" in gone.json()["detail"]
        assert client.get("/v1/sessions", headers=bearer(token)).json() == []

        # The passkey routes are for this platform's pages only.
        evil = {**BROWSER, "Origin": "https://evil.example"}
        assert client.post("/v1/sign-in/passkey/options", headers=evil).status_code == 403

        # Each answer stores a challenge: one client gets only so many.
        answers = [client.post("/v1/sign-in/passkey/options", headers=BROWSER) for _ in range(6)]
        assert [a.status_code for a in answers].count(429) >= 1
        limited = next(a for a in answers if a.status_code == 429)
        assert int(limited.headers["retry-after"]) >= 1
