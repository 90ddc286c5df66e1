"""The admission pages in Chromium through the gateway (issue 13, items 1 and 2).

A volunteer applies on /o/{org}/apply; the coordinator, signed in from the invitation,
records the interview on /coordinator; the volunteer signs in with the address they applied
with and signs the code on /me; the coordinator records the VOG (a future date is refused
in the page, before any request); the volunteer's page says "admitted". A new version of the
code makes it ask to sign again, while the volunteer stays admitted for the grace period. A volunteer who opens /coordinator is told they have no
access. axe-core checks every state, in Dutch and in English.
"""

from __future__ import annotations

import hashlib
import io
import re
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from playwright.async_api import BrowserContext, Page, Route, ViewportSize, expect

from shared.domain.calendar import today as organisation_today
from tests.support.browser import BrowserRecording, axe_violations, describe_violations
from tests.support.mail import links_in, mails_to, sign_in_by_api, wait_for_mail
from tests.support.pages import assert_fits
from tests.support.web_platform import OPERATOR_EMAIL, WebPlatform

pytestmark = pytest.mark.e2e

CODE_V1 = (
    "# Gedragscode\n\n## 1. Respect\n\n- Wij gaan respectvol met elkaar om.\n"
    "- We zijn nooit alleen met een kind.\n"
)
CODE_V2 = CODE_V1 + "\n## 2. Foto's\n\nWe delen geen foto's van kinderen.\n"


LANG_OF = {"English": "en", "Nederlands": "nl"}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def assert_accessible(page: Page) -> None:
    violations = await axe_violations(page)
    assert violations == [], describe_violations(violations)


async def in_both_languages(page: Page) -> None:
    """axe on the page as it is, in English and in Dutch (the switch keeps the page)."""
    for name in ("English", "Nederlands"):
        await (
            page.get_by_role("navigation", name=re.compile("^(Taal|Language)$"))
            .get_by_role("link", name=name)
            .click()
        )
        await expect(page.locator("html")).to_have_attribute("lang", LANG_OF[name])
        await assert_accessible(page)


NARROW: ViewportSize = {"width": 320, "height": 720}


@pytest.fixture(scope="module")
def org(web_platform: WebPlatform) -> Iterator[str]:
    """An organisation with a youth-coach role (works with minors) and version 1 of its code."""
    org_id = f"club-{uuid.uuid4().hex[:6]}"
    admin = bearer(web_platform.token("admin", org_id))
    with web_platform.api("policy") as policy:
        registered = policy.post(
            "/v1/orgs",
            json={"org_id": org_id, "name": "Hockeyclub De Stick", "language": "nl"},
            headers=bearer(web_platform.token("operator")),
        )
        assert registered.status_code == 201, registered.text
        role = policy.put(
            f"/v1/orgs/{org_id}/roles/youth-coach",
            json={
                "title": "Jeugdtrainer",
                "works_with_minors": True,
                "works_with_vulnerable": False,
            },
            headers=admin,
        )
        assert role.status_code == 200, role.text
        code = policy.post(f"/v1/orgs/{org_id}/codes", json={"text": CODE_V1}, headers=admin)
        assert code.status_code == 201, code.text
    yield org_id


async def sign_in_from_mail(page: Page, web: WebPlatform, link: str, lands_on: str = "/me") -> None:
    """Follow a mailed link: it lands on the page of the role it was sent for (a volunteer's
    is /me, a coordinator's invitation /coordinator)."""
    await page.goto(link)
    await page.wait_for_url(re.compile(f"{re.escape(lands_on)}(\\?.*)?$"))


async def sign_in_link(web: WebPlatform, address: str, after: int) -> str:
    """The sign-in link of the first mail after the first `after` ones that holds one (the
    volunteer also gets notify's mails about their application meanwhile)."""
    for count in range(after + 1, after + 6):
        mails = await wait_for_mail(web.maildir, address, count=count)
        for mail in mails[after:]:
            links = [url for url in links_in(mail) if "/sign-in/callback#code=" in url]
            if links:
                return links[0]
    raise AssertionError(f"no sign-in link in the mails to {address}")


