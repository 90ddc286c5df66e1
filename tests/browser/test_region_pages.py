"""The regional centre's offer through the pages (issue 25, items 3 and 4), in Chromium.

A role listed, found and applied for: the admin lists a youth-coach role as open on /admin;
a visitor finds it on /vacatures by words and place (and not by another place), follows
"apply" into the organisation's own admission with the role chosen, and the application
lands in the organisation's list under that role.

News: the operator writes an item in Markdown for sports clubs on /operator (with a
preview); the admin of a club names its kind on /admin/news and reads the item formatted,
and not an item for care organisations. axe finds nothing in Dutch and English, and the
pages fit 320 px.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from playwright.async_api import Page, expect

from tests.browser.test_admission_walk import define_youth_coach, operator_and_admin
from tests.support.browser import BrowserRecording
from tests.support.pages import (
    assert_fits_320_pixels,
    assert_nothing_leaked,
    check_page,
    open_browser,
)
from tests.support.platform import bearer, eventually
from tests.support.web_platform import WebPlatform

pytestmark = pytest.mark.e2e


async def accessible_at_320(page: Page) -> None:
    await check_page(page)
    await assert_fits_320_pixels(page)


async def test_a_role_listed_by_its_admin_is_found_on_vacatures_and_applied_for(
    new_context: Any, web_platform: WebPlatform
) -> None:
    web = web_platform
    word = uuid.uuid4().hex[:6]
    org = f"golf-{word}"
    operator, admin = await operator_and_admin(new_context, web, org, f"Roeivereniging {word}")
    await define_youth_coach(admin)

    # The admin lists the role: off by default, on with a place, hours and a short text.
    page = admin.page
    await expect(page.get_by_test_id("listing-listed-roles")).to_contain_text("Geen rol")
    await expect(page.get_by_test_id("listing-listed")).not_to_be_checked()
    await page.get_by_test_id("listing-role").select_option("youth-coach")
    await page.get_by_test_id("listing-listed").check()
    await page.get_by_test_id("listing-place").fill("Vught")
    await page.get_by_test_id("listing-hours").fill("2 uur per week")
    await page.get_by_test_id("listing-text").fill("Trainen op zaterdagochtend.")
    await page.get_by_test_id("listing-save").click()
    await expect(page.get_by_test_id("listing-done")).to_contain_text("staat open")
    await expect(page.get_by_test_id("listing-listed-roles")).to_contain_text("Jeugdtrainer")
    # The whole of /admin, the listing and the centre's news included.
    await accessible_at_320(page)

    # A visitor finds it by words and place, and not in another place.
    visitor = await open_browser(new_context, web, BrowserRecording())
    await visitor.page.goto("/")
    await visitor.page.get_by_test_id("home-vacancies").click()
    await visitor.page.wait_for_url("**/vacatures")
    vacancies = visitor.page
    await vacancies.get_by_test_id("vacancies-words").fill(f"jeugdtrainer {word}")
    await vacancies.get_by_test_id("vacancies-place").fill("Utrecht")
    await vacancies.get_by_test_id("vacancies-submit").click()
    await expect(vacancies.get_by_test_id("vacancies-none")).to_be_visible()
    await vacancies.get_by_test_id("vacancies-place").fill("vught")
    await vacancies.get_by_test_id("vacancies-submit").click()
    found = vacancies.get_by_test_id("vacancy")
    await expect(found).to_have_count(1)
    for text in ("Jeugdtrainer", f"Roeivereniging {word}", "Vught", "2 uur per week"):
        await expect(found).to_contain_text(text)
    await expect(found).to_contain_text("Ja, een Verklaring Omtrent het Gedrag")
    await expect(vacancies.get_by_test_id("vacancies-count")).to_have_text("1 open rol gevonden.")
    await accessible_at_320(vacancies)

    # Applying starts in the organisation's own admission, with the role chosen.
    await found.get_by_test_id("vacancy-apply").click()
    # (The language chosen on the way travels along as `lang`.)
    await vacancies.wait_for_url(re.compile(f"/o/{org}/apply\\?role=youth-coach(&lang=nl)?$"))
    await expect(vacancies.get_by_test_id("apply-role-youth-coach")).to_be_checked()
    await vacancies.get_by_test_id("apply-name").fill("Sam Sluis")
    await vacancies.get_by_test_id("apply-email").fill(f"sam-{word}@example.org")
    await vacancies.get_by_test_id("apply-submit").click()
    await expect(vacancies.get_by_test_id("apply-done")).to_contain_text("Jeugdtrainer")

    admin_token = bearer(web.token("admin", org))
    with web.api("policy") as policy:

        def listed() -> list[dict[str, Any]]:
            answer = policy.get(f"/v1/orgs/{org}/volunteers", headers=admin_token)
            return answer.json()["items"] if answer.status_code == 200 else []

        (volunteer,) = eventually(listed)
    assert (volunteer["name"], volunteer["role_id"]) == ("Sam Sluis", "youth-coach")

    # The visitor has no session: no error, no CSP violation, nothing kept in the browser.
    await visitor.recording.settle()
    assert visitor.recording.csp_violations == [] and visitor.recording.page_errors == []
    state = await visitor.context.storage_state(indexed_db=True)
    assert state["origins"] == [] and state["cookies"] == [], state
    for person in (operator, admin):
        await assert_nothing_leaked(person, web)
    for person in (operator, admin, visitor):
        await person.context.close()


async def test_news_written_by_the_operator_is_read_formatted_by_the_admins_it_is_for(
    new_context: Any, web_platform: WebPlatform
) -> None:
    web = web_platform
    word = uuid.uuid4().hex[:6]
    org = f"voetbal-{word}"
    operator, admin = await operator_and_admin(new_context, web, org, f"Voetbalclub {word}")

    page = operator.page
    editor = page.get_by_test_id("news-editor")
    title = f"Avond over sociale veiligheid {word}"
    await editor.get_by_test_id("news-title").fill(title)
    await editor.get_by_test_id("news-body").fill(
        "Kom **dinsdag** naar het centrum.\n\n- koffie\n- <script>alert(1)</script>\n"
    )
    await expect(editor.get_by_test_id("news-preview").locator("strong")).to_have_text("dinsdag")
    await editor.get_by_test_id("news-audience").select_option("sport")
    await editor.get_by_test_id("news-publish").click()
    await expect(editor.get_by_test_id("news-published")).to_contain_text(title)
    await check_page(page)

    # One for care organisations too, which a sports club never sees.
    with web.api("policy") as policy:
        care = {"title": f"Zorg {word}", "body": "Alleen zorg.", "audience": "care"}
        published = policy.post("/v1/news", json=care, headers=bearer(web.token("operator")))
        assert published.status_code == 201, published.text

    page = admin.page
    await page.goto("/admin/news")
    await page.get_by_test_id("news-kind").select_option("sport")
    await page.get_by_test_id("news-digest").check()
    await page.get_by_test_id("news-settings-save").click()
    await expect(page.get_by_test_id("news-settings-done")).to_have_text("Opgeslagen.")
    item = page.get_by_test_id("news-item").filter(has_text=title)
    await expect(item).to_have_count(1)
    await expect(item.get_by_test_id("news-body").locator("strong")).to_have_text("dinsdag")
    await expect(item.get_by_test_id("news-body").locator("li")).to_have_count(2)
    # Raw HTML stays text: nothing of it runs or becomes an element.
    await expect(item.get_by_test_id("news-body").locator("script")).to_have_count(0)
    await expect(item).to_contain_text("<script>alert(1)</script>")
    await expect(page.get_by_test_id("news-item").filter(has_text=f"Zorg {word}")).to_have_count(0)
    await accessible_at_320(page)
    # The settings stay after a reload.
    await page.reload()
    await expect(page.get_by_test_id("news-kind")).to_have_value("sport")
    await expect(page.get_by_test_id("news-digest")).to_be_checked()

    # A wrong day in the item: the operator corrects it, with the keyboard, in the same form.
    page = operator.page
    published_item = editor.get_by_test_id("news-published-item").filter(has_text=title)
    await published_item.get_by_test_id("news-edit").focus()
    await page.keyboard.press("Enter")
    await expect(editor.get_by_test_id("news-title")).to_be_focused()
    await expect(editor.get_by_test_id("news-title")).to_have_value(title)
    await expect(editor.get_by_test_id("news-editing")).to_contain_text(title)
    corrected = f"Avond over sociale veiligheid, woensdag {word}"
    await editor.get_by_test_id("news-title").fill(corrected)
    await editor.get_by_test_id("news-body").fill("Kom **woensdag** naar het centrum.")
    await check_page(page)
    await editor.get_by_test_id("news-publish").click()
    await expect(editor.get_by_test_id("news-published")).to_have_text(
        f"'{corrected}' is verbeterd."
    )
    await expect(editor.get_by_test_id("news-editing")).to_have_count(0)
    fixed_item = editor.get_by_test_id("news-published-item").filter(has_text=corrected)
    await expect(fixed_item).to_contain_text("verbeterd")
    page = admin.page
    await page.reload()
    item = page.get_by_test_id("news-item").filter(has_text=corrected)
    await expect(item.get_by_test_id("news-body").locator("strong")).to_have_text("woensdag")
    await expect(page.get_by_test_id("news-item").filter(has_text=title)).to_have_count(0)

    # Withdrawn after one more question: the admins no longer see it.
    page = operator.page
    await fixed_item.get_by_test_id("news-withdraw").click()
    confirm = fixed_item.get_by_test_id("news-withdraw-confirm")
    await expect(confirm).to_contain_text(f"'{corrected}' intrekken?")
    await expect(fixed_item.get_by_test_id("news-withdraw-yes")).to_be_focused()
    await check_page(page)
    await fixed_item.get_by_test_id("news-withdraw-no").click()
    await expect(confirm).to_have_count(0)
    await fixed_item.get_by_test_id("news-withdraw").click()
    await fixed_item.get_by_test_id("news-withdraw-yes").click()
    await expect(editor.get_by_test_id("news-published")).to_have_text(
        f"'{corrected}' is ingetrokken."
    )
    await expect(
        editor.get_by_test_id("news-published-item").filter(has_text=corrected)
    ).to_have_count(0)
    # The centre's own log, in words: what the operators did on the centre's side.
    centre_log = page.get_by_test_id("op-centre-log")
    await centre_log.get_by_test_id("op-centre-log-refresh").click()
    for action, words in (
        ("news.published", "Nieuws geplaatst"),
        ("news.edited", "Nieuws verbeterd"),
        ("news.withdrawn", "Nieuws ingetrokken"),
    ):
        entry = centre_log.locator(f'[data-testid="op-centre-log-entry"][data-action="{action}"]')
        await expect(entry.first).to_contain_text(words)
    await check_page(page)
    page = admin.page
    await page.reload()
    await expect(page.get_by_test_id("news-kind")).to_have_value("sport")
    await expect(page.get_by_test_id("news-item").filter(has_text=corrected)).to_have_count(0)

    for person in (operator, admin):
        await assert_nothing_leaked(person, web)
        await person.context.close()
