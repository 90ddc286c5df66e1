"""A link inside the app changes the page once (web/src/App.svelte).

The page left stays on screen, untouched, until the next page's script and texts are here;
then the next page replaces it. It used to be mounted a second time at once under the next
page's address, with that page's route: it loaded its data again for nothing, and its whole
document was replaced twice within a moment, so a click that fell between the two (in CI, a
test's click on the navigation) went to an element that was no longer there and did nothing.
While the next page loads, the document says it is busy (`aria-busy`), which the tests'
`open_from_navigation` waits out as a person's eyes do."""

from __future__ import annotations

import asyncio
import re
import uuid
from typing import Any

import pytest
from playwright.async_api import expect

from tests.browser.test_admission_walk import operator_and_admin
from tests.browser.test_vcp_workspace import hold_the_first
from tests.support.pages import open_from_navigation
from tests.support.web_platform import WebPlatform

pytestmark = pytest.mark.e2e

# Long enough for the page left to do anything it does when mounted (a request of its own).
NEXT_PAGE_DELAY_SECONDS = 1.5


async def test_a_link_shows_the_next_page_once_and_the_page_left_loads_nothing_again(
    new_context: Any, web_platform: WebPlatform
) -> None:
    org = f"club-{uuid.uuid4().hex[:6]}"
    _, admin = await operator_and_admin(new_context, web_platform, org, "Hockeyclub De Stick")
    page = admin.page
    await expect(page.get_by_test_id("checklist")).to_be_visible()

    next_page = await hold_the_first(page, "**/assets/Me-*.js")
    checklist = f"/v1/orgs/{org}/checklist"
    asked_before = sum(checklist in request.url for request in admin.recording.requests)
    heading_before = await page.locator("h1").inner_text()

    await page.get_by_test_id("session-nav").get_by_role("link", name="Mijn organisaties").click()
    await page.wait_for_url(re.compile(r"/me$"))
    held = await asyncio.wait_for(next_page, timeout=10)
    # While the next page's script is on its way: the page left, as it was, said busy.
    await expect(page.locator("body")).to_have_attribute("aria-busy", "true")
    await asyncio.sleep(NEXT_PAGE_DELAY_SECONDS)
    assert await page.locator("h1").inner_text() == heading_before
    asked_meanwhile = sum(checklist in request.url for request in admin.recording.requests)
    assert asked_meanwhile == asked_before, "the page left was mounted again and loaded again"

    await held.continue_()
    await expect(page.locator("body")).not_to_have_attribute("aria-busy", "true")
    await expect(page.locator("h1")).to_have_text("Jouw organisaties")
    # And back through the navigation, as the admission walk does.
    await open_from_navigation(page, "Beheer", "/admin")
    await expect(page.get_by_test_id("checklist")).to_be_visible()