async def test_the_admission_pillar_through_the_pages(
    page: Page,
    new_context: Any,
    recording: BrowserRecording,
    web_platform: WebPlatform,
    org: str,
) -> None:
    volunteer_email = f"anna-{uuid.uuid4().hex[:6]}@example.org"
    coordinator_email = f"coach-{uuid.uuid4().hex[:6]}@example.org"

    # 1. The organisation's page leads to the application; the roles say what they need.
    await page.set_viewport_size(NARROW)
    await page.goto(f"/o/{org}")
    await page.get_by_test_id("org-apply-link").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        "Vrijwilliger worden bij Hockeyclub De Stick"
    )
    await expect(page.get_by_text("omdat je met kinderen werkt")).to_be_visible()
    await in_both_languages(page)
    await assert_fits(page)

    # Nothing chosen: the page says what is missing beside each field, before any request.
    await page.get_by_test_id("apply-submit").click()
    await expect(page.locator("#role-error")).to_have_text("Kies een rol.")
    await expect(page.locator("#apply-name-error")).to_have_text("Vul je naam in.")
    await in_both_languages(page)
    await recording.settle()
    assert not [r for r in recording.requests if r.url.endswith("/applications")]

    # With the keyboard alone: after a failed attempt the first role's radio has focus.
    await page.get_by_test_id("apply-submit").click()
    await expect(page.get_by_test_id("apply-role-youth-coach")).to_be_focused()
    await page.keyboard.press("Space")
    await expect(page.get_by_test_id("apply-role-youth-coach")).to_be_checked()
    await page.keyboard.press("Tab")
    await expect(page.get_by_test_id("apply-name")).to_be_focused()
    await page.keyboard.type("Anna de Vries")
    await page.keyboard.press("Tab")
    # An address the page lets through but intake refuses: its sentence stands by the field.
    await page.keyboard.type("anna@example..org")
    await page.keyboard.press("Tab")
    await page.keyboard.type("06 1234 5678")
    await page.keyboard.press("Tab")
    await page.keyboard.type("Ik speel zelf al tien jaar.")
    await page.keyboard.press("Tab")
    await expect(page.get_by_test_id("apply-submit")).to_be_focused()
    await page.keyboard.press("Enter")
    await expect(page.locator("#apply-email-error")).to_contain_text("email")
    await expect(page.get_by_test_id("apply-email")).to_have_attribute(
        "aria-describedby", "apply-email-hint apply-email-error"
    )
    await expect(page.get_by_test_id("apply-name")).to_have_value("Anna de Vries")
    await expect(page.get_by_test_id("apply-motivation")).to_have_value(
        "Ik speel zelf al tien jaar."
    )
    await expect(page.get_by_test_id("apply-phone")).to_have_value("06 1234 5678")
    await in_both_languages(page)
    await page.get_by_test_id("apply-email").fill(volunteer_email)
    # Too many people apply at once: intake answers 503 at once (its lane is full, see
    # tests/integration/test_application_lane.py, which fills it). The page says so in plain
    # words and keeps what was typed; sent again, it is taken.
    applications = "**/v1/orgs/*/applications"

    async def crowded(route: Route) -> None:
        await route.fulfill(
            status=503,
            headers={"Retry-After": "2"},
            json={"detail": "Too many people are applying at this moment; please try again."},
        )

    await page.route(applications, crowded)
    await page.get_by_test_id("apply-submit").click()
    await expect(page.get_by_test_id("apply-error")).to_have_text(
        "Er zijn nu te veel aanmeldingen. Wacht even en probeer het opnieuw."
    )
    await expect(page.get_by_test_id("apply-email")).to_have_value(volunteer_email)
    await page.unroute(applications)
    await page.get_by_test_id("apply-submit").click()
    done = page.get_by_test_id("apply-done")
    await expect(done).to_contain_text("Bedankt voor je aanmelding")
    await expect(done).to_contain_text("Justis")
    await expect(done).to_contain_text(volunteer_email)
    await in_both_languages(page)

    # 2. The coordinator is invited and signs in from the invitation.
    operator = bearer(await sign_in_by_api(web_platform, OPERATOR_EMAIL))
    with web_platform.api("identity") as identity:
        invited = identity.post(
            f"/v1/orgs/{org}/members",
            json={"email": coordinator_email, "name": "Cor Coach", "roles": ["coordinator"]},
            headers=operator,
        )
        assert invited.status_code == 201, invited.text
    coordinator_context: BrowserContext = await new_context(base_url=web_platform.url)
    coordinator = await coordinator_context.new_page()
    await coordinator.set_viewport_size(NARROW)
    invitation = (await wait_for_mail(web_platform.maildir, coordinator_email))[-1]
    [link] = [url for url in links_in(invitation) if "/sign-in/callback#code=" in url]
    await sign_in_from_mail(coordinator, web_platform, link, lands_on="/coordinator")
    await expect(coordinator.get_by_role("heading", level=1)).to_have_text(
        "Coördinatie: vrijwilligers"
    )
    row = coordinator.get_by_test_id("coord-row").filter(has_text="Anna de Vries")
    await expect(row).to_contain_text("Aangemeld")
    await expect(row).to_contain_text("Nog nodig: gesprek")
    await in_both_languages(coordinator)
    await assert_fits(coordinator)

    # The search and the stage filter are the server's.
    await coordinator.get_by_test_id("coord-search").fill("vries")
    await coordinator.get_by_test_id("coord-search-submit").click()
    await expect(coordinator.get_by_test_id("coord-row")).to_have_count(1)
    await coordinator.get_by_test_id("coord-stage-admitted").click()
    await expect(coordinator.get_by_text("Geen vrijwilligers gevonden.")).to_be_visible()
    await coordinator.get_by_test_id("coord-stage-applied").click()
    await expect(coordinator.get_by_test_id("coord-row")).to_have_count(1)

    # 3. The interview: "in doubt, don't admit" stands at the decision.
    await row.get_by_test_id("coord-open").click()
    selected = coordinator.get_by_test_id("coord-selected")
    await expect(selected.locator("#doubt-rule")).to_contain_text("Twijfel je?")
    await coordinator.get_by_test_id("coord-interview-submit").click()
    await expect(coordinator.locator("#outcome-error")).to_have_text("Kies een uitkomst.")
    await in_both_languages(coordinator)
    await coordinator.get_by_test_id("coord-outcome-proceed").check()
    await coordinator.get_by_test_id("coord-notes").fill("Enthousiast, ervaren.")
    await coordinator.get_by_test_id("coord-interview-submit").click()
    await expect(coordinator.get_by_test_id("coord-recorded")).to_contain_text("Anna de Vries")

    # 4. The volunteer signs in with the address they applied with and signs the code.
    before = len(mails_to(web_platform.maildir, volunteer_email))
    await page.goto("/sign-in")
    await page.get_by_test_id("sign-in-email").fill(volunteer_email)
    await page.get_by_test_id("sign-in-submit").click()
    link = await sign_in_link(web_platform, volunteer_email, before)
    await sign_in_from_mail(page, web_platform, link)
    status = page.get_by_test_id("volunteer-status")
    await expect(status).to_have_attribute("data-status", "pending")
    await expect(page.get_by_test_id("volunteer-missing-code_signature")).to_be_visible()
    await expect(page.get_by_test_id("volunteer-missing-vog")).to_contain_text("Justis")
    # The code reads as a document: headings and a list, no Markdown and no hash.
    code = page.get_by_test_id("volunteer-code")
    await expect(code.get_by_role("heading", level=2, name="1. Respect")).to_be_visible()
    await expect(code.locator("li")).to_have_count(2)
    await expect(code).not_to_contain_text("##")
    await expect(page.get_by_test_id("volunteer-code-version")).to_contain_text("Versie 1")
    await in_both_languages(page)
    await assert_fits(page)
    await page.get_by_test_id("volunteer-full-name").fill("Anna")
    await page.get_by_test_id("volunteer-sign").click()
    await expect(page.get_by_test_id("volunteer-sign-error")).to_contain_text("volledige naam")
    await in_both_languages(page)
    await page.get_by_test_id("volunteer-full-name").fill("Anna de Vries")
    await page.get_by_test_id("volunteer-sign").click()
    signed = page.get_by_test_id("volunteer-signed")
    await expect(signed).to_contain_text("Anna de Vries")
    await expect(signed).not_to_contain_text(hashlib.sha256(CODE_V1.encode()).hexdigest())
    await expect(signed).to_contain_text("1, van")
    async with page.expect_download() as download_info:
        await page.get_by_test_id("volunteer-receipt-download").click()
    receipt_path = await (await download_info.value).path()
    assert "Anna de Vries" in Path(receipt_path).read_text(encoding="utf-8")
    await in_both_languages(page)

    # 5. The coordinator records the VOG: a date in the future is refused before a request.
    await coordinator.get_by_test_id("coord-stage-all").click()
    row = coordinator.get_by_test_id("coord-row").filter(has_text="Anna de Vries")
    await row.get_by_test_id("coord-open").click()
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    await coordinator.get_by_test_id("coord-vog-issued-on").fill(tomorrow)
    await coordinator.get_by_test_id("coord-vog-checked-by").fill("Cor Coach")
    await coordinator.get_by_test_id("coord-vog-submit").click()
    await expect(coordinator.locator("#vog-issued-on-error")).to_contain_text("toekomst")
    await coordinator.get_by_test_id("coord-vog-issued-on").fill(
        (date.today() - timedelta(days=400)).isoformat()
    )
    await coordinator.get_by_test_id("coord-vog-submit").click()
    await expect(coordinator.locator("#vog-issued-on-error")).to_contain_text("te oud")
    await in_both_languages(coordinator)
    await assert_fits(coordinator)
    # What was typed stays.
    await expect(coordinator.get_by_test_id("coord-vog-checked-by")).to_have_value("Cor Coach")
    await coordinator.get_by_test_id("coord-vog-issued-on").fill(
        (date.today() - timedelta(days=5)).isoformat()
    )
    await coordinator.get_by_test_id("coord-vog-submit").click()
    await expect(coordinator.get_by_test_id("coord-recorded")).to_contain_text("VOG")

    # 6. The volunteer's page says "admitted", with the date to renew the VOG.
    async def admitted() -> None:
        await page.get_by_test_id("volunteer-refresh").click()
        await expect(status).to_have_attribute("data-status", "admitted", timeout=3000)

    for attempt in range(10):
        try:
            await admitted()
            break
        except AssertionError:
            if attempt == 9:
                raise
    await expect(status).to_contain_text("toegelaten")
    await expect(page.get_by_test_id("volunteer-vog-renewal")).to_contain_text("vernieuwen")
    await in_both_languages(page)

    # The board's CSV names her with her role and dates.
    await coordinator.get_by_test_id("coord-stage-admitted").click()
    await expect(coordinator.get_by_test_id("coord-row")).to_have_count(1)
    async with coordinator.expect_download() as download_info:
        await coordinator.get_by_test_id("coord-export").click()
    csv_text = Path(await (await download_info.value).path()).read_text(encoding="utf-8")
    # Dutch Excel reads it: a byte order mark for UTF-8, semicolons between the columns.
    assert csv_text.startswith("\ufeff")
    # Admitted on the organisation's day (the Netherlands'), which is not the test machine's
    # UTC day between 23:00 and 24:00 UTC.
    assert f"Anna de Vries;Jeugdtrainer;{organisation_today().isoformat()};" in csv_text
    # And as an Excel workbook, beside it, with the same row.
    async with coordinator.expect_download() as download_info:
        await coordinator.get_by_test_id("coord-export-xlsx").click()
    download = await download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    # The saved file has no extension, which openpyxl insists on: read it from memory.
    sheet = load_workbook(io.BytesIO((await download.path()).read_bytes())).active
    assert sheet is not None
    rows = [[cell.value for cell in line] for line in sheet.iter_rows()]
    assert rows[0][0] == "Naam" and rows[1][:2] == ["Anna de Vries", "Jeugdtrainer"]
    assert (date.today() - timedelta(days=5)).isoformat() in csv_text

    # 7. A new version: the volunteer's page asks to sign again; the coordinator lists her.
    with web_platform.api("policy") as policy:
        published = policy.post(
            f"/v1/orgs/{org}/codes",
            json={"text": CODE_V2},
            headers=bearer(web_platform.token("admin", org)),
        )
        assert published.status_code == 201, published.text
    for attempt in range(10):
        await page.get_by_test_id("volunteer-refresh").click()
        try:
            await expect(page.get_by_test_id("volunteer-resign")).to_be_visible(timeout=3000)
            break
        except AssertionError:
            if attempt == 9:
                raise
    await expect(page.get_by_test_id("volunteer-resign")).to_contain_text("versie 2")
    # The grace period: still admitted while she signs the new version.
    await expect(status).to_have_attribute("data-status", "admitted")
    await expect(code.get_by_role("heading", level=2, name="2. Foto's")).to_be_visible()
    await expect(page.get_by_test_id("volunteer-full-name")).to_be_visible()
    await in_both_languages(page)
    resigning = coordinator.get_by_test_id("coord-resign").get_by_test_id("coord-row")
    for attempt in range(10):
        await coordinator.get_by_test_id("coord-refresh").click()
        try:
            await expect(resigning).to_contain_text("Anna de Vries", timeout=3000)
            break
        except AssertionError:
            if attempt == 9:
                raise
    await expect(resigning).to_contain_text("versie 2")
    await in_both_languages(coordinator)

    # Access: the volunteer opening /coordinator is told they have no access.
    await page.evaluate(
        "history.pushState(null, '', '/coordinator'); dispatchEvent(new PopStateEvent('popstate'))"
    )
    await expect(page.get_by_test_id("no-access")).to_contain_text(
        "Je hebt geen toegang tot deze pagina"
    )
    await in_both_languages(page)

    await recording.settle()
    assert recording.csp_violations == [] and recording.page_errors == []
    assert recording.requests_to_other_origins(web_platform.origin) == []
    await coordinator_context.close()


async def test_a_volunteer_token_gets_403_from_the_list(
    web_platform: WebPlatform, org: str
) -> None:
    with web_platform.api("policy") as policy:
        answer = policy.get(
            f"/v1/orgs/{org}/volunteers", headers=bearer(web_platform.token("volunteer", org))
        )
    assert answer.status_code == 403
