"""Daily use (issue 20, items 1, 3 and 4): the session survives reloads, new tabs and Back,
every place has its own address, and a sign-in lands on the person's own page.

- A VCP signs in from her invitation and lands on /vcp; cases have addresses
  (/vcp/cases/<id>): Back and Forward move between them, a reload comes back to the case
  (after unlocking the key kept encrypted in the browser), and a case opens in a new tab.
- An admin-and-coordinator lands on /admin from the invitation; /admin/roles,
  /coordinator/volunteers/<id>, /me and the operator's /operator/orgs/<slug> each survive a
  reload in place; 30 idle minutes sign out and remove the cookie.
- Public and reporter pages set no cookie and say so; signed-in pages name the one cookie.
- Each person's afternoon (the VCP's, the admin-and-coordinator's, the operator's) costs
  one mail: the invitation or sign-in that signed them in (issue 20's "done when"; with a
  passkey, tests/browser/test_passkey_pages.py, not even that).

Throughout: only identity's HttpOnly, SameSite=Strict cookie on identity's path, no token in
storage a script can read, no code or token in a URL, every request to this origin.
"""

from __future__ import annotations

import asyncio
import re
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import Page, expect
from pymongo import MongoClient

from cli import report as reporter
from cli import vcp as vcp_cli
from cli.reporting_client import ReportingApi
from shared.crypto import KdfParams, ReportBody, load_private_key
from tests.support.browser import BrowserRecording
from tests.support.mail import sign_in_by_api, sign_in_mails, wait_for_sign_in_link
from tests.support.pages import (
    SECRET_IN_URL,
    Person,
    assert_only_the_sign_in_cookie,
    open_browser,
    sign_in_from_mail,
)
from tests.support.platform import eventually
from tests.support.web_platform import OPERATOR_EMAIL, WebPlatform

pytestmark = pytest.mark.e2e

PASSPHRASE = "vera haar geheime zin voor de sleutel"
LIGHT_KDF = KdfParams(memory_cost=1024, iterations=1, lanes=1)
SLOW = 60_000
NO_COOKIES_NL = "SafeHands bewaart je IP-adres niet en gebruikt geen cookies."


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def at(path: str) -> re.Pattern[str]:
    """The page's URL is `path`, whatever `?lang=` it carries."""
    return re.compile(f"{re.escape(path)}(\\?.*)?$")


@pytest.fixture(scope="module")
def org(web_platform: WebPlatform) -> str:
    org_id = f"uil-{uuid.uuid4().hex[:6]}"
    with web_platform.api("policy") as policy:
        registered = policy.post(
            "/v1/orgs",
            json={"org_id": org_id, "name": "Scouting De Uil", "language": "nl"},
            headers=bearer(web_platform.token("operator")),
        )
        assert registered.status_code == 201, registered.text
        role = policy.put(
            f"/v1/orgs/{org_id}/roles/leader",
            json={"title": "Leiding", "works_with_minors": True, "works_with_vulnerable": False},
            headers=bearer(web_platform.token("admin", org_id)),
        )
        assert role.status_code == 200, role.text
    return org_id


async def assert_clean(person: Person, web: WebPlatform) -> str:
    """Only the sign-in cookie (HttpOnly, SameSite=Strict, identity's path), nothing a script
    can read, no secret in a URL, nothing to another origin. Returns the cookie's value."""
    recording = person.recording
    await recording.settle()
    assert recording.requests_to_other_origins(web.origin) == []
    assert [r.url for r in recording.requests if SECRET_IN_URL.search(r.url)] == []
    assert recording.page_errors == [] and recording.csp_violations == []
    state = await person.context.storage_state()
    value = assert_only_the_sign_in_cookie(state["cookies"])
    for page in person.context.pages:
        assert await page.evaluate("document.cookie") == ""
        assert await page.evaluate("localStorage.length + sessionStorage.length") == 0
    carrying = recording.requests_containing(value)
    assert all("/api/identity/v1/" in r.url for r in carrying), [r.url for r in carrying]
    # The page never holds a refresh token: none is sent in a request's body.
    assert not [r.url for r in recording.requests if b"refresh_token" in (r.post_data or b"")]
    return value


async def unlock(page: Page) -> None:
    """The key file kept (encrypted) in this browser, opened with the passphrase."""
    await expect(page.get_by_test_id("vcp-locked")).to_be_visible(timeout=SLOW)
    await expect(page.get_by_test_id("vcp-stored-file")).to_be_visible()
    await page.get_by_test_id("vcp-passphrase").fill(PASSPHRASE)
    await page.get_by_test_id("vcp-unlock").click()


