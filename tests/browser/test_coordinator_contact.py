"""The coordinator reaches a new applicant (issue 21 items 2 and 7), in Chromium.

A volunteer applies with a phone number and a short motivation; the form says in one
sentence who sees these and how long they are kept. The coordinator, signed in, opens the
"new application" mail's link: one click lands on the volunteer's detail with e-mail, phone
and motivation. Both pages are axe-clean in Dutch and English, at 320 and 1280 px. On a
desktop the pipeline and the operator's organisations are tables sortable by column with the
detail beside them; at 320 px cards, the detail below (or instead of the list).
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from playwright.async_api import Page, Route, expect

from tests.browser.test_admission_walk import define_youth_coach, operator_and_admin
from tests.support.browser import BrowserRecording
from tests.support.mail import links_in, mails_to, wait_for_mail
from tests.support.pages import (
    assert_accessible,
    assert_fits,
    assert_nothing_leaked,
    check_page,
    follow_sign_in_link,
    open_browser,
)
from tests.support.web_platform import WebPlatform

pytestmark = pytest.mark.e2e

PHONE = "+31 (0)6-1234 5678"
MOTIVATION = "Ik train zelf al tien jaar.\nEn ik wil graag iets terugdoen."


async def at_both_widths(page: Page) -> None:
    """axe-clean and no sideways scrolling at 1280 px and at 320 px (where it ends)."""
    for width in (1280, 320):
        await page.set_viewport_size({"width": width, "height": 900})
        await assert_fits(page)
        await assert_accessible(page)


async def test_a_coordinator_reaches_a_new_applicant_from_the_mail_in_one_click(
    new_context: Any, web_platform: WebPlatform
) -> None:
    web = web_platform
    org = f"club-{uuid.uuid4().hex[:6]}"
    coordinator_email = f"coord-{org}@example.org"
    volunteer_email = f"anna-{org}@example.org"
    operator, admin = await operator_and_admin(new_context, web, org, "Hockeyclub De Stick")
    await define_youth_coach(admin)
    await admin.page.get_by_test_id("member-name").fill("Cor Coach")
    await admin.page.get_by_test_id("member-email").fill(coordinator_email)
    await admin.page.get_by_test_id("member-role").select_option("coordinator")
    await admin.page.get_by_test_id("member-invite").click()
    await expect(admin.page.get_by_test_id("member-done")).to_be_visible()
    coordinator = await open_browser(new_context, web, BrowserRecording())
    await follow_sign_in_link(coordinator, web, coordinator_email, after=0)

    # The volunteer applies with a phone number and a motivation; the form says who sees them.
    volunteer = await open_browser(new_context, web, BrowserRecording())
    page = volunteer.page
    await page.goto(f"/o/{org}/apply")
    privacy = page.get_by_test_id("apply-privacy")
    await expect(privacy).to_have_text(
        "Alleen de coördinatoren van Hockeyclub De Stick zien je telefoonnummer en motivatie."
        " We wissen ze met je andere gegevens 730 dagen nadat je aanmelding of je"
        " vrijwilligerswerk is afgelopen."
    )
    await page.get_by_test_id("apply-role-youth-coach").check()
    await page.get_by_test_id("apply-name").fill("Anna de Vries")
    await page.get_by_test_id("apply-email").fill(volunteer_email)
    # What cannot be a number is refused beside its field, before any request.
    await page.get_by_test_id("apply-phone").fill("bel me")
    await page.get_by_test_id("apply-submit").click()
    await expect(page.locator("#apply-phone-error")).to_contain_text("telefoonnummer")
    await expect(page.get_by_test_id("apply-phone")).to_be_focused()
    await check_page(page)
    await at_both_widths(page)
    await page.get_by_test_id("apply-phone").fill(f"  {PHONE} ")
    await page.get_by_test_id("apply-motivation").fill(MOTIVATION)
    await page.get_by_test_id("apply-submit").click()
    await expect(page.get_by_test_id("apply-done")).to_contain_text("Bedankt voor je aanmelding")

    # The "new application" mail's link: one click, and the coordinator sees how to reach her.
    before = len(mails_to(web.maildir, coordinator_email))
    mails = await wait_for_mail(web.maildir, coordinator_email, count=before + 1, timeout=60)
    [mail] = [m for m in mails if str(m["X-SafeHands-Kind"]) == "new_application"]
    [link] = [link for link in links_in(mail) if "/coordinator/volunteers/" in link]
    assert link.startswith(web.url)
    # The mail can be faster than policy (both read the same event): the volunteer's own
    # row is not there yet when the link is followed (its first read answered 404 here, as
    # CI once met it). The page shows her once the list has her, without a refresh.
    volunteer_id = link.rsplit("/", 1)[1]
    row_url = f"**/api/policy/v1/orgs/{org}/volunteers/{volunteer_id}"
    not_yet = {"first": True}

    async def not_there_yet(route: Route) -> None:
        if not_yet.pop("first", False):
            await route.fulfill(status=404, json={"detail": "Volunteer not found."})
        else:
            await route.continue_()

    await coordinator.page.route(row_url, not_there_yet)
    await coordinator.page.goto(link)
    contact = coordinator.page.get_by_test_id("coord-contact")
    await expect(coordinator.page.get_by_test_id("coord-selected")).to_contain_text("Anna de Vries")
    await expect(contact.get_by_test_id("coord-contact-email")).to_have_text(volunteer_email)
    await expect(contact.get_by_test_id("coord-contact-phone")).to_have_text(PHONE)
    await expect(contact.get_by_test_id("coord-contact-motivation")).to_have_text(MOTIVATION)
    await expect(contact).to_contain_text("Telefoon")
    await check_page(coordinator.page)
    await at_both_widths(coordinator.page)
    await (
        coordinator.page.get_by_role("navigation", name="Taal")
        .get_by_role("link", name="English", exact=True)
        .click()
    )
    await expect(contact).to_contain_text("Phone")
    await at_both_widths(coordinator.page)

    # Item 7: on a desktop the pipeline is a table sortable by column, with the detail beside
    # it; at 320 px the rows are cards and the detail comes below.
    page = coordinator.page
    await page.set_viewport_size({"width": 1280, "height": 900})
    name_header = page.locator("th", has=page.get_by_test_id("coord-sort-name"))
    await expect(name_header).to_have_attribute("aria-sort", "none")
    await page.get_by_test_id("coord-sort-name").click()
    await expect(name_header).to_have_attribute("aria-sort", "ascending")
    await page.get_by_test_id("coord-sort-name").click()
    await expect(name_header).to_have_attribute("aria-sort", "descending")
    row = page.get_by_test_id("coord-row").first
    selected = page.get_by_test_id("coord-selected")
    row_box, detail_box = await row.bounding_box(), await selected.bounding_box()
    assert row_box and detail_box and detail_box["x"] >= row_box["x"] + row_box["width"] - 1
    await assert_accessible(page)
    await page.set_viewport_size({"width": 320, "height": 900})
    assert await row.evaluate("r => getComputedStyle(r).display") == "block"
    row_box, detail_box = await row.bounding_box(), await selected.bounding_box()
    assert row_box and detail_box and detail_box["y"] >= row_box["y"] + row_box["height"] - 1
    await assert_fits(page)

    # The detail closed while its contact is still on its way: the late answer is dropped, and
    # nothing reads the closed detail's volunteer (CI saw "Cannot read properties of null").
    await page.set_viewport_size({"width": 1280, "height": 900})
    held: list[Route] = []
    await page.route("**/contact", lambda route: held.append(route))
    await selected.get_by_role("link", name="Back to the list").click()
    await expect(selected).to_have_count(0)
    await row.get_by_test_id("coord-open").click()
    await expect(selected).to_be_visible()
    while not held:
        await page.wait_for_timeout(50)
    await selected.get_by_role("link", name="Back to the list").click()
    await expect(selected).to_have_count(0)
    async with page.expect_response("**/contact"):
        await held[0].continue_()
    await page.unroute("**/contact")
    await page.wait_for_timeout(200)  # the answer's continuation runs after the response event
    assert coordinator.recording.page_errors == []

    # The operator's organisations: sortable on a desktop, the address suggested from a name.
    op = operator.page
    await op.set_viewport_size({"width": 1280, "height": 900})
    await op.get_by_test_id("orgs-sort-name").click()
    await expect(op.locator("th", has=op.get_by_test_id("orgs-sort-name"))).to_have_attribute(
        "aria-sort", "ascending"
    )
    await op.get_by_test_id("register-name").fill("Café 't Hoekje")
    await expect(op.get_by_test_id("register-org-id")).to_have_value("cafe-t-hoekje")
    await assert_accessible(op)
    await op.get_by_test_id("org-open").first.click()
    await expect(op.get_by_test_id("orgs")).to_be_visible()
    await op.set_viewport_size({"width": 320, "height": 900})
    await expect(op.get_by_test_id("orgs")).to_be_hidden()
    await assert_fits(op)

    # The volunteer never signed in: no session to check, only the others'.
    await volunteer.context.close()
    for person in (operator, admin, coordinator):
        await assert_nothing_leaked(person, web)
        await person.context.close()
