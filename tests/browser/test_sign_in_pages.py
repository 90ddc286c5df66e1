"""The sign-in pages in Chromium against identity, through the gateway (issue 11).

A person who is admin of one organisation and coordinator of another signs in with the link
from their mail: the code leaves the URL at once, a chooser offers both memberships, /me lists
them with their roles, the navigation shows only what the chosen roles open, and nothing is
in browser storage but identity's HttpOnly sign-in cookie. Signing out ends it and removes
the cookie; the next sign-in starts in the membership used last; the same link a second
time offers a new one.
An unknown address gets the same confirmation; so does an address past its limit.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import pytest
from playwright.async_api import BrowserContext, Page, expect

from tests.support.browser import BrowserRecording, axe_violations, describe_violations
from tests.support.mail import links_in, mails_to, sign_in_by_api, wait_for_mail
from tests.support.pages import assert_only_the_sign_in_cookie
from tests.support.web_platform import OPERATOR_EMAIL, WebPlatform

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def web_platform_env() -> dict[str, str]:
    # Low enough that the test of the limit needs few requests; the others stay below it.
    return {"SAFEHANDS_SIGN_IN_LIMIT_PER_ADDRESS": "2"}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="module")
def orgs(web_platform: WebPlatform) -> Iterator[tuple[str, str]]:
    """Two organisations, registered by the operator."""
    pair = (f"club-{uuid.uuid4().hex[:6]}", f"koor-{uuid.uuid4().hex[:6]}")
    with web_platform.api("policy") as policy:
        for org_id, name in zip(pair, ("Voetbalclub De Bal", "Koor Zangrijk"), strict=True):
            answer = policy.post(
                "/v1/orgs",
                json={"org_id": org_id, "name": name, "language": "nl"},
                headers=bearer(web_platform.token("operator")),
            )
            assert answer.status_code == 201, answer.text
    yield pair


async def test_a_member_of_two_organisations_signs_in_chooses_and_signs_out(
    page: Page,
    context: BrowserContext,
    recording: BrowserRecording,
    web_platform: WebPlatform,
    orgs: tuple[str, str],
) -> None:
    club, choir = orgs
    person = f"lid-{uuid.uuid4().hex[:6]}@example.org"
    operator = bearer(await sign_in_by_api(web_platform, OPERATOR_EMAIL))
    with web_platform.api("identity") as identity:
        for org_id, roles in ((club, ["admin"]), (choir, ["coordinator"])):
            invited = identity.post(
                f"/v1/orgs/{org_id}/members",
                json={"email": person, "name": "Lotte Lid", "roles": roles},
                headers=operator,
            )
            assert invited.status_code == 201, invited.text
    invitations = len(await wait_for_mail(web_platform.maildir, person, count=2))

    await page.goto("/sign-in")
    assert await axe_violations(page) == []
    await page.get_by_test_id("sign-in-email").fill(person)
    await page.get_by_test_id("sign-in-submit").click()
    await expect(page.get_by_test_id("sign-in-sent")).to_contain_text(person)
    mail = (await wait_for_mail(web_platform.maildir, person, count=invitations + 1))[-1]
    [link] = [url for url in links_in(mail) if "/sign-in/callback#code=" in url]
    code = link.split("#code=")[1]

    await page.goto(link)
    await expect(page.get_by_role("heading", level=1)).to_have_text("Waarmee wil je verder?")
    # The code left the address before anything else happened, and went out once, in a body.
    assert "code" not in page.url and code not in await page.evaluate("location.href")
    await recording.settle()
    carrying = recording.requests_containing(code)
    assert [(r.method, r.url.split("/api/")[-1]) for r in carrying] == [
        ("POST", "identity/v1/sign-in/exchange")
    ]
    memberships = page.get_by_test_id("membership")
    await expect(memberships).to_have_count(2)
    await expect(memberships.filter(has_text="Voetbalclub De Bal")).to_contain_text("beheerder")
    await expect(memberships.filter(has_text="Koor Zangrijk")).to_contain_text("coördinator")
    violations = await axe_violations(page)
    assert violations == [], describe_violations(violations)

    # The chosen membership opens its own page; the chooser stays one click away.
    await memberships.filter(has_text="Voetbalclub De Bal").get_by_role("button").click()
    await page.wait_for_url(re.compile(r"/admin$"))
    navigation = page.get_by_test_id("session-nav")
    await navigation.get_by_role("link", name="Mijn organisaties").click()
    await page.wait_for_url(re.compile(r"/me$"))
    await expect(page.get_by_role("heading", level=1)).to_have_text("Jouw organisaties")
    await expect(navigation.get_by_role("link", name="Beheer")).to_be_visible()
    await expect(navigation.get_by_role("link", name="Coördinatie")).to_have_count(0)
    await expect(page.get_by_test_id("membership")).to_have_count(2)
    violations = await axe_violations(page)
    assert violations == [], describe_violations(violations)

    # Switching organisation: a new access token, and the navigation follows its roles.
    await (
        page.get_by_test_id("membership")
        .filter(has_text="Koor Zangrijk")
        .get_by_role("button")
        .click()
    )
    await expect(navigation.get_by_role("link", name="Coördinatie")).to_be_visible()
    await expect(navigation.get_by_role("link", name="Beheer")).to_have_count(0)

    # The access token lives in memory only; the refresh token in identity's HttpOnly cookie,
    # nothing in localStorage, sessionStorage or IndexedDB.
    state = await context.storage_state(indexed_db=True)
    assert state["origins"] == [], state
    assert_only_the_sign_in_cookie(state["cookies"])
    assert await page.evaluate("sessionStorage.length + localStorage.length") == 0
    assert await page.evaluate("document.cookie") == ""
    await recording.settle()
    assert not [r.url for r in recording.requests if re.search(r"[?#&](code|token)", r.url)]

    await page.get_by_test_id("sign-out").click()
    await page.wait_for_url(re.compile(r"/sign-in$"))
    await expect(page.get_by_test_id("signed-out")).to_have_text("Je bent uitgelogd.")
    assert any(r.url.endswith("/api/identity/v1/sign-out") for r in recording.requests)
    # Signing out removed the cookie: a reload finds no session.
    assert await context.cookies() == []
    await page.goto("/me")
    await expect(page.get_by_text("Je bent niet ingelogd.")).to_be_visible()

    # The next sign-in starts in the membership used last (the choir's), with no chooser.
    before = len(mails_to(web_platform.maildir, person))
    await page.goto("/sign-in")
    await page.get_by_test_id("sign-in-email").fill(person)
    await page.get_by_test_id("sign-in-submit").click()
    mail = (await wait_for_mail(web_platform.maildir, person, count=before + 1))[-1]
    [again] = [url for url in links_in(mail) if "/sign-in/callback#code=" in url]
    await page.goto(again)
    await page.wait_for_url(re.compile(r"/coordinator$"))
    await expect(navigation.get_by_role("link", name="Coördinatie")).to_be_visible()
    await page.get_by_test_id("sign-out").click()
    await page.wait_for_url(re.compile(r"/sign-in$"))

    # The same link again: it was used, so the page offers a new one.
    await page.goto(link)
    await expect(page.get_by_role("heading", level=1)).to_have_text("Deze link werkt niet meer")
    await page.get_by_test_id("new-link").click()
    await expect(page.get_by_test_id("sign-in-email")).to_be_visible()
    assert recording.csp_violations == [] and recording.page_errors == []
    assert recording.requests_to_other_origins(web_platform.origin) == []


async def test_an_unknown_address_gets_the_same_confirmation_and_no_mail(
    page: Page, web_platform: WebPlatform
) -> None:
    shown = []
    unknown = f"niemand-{uuid.uuid4().hex[:6]}@example.org"
    known_before = len(mails_to(web_platform.maildir, OPERATOR_EMAIL))
    # The unknown address first: once the known one's later mail arrived, the other would have.
    for address in (unknown, OPERATOR_EMAIL):
        await page.goto("/sign-in?lang=en")
        await page.get_by_test_id("sign-in-email").fill(address)
        await page.get_by_test_id("sign-in-submit").click()
        confirmation = page.get_by_test_id("sign-in-sent")
        await expect(confirmation).to_be_visible()
        shown.append((await confirmation.inner_text()).replace(address, "ADDRESS"))
    assert shown[0] == shown[1]
    await wait_for_mail(web_platform.maildir, OPERATOR_EMAIL, count=known_before + 1)
    assert mails_to(web_platform.maildir, unknown) == []


async def test_past_the_address_limit_the_page_confirms_the_same(page: Page) -> None:
    # Anyone can type an address: past its limit the answer is the same confirmation (and no
    # mail), never a refusal that would lock its owner out (issue 19). A client flooding
    # still gets 429, which the page words with the wait (SignIn.svelte).
    address = f"ongeduldig-{uuid.uuid4().hex[:6]}@example.org"
    await page.goto("/sign-in")
    for attempt in range(3):
        if attempt:
            await page.get_by_role("button", name="Een nieuwe link vragen").click()
        await page.get_by_test_id("sign-in-email").fill(address)
        await page.get_by_test_id("sign-in-submit").click()
        await expect(page.get_by_test_id("sign-in-sent")).to_be_visible()
    await expect(page.locator("#sign-in-error")).to_have_count(0)


async def test_a_malformed_address_is_refused_in_the_page(page: Page) -> None:
    await page.goto("/sign-in?lang=en")
    await page.get_by_test_id("sign-in-email").fill("not an address")
    await page.get_by_test_id("sign-in-submit").click()
    await expect(page.locator("#sign-in-error")).to_have_text(
        "Fill in a valid e-mail address, like name@example.org."
    )
    violations = await axe_violations(page)
    assert violations == [], describe_violations(violations)