async def test_a_vcp_keeps_her_session_and_her_case_through_reloads_tabs_and_back(
    new_context: Any, web_platform: WebPlatform, org: str, tmp_path: Path
) -> None:
    web = web_platform
    address = f"vera-{org}@example.org"
    with web.api("reports") as reports:
        appointed = reports.post(
            f"/v1/orgs/{org}/vcps",
            json={"vcp_id": "vera", "name": "Vera Veilig", "email": address},
            headers=bearer(web.token("admin", org)),
        )
        assert appointed.status_code == 201, appointed.text
        key_file = vcp_cli.keygen(tmp_path / "vera.json", PASSPHRASE, params=LIGHT_KDF).path
        key = load_private_key(key_file, PASSPHRASE)
        registered = reports.put(
            f"/v1/orgs/{org}/vcps/vera/public-key",
            json={"public_key": key.public_key.model_dump()},
            headers=bearer(web.token("vcp", org, "vera")),
        )
        assert registered.status_code == 200, registered.text
    with MongoClient(web.infra.mongo_uri) as mongo:
        known = mongo[f"{web.database}_intake"]["known_vcp_keys"]
        eventually(lambda: known.count_documents({"org_id": org}) == 1, timeout=30)
    descriptions = {}
    with ReportingApi(f"{web.url}/api/intake", f"{web.url}/api/reports") as anonymous:
        for n in (1, 2):
            text = f"Melding nummer {n} over het kamp {uuid.uuid4().hex[:6]}."
            sent = reporter.submit_report(
                anonymous,
                org,
                ReportBody(category="bullying", description=text, wants_contact=False),
            )
            descriptions[sent.report_id] = text
    first, second = sorted(descriptions)

    # The invitation's link lands on /vcp, the page of the role it was sent for.
    vera = await open_browser(new_context, web, BrowserRecording())
    page = vera.page
    link = await wait_for_sign_in_link(web.maildir, address, after=0)
    await page.goto(link)
    await page.wait_for_url(at("/vcp"), timeout=30_000)
    await expect(page.get_by_test_id("vcp-locked")).to_be_visible()
    await page.get_by_test_id("vcp-key-file").set_input_files(str(key_file))
    await page.get_by_test_id("vcp-keep-in-browser").check()
    await page.get_by_test_id("vcp-passphrase").fill(PASSPHRASE)
    await page.get_by_test_id("vcp-unlock").click()
    await expect(page.get_by_test_id("vcp-inbox")).to_be_visible(timeout=SLOW)
    rows = page.get_by_test_id("vcp-report")
    for _ in range(20):
        if await rows.count() == 2:
            break
        await page.get_by_test_id("vcp-refresh").click()
        await page.wait_for_timeout(500)
    await expect(rows).to_have_count(2)

    async def shows(report_id: str) -> None:
        await page.wait_for_url(at(f"/vcp/cases/{report_id}"))
        await expect(page.get_by_test_id("vcp-report-description")).to_have_text(
            descriptions[report_id], timeout=SLOW
        )

    async def open_case(report_id: str) -> None:
        row = page.locator(f'[data-testid="vcp-report"][data-report-id="{report_id}"]')
        await row.get_by_test_id("vcp-open").click()
        await shows(report_id)

    # Each case has its address; Back and Forward move between the cases and the inbox.
    await open_case(first)
    await page.get_by_test_id("vcp-back").click()
    await expect(page.get_by_test_id("vcp-inbox")).to_be_visible()
    await page.wait_for_url(at("/vcp"))
    await open_case(second)
    await page.go_back()
    await page.wait_for_url(at("/vcp"))
    await expect(page.get_by_test_id("vcp-inbox")).to_be_visible()
    await page.go_back()
    await shows(first)
    await page.go_forward()
    await expect(page.get_by_test_id("vcp-inbox")).to_be_visible()
    await page.go_forward()
    await shows(second)

    # A reload keeps the session and the place: the key, in memory only, is asked again.
    await page.reload()
    await page.wait_for_url(at(f"/vcp/cases/{second}"))
    await unlock(page)
    await shows(second)
    await expect(page.get_by_test_id("session-nav")).to_be_visible()

    # The other case in a new tab of the same browser: signed in there too.
    tab = await vera.context.new_page()
    await tab.goto(f"/vcp/cases/{first}")
    await unlock(tab)
    await expect(tab.get_by_test_id("vcp-report-description")).to_have_text(
        descriptions[first], timeout=SLOW
    )
    # Both tabs reloaded at once renew from the one cookie without ending each other's
    # session (identity ends a session whose refresh token is used twice).
    await asyncio.gather(page.reload(), tab.reload())
    await unlock(page)
    await shows(second)
    await unlock(tab)
    await expect(tab.get_by_test_id("vcp-report-description")).to_have_text(descriptions[first])

    value = await assert_clean(vera, web)
    assert "refresh_token" not in value
    # Her afternoon (two cases, Back and Forward, reloads, a second tab) cost one mail: the
    # invitation that signed her in.
    assert sign_in_mails(web.maildir, address) == 1

    # Signing out in one tab ends the session in both and removes the cookie.
    await page.get_by_test_id("sign-out").click()
    await page.wait_for_url(at("/sign-in"))
    assert await vera.context.cookies() == []
    await expect(tab.get_by_test_id("vcp-report-description")).to_have_count(0)
    await tab.reload()
    await expect(tab.get_by_test_id("vcp-sign-in")).to_be_visible()
    await vera.recording.settle()
    assert vera.recording.requests_to_other_origins(web.origin) == []


