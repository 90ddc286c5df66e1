"""The audit log in Chromium (issue 22). An admin, who is also coordinator, appoints a VCP
and publishes a code on /admin, exports the board's list on /coordinator and removes a
coordinator; /admin/log shows each of these in Dutch and English (axe-clean, 320 px).
The filtered list is saved as XLSX. `safehands audit verify` then holds, until one entry is
edited in the database: verify names it. The appointed VCP, signed in from her invitation,
sees the entries about VCPs on /vcp and those about herself on /me, in both languages."""

from __future__ import annotations

import io
import re
import time
import uuid
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook
from playwright.async_api import Page, expect
from pymongo import MongoClient
from typer.testing import CliRunner

from cli.main import app
from tests.support.browser import axe_violations, describe_violations
from tests.support.mail import links_in, wait_for_mail
from tests.support.pages import assert_fits_320_pixels
from tests.support.web_platform import WebPlatform

pytestmark = pytest.mark.e2e

SHOWN = {
    "vcp.appointed": ("Vertrouwenscontactpersoon benoemd", "Confidential contact person appointed"),
    "code.published": ("Gedragscode gepubliceerd", "Code of conduct published"),
    "volunteers.exported": ("Lijst voor het bestuur opgeslagen", "Board's list saved"),
    "member.removed": ("Lid verwijderd", "Member removed"),
}


def invite(web: WebPlatform, org: str, email: str, name: str, roles: list[str]) -> None:
    """Invite by the operator, once identity knows the organisation (an event away)."""
    operator = {"Authorization": f"Bearer {web.token('operator')}"}
    body = {"email": email, "name": name, "roles": roles}
    deadline = time.monotonic() + 20
    with web.api("identity") as identity:
        while True:
            answer = identity.post(f"/v1/orgs/{org}/members", json=body, headers=operator)
            if answer.status_code == 201 or time.monotonic() > deadline:
                break
            time.sleep(0.3)
    assert answer.status_code == 201, answer.text


def verify(web: WebPlatform, org: str, monkeypatch: Any) -> Any:
    monkeypatch.setenv("SAFEHANDS_MONGO_URI", web.infra.mongo_uri)
    monkeypatch.setenv("SAFEHANDS_MONGO_DATABASE", web.database)
    return CliRunner().invoke(app, ["audit", "verify", "--org", org])


async def open_from_navigation(page: Page, name: str, path: str) -> None:
    await page.get_by_test_id("session-nav").get_by_role("link", name=name, exact=True).click()
    await page.wait_for_url(re.compile(f"{re.escape(path)}(\\?.*)?$"))


