"""One inbox for a regional centre's VCP serving two organisations (issue 24 item 2), in
Chromium through the real gateway against the real platform: Carla, the centre's VCP, is a
VCP of the Bevers and the Uilen (asked by both, accepted in both, one key in each); a third
organisation's own VCP happens to have her id. Signed in once, with her key unlocked, /vcp
lists her cases under each organisation's name, each case under its own organisation, and
nothing of the third; a case of the other organisation opens there, after the page switched
to that organisation and her key there was unlocked. Axe-clean, no page error, no CSP
violation."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
from playwright.async_api import Page, expect

from cli import report as reporter
from cli import vcp as vcp_cli
from cli.reporting_client import ReportingApi
from shared.crypto import PrivateKey, ReportBody, load_private_key
from shared.crypto.signing import signing_public_key
from tests.browser.test_vcp_workspace import (
    LIGHT_KDF,
    VcpOrg,
    assert_accessible,
    bearer,
    registered_org,
    sign_in_again,
)
from tests.support.browser import BrowserRecording
from tests.support.pages import assert_fits_320_pixels
from tests.support.web_platform import WebPlatform

pytestmark = pytest.mark.e2e


def set_key(org: VcpOrg, vcp_id: str, key: PrivateKey) -> None:
    with org.web.api("reports") as reports:
        answer = reports.put(
            f"/v1/orgs/{org.id}/vcps/{vcp_id}/public-key",
            json={
                "public_key": key.public_key.model_dump(),
                "signing_key": signing_public_key(key),
            },
            headers=bearer(org.web.token("vcp", org.id, vcp_id)),
        )
    assert answer.status_code == 200, answer.text
    org.intake_knows(key.fingerprint)


def report_in(org: VcpOrg) -> str:
    web = org.web
    with ReportingApi(f"{web.url}/api/intake", f"{web.url}/api/reports") as api:
        submitted = reporter.submit_report(
            api,
            org.id,
            ReportBody(
                category="other", description=f"Melding bij {org.name}", wants_contact=False
            ),
        )
    return submitted.report_id


async def unlock_here(page: Page, key_file: Path, passphrase: str) -> None:
    await expect(page.get_by_test_id("vcp-locked")).to_be_visible(timeout=30_000)
    await page.get_by_test_id("vcp-key-file").set_input_files(str(key_file))
    await page.get_by_test_id("vcp-passphrase").fill(passphrase)
    await page.get_by_test_id("vcp-unlock").click()


async def test_a_centre_vcp_sees_her_cases_grouped_by_organisation_and_opens_one_there(
    page: Page, recording: BrowserRecording, web_platform: WebPlatform, tmp_path: Path
) -> None:
    bevers = registered_org(web_platform, "groep", "Scouting De Bevers")
    uilen = registered_org(web_platform, "groep", "Hockeyclub De Uilen")
    derde = registered_org(web_platform, "groep", "Zwemclub De Derde")
    carla = f"centre-{uuid.uuid4().hex[:6]}"
    passphrase = "carla haar eigen lange zin"
    made = vcp_cli.keygen(tmp_path / "carla.json", passphrase, params=LIGHT_KDF)
    key = load_private_key(made.path, passphrase)
    with web_platform.api("reports") as reports:
        listed = reports.post(
            "/v1/centre-vcps",
            json={"vcp_id": carla, "name": "Carla Steunpunt", "email": bevers.address(carla)},
            headers=bearer(web_platform.token("operator")),
        )
        assert listed.status_code == 201, listed.text
        for org in (bevers, uilen):
            asked = reports.post(
                f"/v1/orgs/{org.id}/centre-vcps",
                json={"vcp_id": carla},
                headers=bearer(web_platform.token("admin", org.id)),
            )
            assert asked.status_code == 201, asked.text
            accepted = reports.post(
                f"/v1/orgs/{org.id}/vcps/{carla}/acceptance",
                json={"accept": True},
                headers=bearer(web_platform.token("vcp", org.id, carla)),
            )
            assert accepted.status_code == 200, accepted.text
    for org in (bevers, uilen):
        set_key(org, carla, key)
    # The third organisation's own VCP has her id: someone else, with a case of their own.
    derde.appoint(carla, "Carla de Derde")
    set_key(derde, carla, PrivateKey.generate())
    cases = {org.id: report_in(org) for org in (bevers, uilen, derde)}

    # Carla signs in once and unlocks her key.
    await sign_in_again(page, bevers, carla)
    await unlock_here(page, made.path, passphrase)
    groups = page.get_by_test_id("vcp-group")
    await expect(groups).to_have_count(2, timeout=30_000)
    for org in (bevers, uilen):
        group = page.locator(f'[data-testid="vcp-group"][data-org="{org.id}"]')
        await expect(group.get_by_test_id("vcp-group-name")).to_contain_text(org.name)
        row = group.locator(f'[data-testid="vcp-report"][data-report-id="{cases[org.id]}"]')
        await expect(row).to_be_visible(timeout=30_000)
        await expect(group.get_by_test_id("vcp-report")).to_have_count(1)
    # Nothing of the third organisation: neither its name nor its case.
    await expect(page.get_by_test_id("vcp-groups")).not_to_contain_text(derde.name)
    await expect(page.locator(f'[data-report-id="{cases[derde.id]}"]')).to_have_count(0)
    await assert_accessible(page, "the grouped inbox")
    await assert_fits_320_pixels(page)

    # The case of the other organisation opens there, with her key of that organisation.
    here = await page.locator(
        '[data-testid="vcp-group"]:has([data-testid="vcp-open"])'
    ).get_attribute("data-org")
    other = uilen if here == bevers.id else bevers
    other_row = page.locator(f'[data-testid="vcp-report"][data-report-id="{cases[other.id]}"]')
    await other_row.get_by_test_id("vcp-open-there").click()
    await page.wait_for_url(re.compile(rf"/vcp/cases/{cases[other.id]}"), timeout=30_000)
    await unlock_here(page, made.path, passphrase)
    opened = page.get_by_test_id("vcp-case")
    await expect(opened).to_have_attribute("data-report-id", cases[other.id], timeout=30_000)
    await expect(page.get_by_test_id("vcp-report-description")).to_have_text(
        f"Melding bij {other.name}", timeout=30_000
    )
    await recording.settle()
    assert recording.page_errors == [], recording.page_errors
    assert recording.csp_violations == []