async def test_every_signed_in_page_survives_a_reload_in_place(
    new_context: Any, web_platform: WebPlatform, org: str
) -> None:
    web = web_platform
    # A volunteer applied, so the coordinator has someone to open.
    with web.api("intake") as intake:

        def applied() -> str | None:
            answer = intake.post(
                f"/v1/orgs/{org}/applications",
                json={"role_id": "leader", "name": "Sam Sterk", "email": f"sam-{org}@example.org"},
            )
            return str(answer.json()["volunteer_id"]) if answer.status_code == 202 else None

        volunteer_id = eventually(applied, timeout=30)
    address = f"ada-{org}@example.org"
    operator = bearer(await sign_in_by_api(web, OPERATOR_EMAIL))
    with web.api("identity") as identity:
        invited = identity.post(
            f"/v1/orgs/{org}/members",
            json={"email": address, "name": "Ada", "roles": ["admin", "coordinator"]},
            headers=operator,
        )
        assert invited.status_code == 201, invited.text

    ada = await open_browser(new_context, web, BrowserRecording())
    page = ada.page
    await page.clock.install()
    link = await wait_for_sign_in_link(web.maildir, address, after=0)
    await page.goto(link)
    # The invitation was for an admin: it lands on /admin.
    await page.wait_for_url(at("/admin"))
    await expect(page.get_by_test_id("checklist")).to_be_visible()

    # An admin section has its own address, a reload stays there, Back returns.
    await page.locator('a[href^="/admin/roles"]').click()
    await page.wait_for_url(at("/admin/roles"))
    await expect(page.locator("#roles")).to_be_visible()
    await expect(page.get_by_test_id("checklist")).to_be_hidden()
    await page.reload()
    await page.wait_for_url(at("/admin/roles"))
    await expect(page.locator("#roles")).to_be_visible()
    await expect(page.locator("#codes")).to_be_hidden()
    await page.go_back()
    await page.wait_for_url(at("/admin"))
    await expect(page.get_by_test_id("checklist")).to_be_visible()
    await expect(page.locator("#codes")).to_be_visible()

    # The coordinator's volunteer: its own address, through reloads and Back.
    await page.get_by_test_id("session-nav").get_by_role("link", name="Coördinatie").click()
    await page.wait_for_url(at("/coordinator"))
    row = page.locator(f'[data-testid="coord-row"][data-volunteer-id="{volunteer_id}"]')
    await row.get_by_test_id("coord-open").click()
    await page.wait_for_url(at(f"/coordinator/volunteers/{volunteer_id}"))
    await expect(page.get_by_test_id("coord-selected")).to_contain_text("Sam Sterk")
    await page.reload()
    await expect(page.get_by_test_id("coord-selected")).to_contain_text("Sam Sterk")
    await page.go_back()
    await page.wait_for_url(at("/coordinator"))
    await expect(page.get_by_test_id("coord-selected")).to_have_count(0)
    await page.reload()
    await expect(page.get_by_test_id("coord-row")).to_have_count(1)

    # /me, reloaded: the footer names the one cookie and what it is for, in both languages.
    await page.goto("/me")
    await expect(page.get_by_test_id("membership")).to_have_count(1)
    footer = page.get_by_test_id("footer")
    await expect(footer).to_contain_text("één cookie, safehands_refresh")
    await expect(footer).to_contain_text("houdt je ingelogd")
    await page.goto("/me?lang=en")
    await expect(footer).to_contain_text("one cookie, safehands_refresh")
    await expect(footer).to_contain_text("keeps you signed in")
    await assert_clean(ada, web)
    # The admin's and coordinator's afternoon (sections, a volunteer, reloads, Back, /me in
    # two languages) cost one mail: the invitation that signed her in.
    assert sign_in_mails(web.maildir, address) == 1

    # Thirty minutes without activity: signed out, and the cookie is gone.
    await page.clock.fast_forward("31:00")
    await page.wait_for_url(at("/sign-in"))
    await expect(page.get_by_test_id("signed-out")).to_contain_text("30 minutes")
    # The page goes to the sign-in page at once; identity's answer removes the cookie.
    for _ in range(50):
        if await ada.context.cookies() == []:
            break
        await asyncio.sleep(0.2)
    assert await ada.context.cookies() == []
    await page.goto("/admin")
    await expect(page.get_by_test_id("not-signed-in")).to_be_visible()

    # The operator: /operator, then one organisation's own address.
    op = await open_browser(new_context, web, BrowserRecording())
    mailed_before = sign_in_mails(web.maildir, OPERATOR_EMAIL)
    await sign_in_from_mail(op, web, OPERATOR_EMAIL, "/operator")
    await (
        op.page.locator(f'[data-testid="org-row"][data-org="{org}"]')
        .get_by_test_id("org-open")
        .click()
    )
    await op.page.wait_for_url(at(f"/operator/orgs/{org}"))
    detail = op.page.get_by_test_id("op-org")
    await expect(detail).to_have_attribute("data-org", org)
    await expect(detail).to_contain_text("Scouting De Uil")
    await op.page.reload()
    await expect(detail).to_contain_text("Scouting De Uil")
    await expect(op.page.get_by_test_id("op-org-pillar-vcp")).to_be_visible()
    await op.page.go_back()
    await op.page.wait_for_url(at("/operator"))
    await expect(op.page.get_by_test_id("orgs")).to_be_visible()
    await op.page.reload()
    await expect(op.page.get_by_test_id("orgs")).to_be_visible()
    await assert_clean(op, web)
    # The operator's rounds cost one sign-in mail.
    assert sign_in_mails(web.maildir, OPERATOR_EMAIL) == mailed_before + 1


