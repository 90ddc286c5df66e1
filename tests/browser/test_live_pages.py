"""Live pages (issue 20, item 5) in Chromium, through the real gateway and platform: a page
updates by itself, with no refresh and no reload, when something it shows changes.

A VCP's inbox is open in one browser; a reporter submits a report and the case appears,
marked unread, with the count in the tab's title. Opened, it is read; the reporter's next
message marks it unread again and shows in the open case. A coordinator's pipeline shows a
new application. Every request of these pages stays on the gateway's origin, the stream's
included, and no token is in a URL.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.async_api import APIResponse, BrowserContext, Page, Route, expect

from cli import report as reporter
from cli import vcp as vcp_cli
from cli.reporting_client import ReportingApi
from shared.crypto import KdfParams, ReportBody, load_private_key
from tests.support.browser import BrowserRecording
from tests.support.mail import links_in, mails_to, wait_for_mail, wait_for_sign_in_link
from tests.support.platform import eventually
from tests.support.vcps import appoint_vcp
from tests.support.web_platform import WebPlatform

pytestmark = pytest.mark.e2e

LIGHT_KDF = KdfParams(memory_cost=1024, iterations=1, lanes=1)
LIVE = 20_000  # ms: a hint travels event → database → feed → stream → refetch
NewContext = Callable[..., Awaitable[BrowserContext]]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def new_org(web: WebPlatform) -> str:
    org = f"live-{uuid.uuid4().hex[:6]}"
    with web.api("policy") as policy:
        answer = policy.post(
            "/v1/orgs",
            json={"org_id": org, "name": "Zwemclub De Golf", "language": "nl"},
            headers=bearer(web.token("operator")),
        )
    assert answer.status_code == 201, answer.text
    return org


async def follow_invitation(page: Page, web: WebPlatform, address: str, lands_on: str) -> None:
    [mail] = await wait_for_mail(web.maildir, address, timeout=30)
    [link] = [url for url in links_in(mail) if "/sign-in/callback#code=" in url]
    await page.goto(link)
    await page.wait_for_url(re.compile(f"{re.escape(lands_on)}(\\?.*)?$"), timeout=30_000)


def add_lifeguard_role(web: WebPlatform, org: str) -> None:
    role = {"title": "Badmeester", "works_with_minors": False, "works_with_vulnerable": False}
    with web.api("policy") as policy:
        answer = policy.put(
            f"/v1/orgs/{org}/roles/lifeguard", json=role, headers=bearer(web.token("admin", org))
        )
    assert answer.status_code == 200, answer.text


def apply_as_lifeguard(web: WebPlatform, org: str, name: str, email: str) -> str:
    """An application for the lifeguard role (once intake knows the role); its volunteer id."""
    applied: dict[str, str] = {}

    def apply() -> bool:
        with web.api("intake") as intake:
            answer = intake.post(
                f"/v1/orgs/{org}/applications",
                json={"role_id": "lifeguard", "name": name, "email": email},
            )
        applied.update(answer.json() if answer.status_code == 202 else {})
        return answer.status_code == 202

    eventually(apply, timeout=30)
    return applied["volunteer_id"]


async def sign_in_as_coordinator(page: Page, web: WebPlatform, org: str) -> None:
    """The admin invites Cor as coordinator; Cor follows the invitation to /coordinator."""
    address = f"cor-{org}@example.org"

    def invite() -> bool:
        with web.api("identity") as identity:
            answer = identity.post(
                f"/v1/orgs/{org}/members",
                json={"email": address, "name": "Cor Coach", "roles": ["coordinator"]},
                headers=bearer(web.token("admin", org)),
            )
        return answer.status_code == 201

    eventually(invite, timeout=30)
    await follow_invitation(page, web, address, "/coordinator")


def assert_no_token_in_urls(recording: BrowserRecording, web: WebPlatform) -> None:
    assert recording.requests_to_other_origins(web.origin) == []
    for request in recording.requests:
        # A JWT starts with "eyJ" (base64 of '{"'); no query names one either.
        assert "eyJ" not in request.url, request.url
        assert "token=" not in request.url.lower(), request.url


async def test_the_vcp_inbox_and_case_update_by_themselves(
    page: Page, recording: BrowserRecording, web_platform: WebPlatform, tmp_path: Path
) -> None:
    web = web_platform
    org = new_org(web)
    passphrase = "lena haar eigen zin"
    made = vcp_cli.keygen(tmp_path / "lena.json", passphrase, params=LIGHT_KDF)
    key = load_private_key(made.path, passphrase)
    address = f"lena-{org}@example.org"
    with web.api("reports") as reports:
        appoint_vcp(
            reports,
            org,
            "lena",
            key,
            admin=bearer(web.token("admin", org)),
            vcp=bearer(web.token("vcp", org, "lena")),
            name="Lena Laan",
            email=address,
        )
    # The reporter's page seals to the keys intake knows: wait until it knows Lena's.
    with ReportingApi(f"{web.url}/api/intake", f"{web.url}/api/reports") as anonymous:
        eventually(lambda: anonymous.vcp_keys(org), timeout=30)

    await follow_invitation(page, web, address, "/vcp")
    await page.get_by_test_id("vcp-key-file").set_input_files(str(made.path))
    await page.get_by_test_id("vcp-passphrase").fill(passphrase)
    await page.get_by_test_id("vcp-unlock").click()
    await expect(page.get_by_test_id("vcp-inbox")).to_be_visible(timeout=60_000)
    await expect(page.get_by_test_id("vcp-report")).to_have_count(0)
    await expect(page).not_to_have_title(re.compile(r"^\(\d+\)"))

    # A reporter submits: the case appears without a click, unread, counted in the title.
    with ReportingApi(f"{web.url}/api/intake", f"{web.url}/api/reports") as anonymous:
        submitted = eventually(
            lambda: _submit(anonymous, org, "Iemand duwde kinderen in het water."), timeout=30
        )
    row = page.locator(f'[data-testid="vcp-report"][data-report-id="{submitted.report_id}"]')
    await expect(row).to_be_visible(timeout=LIVE)
    await expect(row).to_have_attribute("data-unread", "true")
    await expect(row.get_by_test_id("vcp-unread")).to_be_visible()
    await expect(page).to_have_title(re.compile(r"^\(1\) "))

    # Opened, it is read: back in the inbox neither the row nor the title says unread.
    await row.get_by_test_id("vcp-open").click()
    await expect(page.get_by_test_id("vcp-report-description")).to_have_text(
        "Iemand duwde kinderen in het water."
    )
    await page.get_by_test_id("vcp-back").click()
    await expect(row).to_have_attribute("data-unread", "false", timeout=LIVE)
    await expect(page).not_to_have_title(re.compile(r"^\(\d+\)"))

    # The reporter writes: unread again, in the row and the title, with no reload.
    with ReportingApi(f"{web.url}/api/intake", f"{web.url}/api/reports") as anonymous:
        reporter.reply_as_reporter(anonymous, org, submitted.receipt, "Het was op woensdag.")
    await expect(row).to_have_attribute("data-unread", "true", timeout=LIVE)
    await expect(page).to_have_title(re.compile(r"^\(1\) "))

    # With the case open, the reporter's next message shows in it by itself.
    await row.get_by_test_id("vcp-open").click()
    messages = page.get_by_test_id("vcp-message")
    await expect(messages).to_have_count(1)
    with ReportingApi(f"{web.url}/api/intake", f"{web.url}/api/reports") as anonymous:
        reporter.reply_as_reporter(anonymous, org, submitted.receipt, "En ook op vrijdag.")
    await expect(messages).to_have_count(2, timeout=LIVE)
    await expect(messages.nth(1)).to_contain_text("En ook op vrijdag.")

    await recording.settle()
    assert recording.page_errors == [], recording.page_errors
    assert [r for r in recording.requests if r.url.endswith(f"/api/reports/v1/orgs/{org}/changes")]
    assert_no_token_in_urls(recording, web)


def _submit(api: ReportingApi, org: str, description: str) -> reporter.Submission | None:
    try:
        return reporter.submit_report(
            api,
            org,
            ReportBody(category="aggression", description=description, wants_contact=False),
        )
    except Exception:
        return None


async def test_the_coordinator_pipeline_shows_a_new_application_by_itself(
    page: Page, recording: BrowserRecording, web_platform: WebPlatform
) -> None:
    web = web_platform
    org = new_org(web)
    add_lifeguard_role(web, org)
    await sign_in_as_coordinator(page, web, org)
    await expect(page.get_by_role("heading", level=1)).to_have_text("Coördinatie: vrijwilligers")
    rows = page.get_by_test_id("coord-row")
    await expect(rows).to_have_count(0)

    apply_as_lifeguard(web, org, "Lotte Levend", f"lotte-{org}@example.org")
    await expect(rows.filter(has_text="Lotte Levend")).to_be_visible(timeout=LIVE)

    await recording.settle()
    assert recording.page_errors == [], recording.page_errors
    assert_no_token_in_urls(recording, web)


async def test_a_late_answer_does_not_put_back_what_a_filter_took_away(
    page: Page, recording: BrowserRecording, web_platform: WebPlatform
) -> None:
    """The pipeline's reads overlap: the first read, a live hint's, a filter's. CI saw the
    list of every stage, answered late, come back over the "admitted" filter just chosen.
    Here the list's unfiltered read is held until the filter's answer is on screen."""
    web = web_platform
    org = new_org(web)
    add_lifeguard_role(web, org)
    apply_as_lifeguard(web, org, "Lotte Laat", f"l-{org}@example.org")
    await sign_in_as_coordinator(page, web, org)
    rows = page.get_by_test_id("coord-row")
    await expect(rows.filter(has_text="Lotte Laat")).to_be_visible(timeout=LIVE)

    # The next read of every stage is held: its answer is taken from the server at once and
    # handed to the page only after the filter's.
    held: list[tuple[Route, APIResponse]] = []

    async def hold_unfiltered(route: Route) -> None:
        query = parse_qs(urlsplit(route.request.url).query)
        if held or query.keys() & {"state", "vog_due_within_days", "must_resign"}:
            await route.continue_()
            return
        held.append((route, await route.fetch()))

    listed = f"**/api/policy/v1/orgs/{org}/volunteers?*"
    await page.route(listed, hold_unfiltered)
    await page.get_by_test_id("coord-refresh").click()
    while not held:
        await page.wait_for_timeout(50)
    await page.get_by_test_id("coord-stage-admitted").click()
    await expect(page.get_by_text("Geen vrijwilligers gevonden.")).to_be_visible()

    route, every_stage = held[0]
    async with page.expect_response(listed):
        await route.fulfill(response=every_stage)
    await page.unroute(listed)
    # Watched for a second, not awaited: a later read (a live hint's) would hide the late
    # answer again, so the row must not show at any moment.
    for _ in range(20):
        assert await rows.count() == 0, "the late answer of every stage was shown"
        await page.wait_for_timeout(50)
    await expect(page.get_by_text("Geen vrijwilligers gevonden.")).to_be_visible()
    assert recording.page_errors == [], recording.page_errors


async def test_a_volunteers_me_shows_the_coordinators_interview_by_itself(
    page: Page, recording: BrowserRecording, web_platform: WebPlatform
) -> None:
    web = web_platform
    org = new_org(web)
    add_lifeguard_role(web, org)
    address = f"vera-{org}@example.org"
    volunteer_id = apply_as_lifeguard(web, org, "Vera Vlot", address)
    await page.goto("/sign-in?next=/me")
    await page.get_by_test_id("sign-in-email").fill(address)
    before = len(mails_to(web.maildir, address))
    await page.get_by_test_id("sign-in-submit").click()
    link = await wait_for_sign_in_link(web.maildir, address, after=before)
    await page.goto(link)
    await page.wait_for_url(re.compile(r"/me(\?.*)?$"), timeout=30_000)
    interview = page.get_by_test_id("volunteer-missing-interview")
    await expect(interview).to_be_visible(timeout=LIVE)

    # The coordinator records the interview elsewhere: /me shows it by itself.
    with web.api("intake") as intake:
        recorded = intake.post(
            f"/v1/orgs/{org}/volunteers/{volunteer_id}/interview",
            json={"outcome": "proceed"},
            headers=bearer(web.token("coordinator", org)),
        )
    assert recorded.status_code == 201, recorded.text
    await expect(interview).to_have_count(0, timeout=LIVE)

    await recording.settle()
    assert recording.page_errors == [], recording.page_errors
    assert [r for r in recording.requests if r.url.endswith(f"/api/policy/v1/orgs/{org}/changes")]
    assert_no_token_in_urls(recording, web)
