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


async def hold_first_read(page: Page, path: str) -> list[tuple[Route, APIResponse]]:
    """From now on, hold the first GET of `path`: its answer is taken from the server at once
    and handed to the page only when the test fulfils it (`hand_over`). Later GETs and other
    methods go through. The list gets the held request once it is made."""
    held: list[tuple[Route, APIResponse]] = []

    async def hold(route: Route) -> None:
        if route.request.method != "GET" or held:
            await route.continue_()
            return
        held.append((route, await route.fetch()))

    await page.route(path, hold)
    return held


async def first_held(
    page: Page, held: list[tuple[Route, APIResponse]]
) -> tuple[Route, APIResponse]:
    while not held:
        await page.wait_for_timeout(50)
    return held[0]


async def hand_over(page: Page, path: str, route: Route, answer: APIResponse) -> None:
    async with page.expect_response(path):
        await route.fulfill(response=answer)
    await page.unroute(path)
    await page.wait_for_timeout(200)  # the answer's continuation runs after the response event


async def test_first_reads_answered_after_the_admin_acted_do_not_undo_it(
    new_context: Any, web_platform: WebPlatform
) -> None:
    """The code section's first reads, slow on a busy day, answered after the admin had
    acted: the draft's "no draft" put the consultation's button away (CI saw it), and the
    round's "no round" would put an opened round away."""
    org = f"traag-{uuid.uuid4().hex[:6]}"
    _operator, admin = await operator_and_admin(new_context, web_platform, org, "Traag")
    page = admin.page

    draft_path = "**/codes/draft"
    held = await hold_first_read(page, draft_path)
    await page.goto("/admin/codes")
    first_read, no_draft_yet = await first_held(page, held)
    assert no_draft_yet.status == 404, "read before the save: there was no draft"
    await page.get_by_test_id("code-text").fill(DRAFT)
    await page.get_by_test_id("code-save").click()
    await expect(page.get_by_test_id("code-done")).to_be_visible()
    await expect(page.get_by_test_id("consult-open")).to_be_visible()
    await hand_over(page, draft_path, first_read, no_draft_yet)
    await expect(page.get_by_test_id("consult-open")).to_be_visible()
    await expect(page.get_by_label("Concept van de gedragscode")).to_have_value(DRAFT)

    round_path = "**/v1/orgs/*/consultation"
    held = await hold_first_read(page, round_path)
    await page.reload()
    first_read, no_round_yet = await first_held(page, held)
    assert no_round_yet.status == 404, "read before the round was opened"
    closes_on = today() + timedelta(days=14)
    await page.get_by_test_id("consult-closes-on").fill(closes_on.isoformat())
    await page.get_by_test_id("consult-open").click()
    await expect(page.get_by_test_id("consult-status")).to_be_visible()
    await hand_over(page, round_path, first_read, no_round_yet)
    await expect(page.get_by_test_id("consult-status")).to_be_visible()
    assert admin.recording.page_errors == []
