"""A code of conduct written together, through the pages alone, in Chromium (issue 25,
item 1). The operator registers the organisation and its admin; two volunteers apply on the
organisation's page; the admin saves a draft and opens it for comments until a closing day;
each volunteer, signed in from the mail, reads the draft formatted on /me and comments on a
section, Anna with her name and Bram anonymously (by keyboard alone); the admin sees the
comments per section, Bram's without his name, and answers Anna, who reads the answer on
/me; the admin changes the draft and publishes it, and the page says that the version was
written together with two people's two comments. axe-core checks the pages in Dutch and
English at 320 px."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from playwright.async_api import APIResponse, Page, Route, expect

from shared.domain.calendar import today
from tests.browser.test_admission_walk import (
    apply_on_the_page,
    define_youth_coach,
    operator_and_admin,
    until,
)
from tests.support.browser import BrowserRecording
from tests.support.pages import (
    assert_fits_320_pixels,
    assert_nothing_leaked,
    check_page,
    open_browser,
    sign_in_from_mail,
)
from tests.support.platform import eventually
from tests.support.web_platform import WebPlatform

pytestmark = pytest.mark.e2e

DRAFT = (
    "# Gedragscode\n\n## Respect\n\n- Wij gaan respectvol met elkaar om.\n\n"
    "## Melden\n\nZorgen meld je bij de **vertrouwenscontactpersoon**.\n"
)
CHANGED = DRAFT + "\n## Ouders\n\nOok tegen ouders zijn we respectvol.\n"


async def both_languages_at_320(page: Page) -> None:
    await check_page(page)
    await assert_fits_320_pixels(page)


async def test_draft_comment_named_and_anonymous_answer_publish(
    new_context: Any, web_platform: WebPlatform
) -> None:
    web = web_platform
    org = f"samen-{uuid.uuid4().hex[:6]}"
    _operator, admin = await operator_and_admin(new_context, web, org, "Hockeyclub Samen")
    await define_youth_coach(admin)

    anna_email, bram_email = f"anna-{org}@example.org", f"bram-{org}@example.org"
    anna = await open_browser(new_context, web, BrowserRecording())
    bram = await open_browser(new_context, web, BrowserRecording())
    await apply_on_the_page(anna, org, "Anna de Vries", anna_email)
    await apply_on_the_page(bram, org, "Bram Bakker", bram_email)

    # The admin saves a draft and opens it for comments (the volunteers' files arrive in
    # policy an event later: the round counts them once they are there).
    page = admin.page
    await page.goto("/admin/codes")
    await page.get_by_test_id("code-text").fill(DRAFT)
    await page.get_by_test_id("code-save").click()
    await expect(page.get_by_test_id("code-done")).to_be_visible()
    await expect(page.get_by_test_id("consult-open")).to_be_visible()
    await both_languages_at_320(page)
    closes_on = today() + timedelta(days=14)

    # Only waiting, not acting: the applications have reached policy.
    watcher = {"Authorization": f"Bearer {web.token('coordinator', org)}"}
    with web.api("policy") as policy:
        eventually(
            lambda: (
                policy.get(f"/v1/orgs/{org}/volunteers", headers=watcher).json().get("total") == 2
            )
        )
    await page.get_by_test_id("consult-closes-on").fill(closes_on.isoformat())
    await page.get_by_test_id("consult-open").click()
    status = page.get_by_test_id("consult-status")
    await expect(status).to_contain_text("2 uitgenodigden")
    await both_languages_at_320(page)

    # Anna reads the draft formatted on /me and comments on "Respect" with her name.
    await sign_in_from_mail(anna, web, anna_email)
    me = anna.page
    draft = me.get_by_test_id("my-consult-draft")
    await expect(draft.get_by_role("heading", name="Respect")).to_be_visible()
    await expect(draft.locator("strong")).to_have_text("vertrouwenscontactpersoon")
    await me.get_by_test_id("my-consult-section").select_option("respect")
    await me.get_by_test_id("my-consult-text").fill("Geldt dit ook tegen ouders?")
    await expect(me.get_by_test_id("my-consult-named")).to_be_checked()
    await me.get_by_test_id("my-consult-send").click()
    await expect(me.get_by_test_id("my-consult-mine")).to_contain_text(
        "Geldt dit ook tegen ouders?"
    )
    await both_languages_at_320(me)

    # Bram comments on the code as a whole, anonymously, by keyboard alone.
    await sign_in_from_mail(bram, web, bram_email)
    theirs = bram.page
    await theirs.get_by_test_id("my-consult-section").focus()
    await theirs.keyboard.press("Tab")
    await expect(theirs.get_by_test_id("my-consult-text")).to_be_focused()
    await theirs.keyboard.type("Het is te lang.")
    await theirs.keyboard.press("Tab")
    await expect(theirs.get_by_test_id("my-consult-named")).to_be_focused()
    await theirs.keyboard.press("ArrowDown")
    await expect(theirs.get_by_test_id("my-consult-anonymous")).to_be_checked()
    await theirs.keyboard.press("Tab")
    await expect(theirs.get_by_test_id("my-consult-send")).to_be_focused()
    await theirs.keyboard.press("Enter")
    await expect(theirs.get_by_test_id("my-consult-mine")).to_contain_text("Het is te lang.")

    # The admin sees the comments per section; Bram's without his name. She answers Anna.
    await page.reload()
    respect = page.get_by_test_id("consult-section-respect")
    general = page.get_by_test_id("consult-section-general")
    await expect(respect.get_by_test_id("consult-author")).to_contain_text("Anna de Vries")
    await expect(general.get_by_test_id("consult-author")).to_contain_text("Anoniem")
    await expect(page.get_by_test_id("consult")).not_to_contain_text("Bram")
    await expect(status).to_contain_text("2 personen")
    await respect.get_by_role("textbox", name="Antwoord").fill("Ja, ook tegen ouders.")
    await respect.get_by_role("button", name="Antwoord versturen").click()
    await expect(respect.get_by_test_id("consult-answer")).to_contain_text("Ja, ook tegen ouders.")
    await both_languages_at_320(page)

    # Anna reads the answer on /me.
    async def reload_me() -> None:
        await me.reload()

    async def answered() -> None:
        await expect(me.get_by_test_id("my-consult-answer")).to_contain_text(
            "Ja, ook tegen ouders.", timeout=5000
        )

    await until(me, reload_me, answered)

    # The admin changes the draft and publishes; the version was written together.
    await page.get_by_test_id("code-text").fill(CHANGED)
    await page.get_by_test_id("code-publish").click()
    await page.get_by_test_id("code-confirm-publish").click()
    await expect(page.get_by_test_id("code-current")).to_contain_text("1")
    consulted = page.get_by_test_id("consult-consulted")
    await expect(consulted).to_contain_text("Versie 1")
    await expect(consulted).to_contain_text("2 personen gaven 2 reacties")
    await expect(page.get_by_test_id("consult-status")).to_have_count(0)
    await both_languages_at_320(page)

    for person in (admin, anna, bram):
        await assert_nothing_leaked(person, web)


async def test_a_draft_saved_before_the_sections_first_read_came_back_stays_a_draft(
    new_context: Any, web_platform: WebPlatform
) -> None:
    """The code section's first read, slow on a busy day, answered after the admin had saved
    a draft: its "no draft" put the consultation's button away (CI saw it). The read's
    answer is taken from the server at once and handed to the page only after the save."""
    org = f"traag-{uuid.uuid4().hex[:6]}"
    _operator, admin = await operator_and_admin(new_context, web_platform, org, "Traag")
    page = admin.page
    held: list[tuple[Route, APIResponse]] = []

    async def hold_reads(route: Route) -> None:
        if route.request.method != "GET":
            await route.continue_()
            return
        held.append((route, await route.fetch()))

    await page.route("**/codes/draft", hold_reads)
    await page.goto("/admin/codes")
    while not held:
        await page.wait_for_timeout(50)
    (first_read, no_draft_yet) = held.pop(0)
    assert no_draft_yet.status == 404, "read before the save: there was no draft"

    await page.get_by_test_id("code-text").fill(DRAFT)
    await page.get_by_test_id("code-save").click()
    await expect(page.get_by_test_id("code-done")).to_be_visible()
    await expect(page.get_by_test_id("consult-open")).to_be_visible()

    async with page.expect_response("**/codes/draft"):
        await first_read.fulfill(response=no_draft_yet)
    await page.unroute("**/codes/draft")
    for route, answer in held:
        await route.fulfill(response=answer)
    await page.wait_for_timeout(200)  # the answer's continuation runs after the response event
    await expect(page.get_by_test_id("consult-open")).to_be_visible()
    await expect(page.get_by_label("Concept van de gedragscode")).to_have_value(DRAFT)
    assert admin.recording.page_errors == []