async def test_the_log_shows_staff_actions_in_both_languages_and_verify_names_an_edit(
    page: Page, web_platform: WebPlatform, monkeypatch: Any
) -> None:
    web = web_platform
    org = f"log-{uuid.uuid4().hex[:6]}"
    admin_email = f"ada-{org}@example.org"
    operator = {"Authorization": f"Bearer {web.token('operator')}"}
    with httpx.Client(base_url=f"{web.url}/api/policy", timeout=10) as policy:
        created = policy.post(
            "/v1/orgs", json={"org_id": org, "name": "De Loggers"}, headers=operator
        )
        assert created.status_code == 201, created.text
    invite(web, org, admin_email, "Ada", ["admin", "coordinator"])
    invite(web, org, f"cora-{org}@example.org", "Cora", ["coordinator"])

    [invitation] = await wait_for_mail(web.maildir, admin_email)
    [link] = [url for url in links_in(invitation) if "/sign-in/callback#code=" in url]
    await page.goto(link)
    await page.wait_for_url(lambda url: "/sign-in/callback" not in url)
    if not page.url.split("?")[0].endswith("/admin"):
        await open_from_navigation(page, "Beheer", "/admin")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Beheer")

    # Appoint a VCP, publish a code, remove a coordinator.
    await page.get_by_test_id("vcp-name").fill("Vera")
    await page.get_by_test_id("vcp-email").fill(f"vera-{org}@example.org")
    await page.get_by_test_id("vcp-appoint").click()
    await expect(page.get_by_test_id("vcp")).to_have_count(1)
    await page.get_by_test_id("code-text").fill("Wij gaan respectvol met elkaar om.")
    await page.get_by_test_id("code-publish").click()
    # Publishing asks for a confirmation first (the code editor's dialog).
    await page.get_by_test_id("code-confirm-publish").click()
    await expect(page.get_by_test_id("code-current")).to_contain_text("1")
    cora = page.get_by_test_id("member").filter(has_text="Cora")
    await cora.get_by_test_id("member-remove").click()
    await expect(cora).to_have_count(0)

    # Export the board's list on /coordinator.
    await open_from_navigation(page, "Coördinatie", "/coordinator")
    async with page.expect_download() as downloaded:
        await page.get_by_test_id("coord-export").click()
    assert (await downloaded.value).suggested_filename.endswith(".csv")

    # The log, reached from /admin.
    await open_from_navigation(page, "Beheer", "/admin")
    await page.get_by_test_id("admin-log-link").click()
    await page.wait_for_url(re.compile(r"/admin/log(\?.*)?$"))
    for index, language in enumerate(("nl", "en")):
        if index:
            await page.get_by_role("link", name="English", exact=True).click()
            await expect(page.locator("html")).to_have_attribute("lang", "en")
        await expect(page.get_by_role("heading", level=1)).to_have_text(
            "Logboek" if language == "nl" else "Log"
        )
        for action, texts in SHOWN.items():
            entry = page.locator(f'[data-testid="log-entry"][data-action="{action}"]')
            await expect(entry.first).to_contain_text(texts[index])
        violations = await axe_violations(page)
        assert violations == [], describe_violations(violations)
        await assert_fits_320_pixels(page)

    # Filtered by action: only the removal.
    await page.get_by_test_id("log-action").select_option("member.removed")
    await page.get_by_test_id("log-filter").click()
    await expect(page.get_by_test_id("log-entry")).to_have_count(1)
    await expect(page.get_by_test_id("log-entry")).to_contain_text("Member removed")

    # The same entries as a workbook, from the one service whose chain holds them.
    async with page.expect_download() as saved:
        await page.get_by_test_id("log-export-xlsx").click()
    workbook = await saved.value
    assert workbook.suggested_filename == f"audit-{org}-identity.xlsx"
    # The saved file has no extension, which openpyxl refuses: read it as bytes.
    sheet = load_workbook(io.BytesIO((await workbook.path()).read_bytes())).active
    assert sheet is not None
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [(row[0], row[5]) for row in rows] == [("identity", "member.removed")]

    whole = verify(web, org, monkeypatch)
    assert whole.exit_code == 0, whole.output
    database = MongoClient(web.infra.mongo_uri)[f"{web.database}_identity"]
    removed = database["audit_log"].find_one({"org_id": org, "action": "member.removed"})
    assert removed is not None
    database["audit_log"].update_one(
        {"_id": removed["_id"]}, {"$set": {"actor.sub": "someone-else"}}
    )
    broken = verify(web, org, monkeypatch)
    assert broken.exit_code == 1, broken.output
    assert f"identity: broken at entry {removed['seq']}" in broken.output

    # Vera, the VCP, signs in from her invitation: /vcp shows the entries about VCPs (her
    # appointment), not the code or the removal; /me the entries about herself.
    assert page.context.browser is not None
    vera_context = await page.context.browser.new_context(base_url=web.url)
    vera = await vera_context.new_page()
    [vera_mail] = await wait_for_mail(web.maildir, f"vera-{org}@example.org", timeout=30)
    [vera_link] = [url for url in links_in(vera_mail) if "/sign-in/callback#code=" in url]
    await vera.goto(vera_link)
    await vera.wait_for_url(re.compile(r"/vcp(\?.*)?$"), timeout=30_000)
    views = (("vcp-log", "vcp.appointed", "/vcp"), ("me-log", "member.signed_in", "/me"))
    for testid, action, path in views:
        if path == "/me":
            await open_from_navigation(vera, "Mijn organisaties", "/me")
        for index, language in enumerate(("nl", "en")):
            if index:
                await vera.get_by_role("link", name="English", exact=True).click()
                await expect(vera.locator("html")).to_have_attribute("lang", "en")
            section = vera.get_by_test_id(testid)
            await expect(section.get_by_role("heading", level=2)).to_contain_text(
                "Logboek" if language == "nl" else "Log"
            )
            entry = section.locator(f'[data-testid="{testid}-entry"][data-action="{action}"]')
            await expect(entry.first).to_be_visible()
            for hidden in ("code.published", "member.removed"):
                await expect(section.locator(f'[data-action="{hidden}"]')).to_have_count(0)
            violations = await axe_violations(vera)
            assert violations == [], f"{path}: {describe_violations(violations)}"
            await assert_fits_320_pixels(vera)
        if path == "/vcp":
            await vera.get_by_role("link", name="Nederlands", exact=True).click()
            await expect(vera.locator("html")).to_have_attribute("lang", "nl")
    await vera_context.close()
