"""The whole admission pillar through the pages alone, in Chromium (issue 13).

Four people, each in a browser of their own, and no API call from the test: the operator
signs in from the mail and registers an organisation with its first admin on /operator; the
admin signs in from the invitation, defines a youth-coach role, publishes the code and invites
a coordinator on /admin; a volunteer applies on /o/{org}/apply; the coordinator, signed in from
the invitation, records the interview on /coordinator; the volunteer signs in from the mail and
signs the code on /me; the coordinator records the VOG; the volunteer's page says "admitted".
The code is Markdown and reads as a document wherever it is shown. Publishing asks for a
confirmation that says how many volunteers must sign again and within how many days, and
the current text cannot be published again. Then the admin publishes version 2 and the
volunteer's page asks to sign again, while she stays admitted. Each role sees
only its own navigation; axe-core checks the pages in Dutch and English at 320 px; no code or
token is ever in a URL or in browser storage.

And the direct URL: a volunteer who types /coordinator is asked to sign in, comes back to
/coordinator after following the mail's link, and is told they have no access.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from typing import Any

import pytest
from playwright.async_api import Locator, Page, expect

from tests.support.browser import BrowserRecording
from tests.support.mail import mails_to
from tests.support.pages import (
    Person,
    assert_accessible,
    assert_navigation_shows,
    assert_nothing_leaked,
    check_page,
    follow_sign_in_link,
    open_browser,
    open_from_navigation,
    sign_in_from_mail,
)
from tests.support.web_platform import OPERATOR_EMAIL, WebPlatform

pytestmark = pytest.mark.e2e

CODE_V1 = (
    "# Gedragscode\n\n## 1. Respect\n\n- Wij gaan respectvol met elkaar om.\n"
    "- We zijn nooit alleen met een kind.\n"
)
CODE_V2 = CODE_V1 + "\n## 2. Foto's\n\nWe delen geen foto's van kinderen.\n"
WORKSPACES = {"Platformbeheer", "Beheer", "Coördinatie"}


async def until(page: Page, refresh: Callable[[], Awaitable[None]], check: Any) -> None:
    """Click the page's own refresh until `check` (an expectation) holds: what one page did
    reaches the other by events, a moment later."""
    for attempt in range(15):
        await refresh()
        try:
            await check()
            return
        except AssertionError:
            if attempt == 14:
                raise
            await page.wait_for_timeout(500)


async def register_organisation(operator: Person, org: str, name: str, admin_email: str) -> None:
    """On /operator: the organisation and its first admin, who is invited by mail."""
    page = operator.page
    await page.get_by_test_id("register-name").fill(name)
    await page.get_by_test_id("register-org-id").fill(org)
    await page.get_by_test_id("register-admin-name").fill("Ada Admin")
    await page.get_by_test_id("register-admin-email").fill(admin_email)
    await page.get_by_test_id("register-submit").click()
    await expect(page.get_by_test_id("register-done")).to_contain_text(admin_email)
    await expect(page.locator(f'[data-testid="org-row"][data-org="{org}"]')).to_contain_text(name)


async def operator_and_admin(
    new_context: Any, web: WebPlatform, org: str, name: str
) -> tuple[Person, Person]:
    """The operator signs in from the mail and registers the organisation on /operator; its
    admin, in a browser of their own, signs in from the invitation and opens /admin."""
    admin_email = f"admin-{org}@example.org"
    operator = await open_browser(new_context, web, BrowserRecording())
    await sign_in_from_mail(operator, web, OPERATOR_EMAIL, "/operator")
    await expect(operator.page.get_by_role("heading", level=1)).to_have_text("Platformbeheer")
    await register_organisation(operator, org, name, admin_email)
    admin = await open_browser(new_context, web, BrowserRecording())
    await follow_sign_in_link(admin, web, admin_email, after=0)
    await open_from_navigation(admin.page, "Beheer", "/admin")
    await expect(admin.page.get_by_role("heading", level=1)).to_have_text("Beheer")
    return operator, admin


async def define_youth_coach(admin: Person) -> None:
    """On /admin: a youth-coach role, which works with minors (so a VOG is needed)."""
    page = admin.page
    await page.get_by_test_id("role-id").fill("youth-coach")
    await page.get_by_test_id("role-title").fill("Jeugdtrainer")
    await page.get_by_test_id("role-minors").check()
    await page.get_by_test_id("role-save").click()
    await expect(page.get_by_test_id("role").filter(has_text="Jeugdtrainer")).to_contain_text(
        "180 dagen"
    )


async def apply_on_the_page(volunteer: Person, org: str, name: str, email: str) -> None:
    page = volunteer.page
    await page.goto(f"/o/{org}/apply")
    await page.get_by_test_id("apply-role-youth-coach").check()
    await page.get_by_test_id("apply-name").fill(name)
    await page.get_by_test_id("apply-email").fill(email)
    await page.get_by_test_id("apply-submit").click()
    done = page.get_by_test_id("apply-done")
    await expect(done).to_contain_text("Bedankt voor je aanmelding")
    await expect(done).to_contain_text("Justis")


async def switch_language(page: Page, name: str) -> None:
    await (
        page.get_by_role("navigation", name=re.compile("^(Taal|Language)$"))
        .get_by_role("link", name=name, exact=True)
        .click()
    )


async def assert_formatted(code: Locator, heading: str) -> None:
    """The code reads as a document: its headings are headings, no Markdown shows."""
    await expect(code.get_by_role("heading", level=2, name=heading)).to_be_visible()
    await expect(code.locator("li").first).to_be_visible()
    await expect(code).not_to_contain_text("##")


async def confirm_publishing(page: Page, consequence: str) -> None:
    """Publish asks first, saying what it means; axe checks the question."""
    await page.get_by_test_id("code-publish").click()
    dialog = page.get_by_test_id("code-confirm")
    await expect(dialog).to_be_visible()
    await expect(page.get_by_test_id("code-confirm-consequence")).to_have_text(consequence)
    await assert_accessible(page)


async def test_the_whole_admission_pillar_through_the_pages_alone(
    new_context: Any, web_platform: WebPlatform
) -> None:
    web = web_platform
    org = f"club-{uuid.uuid4().hex[:6]}"
    coordinator_email = f"coord-{org}@example.org"
    volunteer_email = f"anna-{org}@example.org"

    # 1. The operator signs in from the mail and registers the organisation with its admin.
    # 2. The admin signs in from the invitation, defines the role, publishes the code and
    #    invites the coordinator.
    operator, admin = await operator_and_admin(new_context, web, org, "Hockeyclub De Stick")
    await assert_navigation_shows(operator.page, {"Platformbeheer"}, {"Beheer", "Coördinatie"})
    await check_page(operator.page)
    await assert_navigation_shows(admin.page, {"Beheer"}, {"Platformbeheer", "Coördinatie"})
    await define_youth_coach(admin)
    await admin.page.get_by_test_id("code-text").fill(CODE_V1)
    # The preview beside the text shows it formatted.
    await assert_formatted(admin.page.get_by_test_id("code-preview"), "1. Respect")
    await confirm_publishing(admin.page, "Alle vrijwilligers moeten deze gedragscode ondertekenen.")
    await admin.page.get_by_test_id("code-confirm-cancel").click()
    await expect(admin.page.get_by_test_id("code-confirm")).to_be_hidden()
    await expect(admin.page.get_by_test_id("code-current")).to_have_text(
        "Jullie hebben nog geen gedragscode gepubliceerd."
    )
    await confirm_publishing(admin.page, "Alle vrijwilligers moeten deze gedragscode ondertekenen.")
    await admin.page.get_by_test_id("code-confirm-publish").click()
    await expect(admin.page.get_by_test_id("code-done")).to_have_text("Versie 1 is gepubliceerd.")
    # The published text again would be no new version: the button says why it is off.
    await expect(admin.page.get_by_test_id("code-publish")).to_be_disabled()
    await expect(admin.page.get_by_test_id("code-same")).to_contain_text("gelijk aan versie 1")
    await admin.page.get_by_test_id("member-name").fill("Cor Coach")
    await admin.page.get_by_test_id("member-email").fill(coordinator_email)
    await admin.page.get_by_test_id("member-role").select_option("coordinator")
    await admin.page.get_by_test_id("member-invite").click()
    await expect(admin.page.get_by_test_id("member-done")).to_be_visible()
    await expect(
        admin.page.get_by_test_id("member").filter(has_text=coordinator_email)
    ).to_be_visible()
    # The checklist says who receives the coordinators' mails: the member just invited.
    recipients = admin.page.get_by_test_id("mail-recipients-coordinators")
    await expect(recipients).to_contain_text(coordinator_email)
    await expect(recipients).to_have_attribute("data-override", "false")
    await check_page(admin.page)

    # 3. A volunteer applies on the organisation's page.
    volunteer = await open_browser(new_context, web, BrowserRecording())
    await apply_on_the_page(volunteer, org, "Anna de Vries", volunteer_email)
    await check_page(volunteer.page)

    # 4. The coordinator signs in from the invitation and records the interview.
    coordinator = await open_browser(new_context, web, BrowserRecording())
    await follow_sign_in_link(coordinator, web, coordinator_email, after=0)
    await open_from_navigation(coordinator.page, "Coördinatie", "/coordinator")
    await assert_navigation_shows(coordinator.page, {"Coördinatie"}, {"Platformbeheer", "Beheer"})
    rows = coordinator.page.get_by_test_id("coord-row").filter(has_text="Anna de Vries")
    await until(
        coordinator.page,
        coordinator.page.get_by_test_id("coord-refresh").click,
        lambda: expect(rows).to_have_count(1, timeout=2000),
    )
    await expect(rows).to_contain_text("Nog nodig: gesprek")
    await check_page(coordinator.page)
    await rows.get_by_test_id("coord-open").click()
    await expect(coordinator.page.locator("#doubt-rule")).to_contain_text("Twijfel je?")
    await coordinator.page.get_by_test_id("coord-outcome-proceed").check()
    await coordinator.page.get_by_test_id("coord-interview-submit").click()
    await expect(coordinator.page.get_by_test_id("coord-recorded")).to_contain_text("Anna de Vries")

    # 5. The volunteer signs in from the mail and signs the code on /me.
    await sign_in_from_mail(volunteer, web, volunteer_email)
    await assert_navigation_shows(volunteer.page, set(), WORKSPACES)
    status = volunteer.page.get_by_test_id("volunteer-status")
    await until(
        volunteer.page,
        volunteer.page.get_by_test_id("volunteer-refresh").click,
        lambda: expect(volunteer.page.get_by_test_id("volunteer-missing-interview")).to_have_count(
            0, timeout=2000
        ),
    )
    await expect(status).to_have_attribute("data-status", "pending")
    await expect(volunteer.page.get_by_test_id("volunteer-missing-code_signature")).to_be_visible()
    await assert_formatted(volunteer.page.get_by_test_id("volunteer-code"), "1. Respect")
    await check_page(volunteer.page)
    await volunteer.page.get_by_test_id("volunteer-full-name").fill("Anna de Vries")
    await volunteer.page.get_by_test_id("volunteer-sign").click()
    receipt = volunteer.page.get_by_test_id("volunteer-signed")
    await expect(receipt).to_contain_text("Anna de Vries")
    # The version and its date, never a hash.
    await expect(receipt).not_to_contain_text(hashlib.sha256(CODE_V1.encode()).hexdigest())
    await expect(receipt).not_to_contain_text("SHA")

    # 6. The coordinator records the VOG (the signature reached policy first).
    signed = rows.filter(has_text="Code getekend")
    await until(
        coordinator.page,
        coordinator.page.get_by_test_id("coord-stage-signed").click,
        lambda: expect(signed).to_have_count(1, timeout=2000),
    )
    await signed.get_by_test_id("coord-open").click()
    issued_on = (date.today() - timedelta(days=5)).isoformat()
    await coordinator.page.get_by_test_id("coord-vog-issued-on").fill(issued_on)
    await coordinator.page.get_by_test_id("coord-vog-checked-by").fill("Cor Coach")
    await coordinator.page.get_by_test_id("coord-vog-submit").click()
    await expect(coordinator.page.get_by_test_id("coord-recorded")).to_contain_text("VOG")

    # 7. The volunteer's page says "admitted".
    await until(
        volunteer.page,
        volunteer.page.get_by_test_id("volunteer-refresh").click,
        lambda: expect(status).to_have_attribute("data-status", "admitted", timeout=2000),
    )
    await expect(status).to_contain_text("toegelaten")
    await expect(volunteer.page.get_by_test_id("volunteer-vog-renewal")).to_be_visible()
    await check_page(volunteer.page)

    # A new version: the admin sees that one volunteer will sign again and publishes it.
    await open_from_navigation(admin.page, "Mijn organisaties", "/me")
    await open_from_navigation(admin.page, "Beheer", "/admin")
    # A section reads its data when it is opened (issue 26): the admin scrolls down to it.
    await admin.page.locator("#codes").scroll_into_view_if_needed()
    await expect(admin.page.get_by_test_id("code-current")).to_have_text(
        "Versie 1 is gepubliceerd."
    )
    # The published text fills the field when the page has loaded it: typing starts after
    # that, as a person's would (a fill racing the load would type at the end of it).
    await expect(admin.page.get_by_test_id("code-text")).to_have_value(CODE_V1)
    await expect(admin.page.get_by_test_id("code-publish")).to_be_disabled()
    await admin.page.get_by_test_id("code-text").fill(CODE_V2)
    await expect(admin.page.get_by_test_id("code-publish")).to_be_enabled()
    await expect(admin.page.get_by_test_id("code-diff")).to_contain_text(
        "+ We delen geen foto's van kinderen."
    )
    dutch = "1 vrijwilliger moet de nieuwe versie binnen 30 dagen ondertekenen."
    await expect(admin.page.get_by_test_id("code-sign-again")).to_have_text(dutch)
    # The question in English, then in Dutch, where the admin publishes.
    await switch_language(admin.page, "English")
    await confirm_publishing(admin.page, "1 volunteer must sign the new version within 30 days.")
    await expect(admin.page.get_by_test_id("code-confirm")).to_contain_text("stay admitted")
    await admin.page.get_by_test_id("code-confirm-cancel").click()
    await switch_language(admin.page, "Nederlands")
    await expect(admin.page.get_by_test_id("code-text")).to_have_value(CODE_V2)
    await confirm_publishing(admin.page, dutch)
    await admin.page.get_by_test_id("code-confirm-publish").click()
    await expect(admin.page.get_by_test_id("code-done")).to_have_text("Versie 2 is gepubliceerd.")
    await expect(admin.page.get_by_test_id("code-publish")).to_be_disabled()
    await check_page(admin.page)

    # The volunteer's page then asks to sign again.
    resign = volunteer.page.get_by_test_id("volunteer-resign")
    await until(
        volunteer.page,
        volunteer.page.get_by_test_id("volunteer-refresh").click,
        lambda: expect(resign).to_be_visible(timeout=2000),
    )
    await expect(resign).to_contain_text("versie 2")
    # Within the grace period she stays admitted, and signs the new version meanwhile.
    await expect(resign).to_contain_text("Tot dan blijf je gewoon toegelaten")
    await expect(status).to_have_attribute("data-status", "admitted")
    await assert_formatted(volunteer.page.get_by_test_id("volunteer-code"), "2. Foto's")
    await check_page(volunteer.page)
    await volunteer.page.get_by_test_id("volunteer-full-name").fill("Anna de Vries")
    await volunteer.page.get_by_test_id("volunteer-sign").click()
    await expect(receipt).to_contain_text("2, van")
    await until(
        volunteer.page,
        volunteer.page.get_by_test_id("volunteer-refresh").click,
        lambda: expect(resign).to_have_count(0, timeout=2000),
    )
    await expect(status).to_have_attribute("data-status", "admitted")

    for person in (operator, admin, coordinator, volunteer):
        await assert_nothing_leaked(person, web)
        await person.context.close()


async def test_a_volunteer_who_types_the_coordinator_address_is_told_they_have_no_access(
    new_context: Any, web_platform: WebPlatform
) -> None:
    web = web_platform
    org = f"koor-{uuid.uuid4().hex[:6]}"
    volunteer_email = f"bram-{org}@example.org"

    # The organisation and its role, through the pages as well.
    operator, admin = await operator_and_admin(new_context, web, org, "Koor Zangrijk")
    await define_youth_coach(admin)

    volunteer = await open_browser(new_context, web, BrowserRecording())
    await apply_on_the_page(volunteer, org, "Bram Bakker", volunteer_email)

    # Typed in the address bar: a full page load, so no session; the page asks to sign in.
    page = volunteer.page
    await page.goto("/coordinator")
    await expect(page.get_by_test_id("not-signed-in")).to_be_visible()
    await check_page(page)
    before = len(mails_to(web.maildir, volunteer_email))
    await page.get_by_test_id("workspace-sign-in").click()
    await page.get_by_test_id("sign-in-email").fill(volunteer_email)
    await page.get_by_test_id("sign-in-submit").click()
    await expect(page.get_by_test_id("sign-in-sent")).to_contain_text(volunteer_email)
    await follow_sign_in_link(volunteer, web, volunteer_email, before)

    # Back on /coordinator, signed in as a volunteer: no access, and no workspace links.
    await page.wait_for_url(lambda url: url.split("?")[0].endswith("/coordinator"))
    await expect(page.get_by_role("heading", level=1)).to_have_text("Geen toegang")
    await expect(page.get_by_test_id("no-access")).to_be_visible()
    await expect(page.get_by_test_id("coord-row")).to_have_count(0)
    await assert_navigation_shows(page, set(), WORKSPACES)
    await check_page(page)

    for person in (operator, admin, volunteer):
        await assert_nothing_leaked(person, web)
        await person.context.close()
