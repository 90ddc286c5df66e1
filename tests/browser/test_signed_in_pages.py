"""The signed-in pages do not shift while they load, at 320 px and on a desktop.

People keep these pages open and work in them weekly; a page whose parts arrive one after
the other moves what they are about to click (and, in CI, a test's click went to nothing).
Measured as the public pages are (tests/browser/test_reporter_pages.py): the sum of layout
shifts from the first paint, not counting those right after the person's own input, at most
MAX_LAYOUT_SHIFT. What moved before: the whole page once the session was resumed from the
cookie (the navigation appeared above it: /me 0.64 at 320 px), /admin's sections below its
checklist (0.40), /operator's forms below the organisations' table (0.09), and /vcp's log
below the unlock form, which waits on this browser's storage (0.18)."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Page, expect

from tests.browser.test_admission_walk import operator_and_admin
from tests.browser.test_reporter_chooses_vcps import invitation_link, key_file_for
from tests.browser.test_vcp_workspace import registered_org
from tests.support.pages import LAYOUT_SHIFTS, MAX_LAYOUT_SHIFT, layout_shift
from tests.support.web_platform import WebPlatform

pytestmark = pytest.mark.e2e

WIDTHS = (320, 1280)
# After the page's own loads: long enough for a part that arrives late to have arrived.
SETTLE_MS = 1500


async def assert_steady(page: Page, path: str, shown: Any) -> None:
    for width in WIDTHS:
        await page.set_viewport_size({"width": width, "height": 800})
        await page.goto(path)
        await expect(shown(page)).to_be_visible()
        await page.wait_for_timeout(SETTLE_MS)
        shifted, shifts = await layout_shift(page)
        assert shifted <= MAX_LAYOUT_SHIFT, (path, width, shifts)


async def test_the_staff_pages_do_not_shift_while_they_load(
    new_context: Any, web_platform: WebPlatform
) -> None:
    org = f"club-{uuid.uuid4().hex[:6]}"
    operator, admin = await operator_and_admin(
        new_context, web_platform, org, "Hockeyclub De Stick"
    )
    for person in (operator, admin):
        await person.page.add_init_script(LAYOUT_SHIFTS)
    await assert_steady(operator.page, "/operator", lambda page: page.get_by_test_id("orgs"))
    await assert_steady(operator.page, "/me", lambda page: page.get_by_test_id("session-nav"))
    await assert_steady(admin.page, "/admin", lambda page: page.get_by_test_id("checklist"))
    await assert_steady(admin.page, "/admin/log", lambda page: page.get_by_test_id("session-nav"))
    await assert_steady(admin.page, "/me", lambda page: page.get_by_test_id("session-nav"))


async def test_the_vcps_locked_page_does_not_shift_while_it_loads(
    page: Page, web_platform: WebPlatform, tmp_path: Path
) -> None:
    own = registered_org(web_platform, "rust", "Hockeyclub De Rust")
    key_file_for(own, "carla", "Carla Kok", tmp_path)
    await page.add_init_script(LAYOUT_SHIFTS)
    await page.goto(invitation_link(own, "carla"))
    await page.wait_for_url("**/vcp")
    await assert_steady(page, "/vcp", lambda page: page.get_by_test_id("vcp-locked"))


async def test_going_back_to_admin_shows_its_checklist_at_once(
    new_context: Any, web_platform: WebPlatform
) -> None:
    """An admin who looks at the log and comes back finds /admin as they left it, not a
    loading page: the checklist this tab last read is shown at once, and read again behind
    it. (It was read anew from nothing on every visit.)"""
    org = f"club-{uuid.uuid4().hex[:6]}"
    _, admin = await operator_and_admin(new_context, web_platform, org, "Hockeyclub De Bal")
    page = admin.page
    await expect(page.get_by_test_id("pillar-code_of_conduct")).to_be_visible()
    await page.get_by_test_id("admin-log-link").click()
    await page.wait_for_url("**/admin/log")
    await page.evaluate(
        """() => {
            window.__checklistLoading = false;
            new MutationObserver(() => {
                const shown = document.querySelector('[data-testid="checklist"] [role="status"]');
                if (shown) window.__checklistLoading = true;
            }).observe(document.body, { subtree: true, childList: true });
        }"""
    )
    await page.go_back()
    await page.wait_for_url("**/admin")
    await expect(page.get_by_test_id("pillar-code_of_conduct")).to_be_visible()
    await page.wait_for_timeout(500)  # and the read behind it has come back
    assert await page.evaluate("window.__checklistLoading") is False
    await expect(page.get_by_test_id("pillar-code_of_conduct")).to_be_visible()
