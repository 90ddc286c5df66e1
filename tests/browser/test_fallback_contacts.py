"""A reporter at an organisation without a VCP is never left alone (issue 21 item 8).

The operator sets the regional centre's fallback contacts on /operator; the organisation's
page, which has no VCP with a key, shows them instead of inviting a report that cannot be
sent, then the regional centre's own VCPs by name and introduction (issue 24), and so does
the report page; the admin's checklist flags the missing VCP first. axe
finds nothing in Dutch and English, at 320 and 1280 px.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from playwright.async_api import Page, expect

from tests.browser.test_admission_walk import operator_and_admin, switch_language
from tests.support.browser import BrowserRecording
from tests.support.pages import assert_accessible, assert_fits, check_page, open_browser
from tests.support.platform import bearer
from tests.support.web_platform import WebPlatform

pytestmark = pytest.mark.e2e


async def at_both_widths(page: Page) -> None:
    for width in (1280, 320):
        await page.set_viewport_size({"width": width, "height": 900})
        await assert_fits(page)
        await assert_accessible(page)


async def test_an_organisation_without_a_vcp_shows_where_to_turn(
    new_context: Any, web_platform: WebPlatform
) -> None:
    web = web_platform
    org = f"club-{uuid.uuid4().hex[:6]}"
    operator, admin = await operator_and_admin(new_context, web, org, "Korfbalclub Het Net")

    # The admin's checklist: the missing VCP comes first.
    flag = admin.page.get_by_test_id("checklist-no-vcp")
    await expect(flag).to_contain_text("Eerst: stel een vertrouwenscontactpersoon aan")
    await check_page(admin.page)

    # The operator sets the contacts (nothing is assumed before).
    page = operator.page
    editor = page.get_by_test_id("fallback-editor")
    await expect(editor.get_by_test_id("fallback-add")).to_be_visible()
    await editor.get_by_test_id("fallback-add").click()
    await page.get_by_test_id("fallback-name-0").fill("De Kindertelefoon")
    await page.get_by_test_id("fallback-phone-0").fill("0800-0432")
    await page.get_by_test_id("fallback-hours-0").fill("elke dag 11:00-21:00")
    await editor.get_by_test_id("fallback-add").click()
    await page.get_by_test_id("fallback-name-1").fill("Anna Ankers")
    await page.get_by_test_id("fallback-kind-1").select_option("centre_contact")
    await page.get_by_test_id("fallback-url-1").fill("http://centrum.example.org")
    await page.get_by_test_id("fallback-hours-1").fill("ma-vr 9:00-17:00")
    await page.get_by_test_id("fallback-save").click()
    # Only https: the refusal is shown, and what was typed stays.
    await expect(page.get_by_test_id("fallback-error")).to_contain_text("https")
    await page.get_by_test_id("fallback-url-1").fill("https://centrum.example.org")
    await page.get_by_test_id("fallback-save").click()
    await expect(page.get_by_test_id("fallback-done")).to_be_visible()
    await check_page(page)

    # One of the centre's own VCPs, who serves another club and introduced herself there.
    centre_vcp = f"centre-{uuid.uuid4().hex[:6]}"
    elsewhere = f"other-{uuid.uuid4().hex[:6]}"
    infra = web.infra
    person = {"vcp_id": centre_vcp, "name": "Carla Steunpunt", "email": "carla@example.org"}
    with web.api("reports") as reports:
        listed = reports.post(
            "/v1/centre-vcps", json=person, headers=bearer(infra.token("operator"))
        )
        assert listed.status_code == 201, listed.text
        added = reports.post(
            f"/v1/orgs/{elsewhere}/centre-vcps",
            json={"vcp_id": centre_vcp},
            headers=bearer(infra.token("admin", elsewhere)),
        )
        assert added.status_code == 201, added.text
        written = reports.put(
            f"/v1/orgs/{elsewhere}/vcps/{centre_vcp}/introduction",
            json={"introduction": "Ik luister, ook als je twijfelt."},
            headers=bearer(infra.token("vcp", elsewhere, centre_vcp)),
        )
        assert written.status_code == 200, written.text

    # A visitor of the organisation's page: no invitation to report, the contacts instead.
    visitor = await open_browser(new_context, web, BrowserRecording())
    await visitor.page.goto(f"/o/{org}")
    contacts = visitor.page.get_by_test_id("fallback-contacts")
    await expect(contacts).to_contain_text("Korfbalclub Het Net heeft nog geen")
    listed = contacts.get_by_test_id("fallback-contact")
    await expect(listed).to_have_count(2)
    # The centre's own people first.
    await expect(listed.first).to_contain_text("Anna Ankers")
    await expect(listed.nth(1)).to_contain_text("0800-0432")
    await expect(listed.nth(1).get_by_role("link", name="0800-0432")).to_have_attribute(
        "href", "tel:08000432"
    )
    # Then the centre's VCPs: her name and introduction, never her address or her club.
    centre = contacts.get_by_test_id("fallback-centre-vcps")
    await expect(centre).to_contain_text("Korfbalclub Het Net kan een van hen")
    carla = centre.get_by_test_id("fallback-centre-vcp").filter(has_text="Carla Steunpunt")
    await expect(carla).to_contain_text("Ik luister, ook als je twijfelt.")
    for private in ("carla@example.org", elsewhere, centre_vcp):
        assert private not in await contacts.inner_text()
    await expect(visitor.page.get_by_test_id("org-report-link")).to_have_count(0)
    await check_page(visitor.page)
    await at_both_widths(visitor.page)
    await switch_language(visitor.page, "English")
    await expect(centre).to_contain_text("The volunteer centre's confidential contact persons")
    await at_both_widths(visitor.page)
    await switch_language(visitor.page, "Nederlands")
    await visitor.page.goto(f"/o/{org}/report")
    await expect(visitor.page.get_by_test_id("fallback-contacts")).to_contain_text("Kindertelefoon")
    await at_both_widths(visitor.page)

    for person in (operator, admin, visitor):
        await person.context.close()