async def signed_in_as_operator(page: Page) -> None:
    await expect(page.get_by_role("heading", level=1)).to_have_text("Platformbeheer")
    await expect(page.get_by_test_id("session-nav")).to_be_visible()


async def test_a_renewal_cut_off_by_a_reload_does_not_sign_the_person_out(
    new_context: Any, web_platform: WebPlatform
) -> None:
    """Identity rotates the refresh token, but the browser never sees the answer (the person
    reloaded while it was on its way): the next reload presents the old cookie again. That is
    not a stolen token, and the person stays signed in (CI saw this sign an admin out)."""
    web = web_platform
    op = await open_browser(new_context, web, BrowserRecording())
    await sign_in_from_mail(op, web, OPERATOR_EMAIL, "/operator")
    await signed_in_as_operator(op.page)
    # The renewal identity answered but the browser never saw: the same cookie, sent from
    # outside the browser, so the browser's jar keeps the old token.
    (cookie,) = await op.context.cookies()
    async with httpx.AsyncClient(base_url=web.url) as outside:
        rotated = await outside.post(
            "/api/identity/v1/tokens",
            json={},
            headers={
                "X-SafeHands-Session": "cookie",
                "Cookie": f"{cookie['name']}={cookie['value']}",
            },
        )
    assert rotated.status_code == 200, rotated.text
    assert (await op.context.cookies())[0]["value"] == cookie["value"]
    await op.page.reload()
    await signed_in_as_operator(op.page)
    await op.page.reload()
    await signed_in_as_operator(op.page)
    await assert_clean(op, web)


async def test_public_and_reporter_pages_set_no_cookie_and_say_so(
    new_context: Any, web_platform: WebPlatform, org: str
) -> None:
    person = await open_browser(new_context, web_platform, BrowserRecording())
    page = person.page
    for path in ("/", f"/o/{org}", f"/o/{org}/report", f"/o/{org}/follow-up", f"/o/{org}/apply"):
        await page.goto(path, wait_until="networkidle")
        await expect(page.get_by_test_id("footer")).to_have_text(NO_COOKIES_NL)
        assert await person.context.cookies() == [], path
    await person.recording.settle()
    # These pages do not even ask whether the browser holds a session.
    assert not [r.url for r in person.recording.requests if "/api/identity/" in r.url]
    # The sign-in page asks nothing either, and sets no cookie until a link is followed.
    await page.goto("/sign-in", wait_until="networkidle")
    assert await person.context.cookies() == []
