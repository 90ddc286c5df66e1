"""Passkeys in the browser (issue 20, item 2), in Chromium with a virtual authenticator over
the DevTools protocol: the operator signs in once by mail, adds a passkey on /me, signs out,
and signs in again with the passkey and no mail; /me lists the passkeys and the devices
(this one marked, a browser family, never an address), and removing the passkey ends the
session it started and makes it refused at the next sign-in. The refusals that need an
answer the browser would never make (another origin, a counter that went back) are
API-level: tests/integration/test_identity_passkeys.py.

The platform's address is `http://localhost:<port>` here: WebAuthn takes no IP address as a
relying party id. Throughout, the usual: only identity's HttpOnly cookie, no token in
storage or URL, every request to this origin."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.async_api import expect

from tests.support.browser import BrowserRecording
from tests.support.mail import mails_to
from tests.support.pages import (
    assert_accessible,
    assert_fits_320_pixels,
    assert_nothing_leaked,
    check_page,
    open_browser,
    sign_in_from_mail,
)
from tests.support.platform import Infrastructure
from tests.support.web_platform import OPERATOR_EMAIL, WebPlatform, start_web_platform

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def web_platform(infra: Infrastructure, web_app_built: None) -> Iterator[WebPlatform]:
    running = start_web_platform(infra, {}, host="localhost")
    try:
        yield running
    finally:
        running.platform.stop_all()


def at(path: str) -> re.Pattern[str]:
    return re.compile(f"{re.escape(path)}(\\?.*)?$")


async def test_a_passkey_signs_in_without_mail(
    new_context: Any, web_platform: WebPlatform, recording: BrowserRecording
) -> None:
    web = web_platform
    person = await open_browser(new_context, web, recording)
    page = person.page
    cdp = await person.context.new_cdp_session(page)
    await cdp.send("WebAuthn.enable")
    added = await cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    authenticator = added["authenticatorId"]

    # The first sign-in is by mail; /me offers a passkey.
    await sign_in_from_mail(person, web, OPERATOR_EMAIL, "/me")
    await expect(page.get_by_test_id("no-passkeys")).to_be_visible()
    await expect(page.get_by_test_id("device")).to_have_count(1)
    [device] = await page.get_by_test_id("device").all()
    await expect(device).to_have_attribute("data-current", "true")
    await expect(device).to_contain_text("on Linux")
    await expect(page.get_by_test_id("devices")).not_to_contain_text(OPERATOR_EMAIL)

    await page.get_by_test_id("passkey-label").fill("Werklaptop")
    await page.get_by_test_id("passkey-add").click()
    await expect(page.get_by_test_id("passkey")).to_have_count(1)
    await expect(page.get_by_test_id("passkey")).to_contain_text("Werklaptop")
    credentials = await cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})
    [credential] = credentials["credentials"]
    assert credential["isResidentCredential"] is True
    assert credential["rpId"] == "localhost"
    await check_page(page)
    await assert_fits_320_pixels(page)

    # Signed out, then in again with the passkey: no address typed, no mail sent.
    await page.get_by_test_id("sign-out").click()
    await page.wait_for_url(re.compile(r"/sign-in"))
    mails = len(mails_to(web.maildir, OPERATOR_EMAIL))
    await page.goto("/sign-in")
    await assert_accessible(page)
    await page.get_by_test_id("passkey-sign-in").click()
    await page.wait_for_url(at("/operator"))
    assert len(mails_to(web.maildir, OPERATOR_EMAIL)) == mails

    # The session holds over a reload, like one begun by a link.
    await page.reload()
    await page.wait_for_url(at("/operator"))
    await page.goto("/me")
    await expect(page.get_by_test_id("passkey")).to_contain_text("Werklaptop")
    # The mailed session ended at the sign-out: only this one is left, begun by the passkey.
    await expect(page.get_by_test_id("device")).to_have_count(1)
    [device] = await page.get_by_test_id("device").all()
    await expect(device).to_have_attribute("data-current", "true")
    await expect(device).to_contain_text(re.compile("passkey", re.IGNORECASE))
    await assert_nothing_leaked(person, web)

    # Removing the passkey ends the session it began: a reload finds nobody signed in.
    await page.get_by_test_id("passkey").get_by_role("button").click()
    await expect(page.get_by_test_id("no-passkeys")).to_be_visible()
    await page.reload()
    await expect(page.get_by_role("link", name=re.compile("^(Inloggen|Sign in)$"))).to_be_visible()
    await expect(page.get_by_test_id("passkey")).to_have_count(0)

    # The authenticator still holds it, but the platform refuses it now.
    await page.goto("/sign-in?lang=en")
    await page.get_by_test_id("passkey-sign-in").click()
    await expect(page.get_by_test_id("passkey-error")).to_contain_text(
        "This passkey is not known here"
    )
    assert len(mails_to(web.maildir, OPERATOR_EMAIL)) == mails
    await recording.settle()
    assert recording.csp_violations == [] and recording.page_errors == []
    assert recording.requests_to_other_origins(web.origin) == []


async def test_operators_are_listed_added_and_removed_on_the_operator_page(
    new_context: Any, web_platform: WebPlatform, recording: BrowserRecording
) -> None:
    """Issue 20, item 6: on /operator the operators are listed like members (oneself marked
    and not removable), one is added by address and removed again."""
    web = web_platform
    person = await open_browser(new_context, web, recording)
    page = person.page
    await sign_in_from_mail(person, web, OPERATOR_EMAIL, "/operator")
    section = page.get_by_test_id("operators")
    await expect(section.get_by_test_id("operator")).to_have_count(1)
    [me] = await section.get_by_test_id("operator").all()
    await expect(me).to_contain_text(OPERATOR_EMAIL)
    await expect(me.get_by_role("button")).to_have_count(0)

    await section.get_by_test_id("operator-email").fill("no address")
    await section.get_by_test_id("operator-add").click()
    await expect(section.get_by_test_id("operator-error")).to_be_visible()
    await section.get_by_test_id("operator-email").fill("Tweede@Example.org")
    await section.get_by_test_id("operator-add").click()
    await expect(section.get_by_test_id("operator")).to_have_count(2)
    second = section.get_by_test_id("operator").filter(has_text="tweede@example.org")
    await expect(second.get_by_role("button")).to_be_visible()
    await check_page(page)

    await second.get_by_role("button").click()
    await expect(section.get_by_test_id("operator")).to_have_count(1)
    await expect(section.get_by_test_id("operators-done")).to_contain_text("tweede@example.org")
    await assert_nothing_leaked(person, web)
