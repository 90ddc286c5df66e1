"""The reporter's choice of VCPs (issue 24 item 1) in Chromium, through the real gateway,
against the real platform: Anna writes her introduction on /vcp; a reporter at an
organisation with two VCPs reads both names and Anna's introduction, leaves Bram out and
submits; Anna opens the case in her browser, and Bram's inbox, in his, has no trace of it.
"""

from __future__ import annotations

import asyncio
import re
import uuid
from pathlib import Path

import pytest
from playwright.async_api import Page, expect

from cli import vcp as vcp_cli
from shared.crypto import load_private_key
from shared.crypto.signing import signing_public_key
from tests.browser.test_vcp_workspace import (
    LIGHT_KDF,
    VcpOrg,
    assert_accessible,
    bearer,
    hold_the_first,
    open_report_in_page,
    registered_org,
)
from tests.support.browser import BrowserRecording
from tests.support.mail import links_in, mails_to
from tests.support.pages import assert_fits_320_pixels
from tests.support.platform import eventually
from tests.support.web_platform import WebPlatform

pytestmark = pytest.mark.e2e

INTRODUCTION = "Trainer van de welpen.\nBereikbaar op dinsdagavond."


@pytest.fixture(scope="module")
def org(web_platform: WebPlatform) -> VcpOrg:
    return registered_org(web_platform, "keus", "Hockeyclub De Keus")


def key_file_for(org: VcpOrg, vcp_id: str, name: str, tmp_path: Path) -> tuple[Path, str]:
    """Appointed by the admin; their key made with the command line and registered with
    their own token (light Argon2 parameters, so the page unlocks it quickly)."""
    org.appoint(vcp_id, name)
    passphrase = f"{vcp_id} haar eigen lange zin"
    made = vcp_cli.keygen(tmp_path / f"{vcp_id}.json", passphrase, params=LIGHT_KDF)
    key = load_private_key(made.path, passphrase)
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
    return made.path, passphrase


def invitation_link(org: VcpOrg, vcp_id: str) -> str:
    """The sign-in link of identity's invitation, among the colleagues' mails from notify."""

    def found() -> str | None:
        for mail in mails_to(org.web.maildir, org.address(vcp_id)):
            for url in links_in(mail):
                if "/sign-in/callback#code=" in url:
                    return url
        return None

    link: str = eventually(found, timeout=30)
    return link


async def unlock(page: Page, org: VcpOrg, vcp_id: str, key_file: Path, passphrase: str) -> None:
    await page.goto(invitation_link(org, vcp_id))
    await page.wait_for_url(re.compile(r"/vcp(\?.*)?$"), timeout=30_000)
    await expect(page.get_by_test_id("vcp-locked")).to_be_visible(timeout=30_000)
    await page.get_by_test_id("vcp-key-file").set_input_files(str(key_file))
    await page.get_by_test_id("vcp-passphrase").fill(passphrase)
    await page.get_by_test_id("vcp-unlock").click()
    await expect(page.get_by_test_id("vcp-inbox")).to_be_visible(timeout=60_000)


async def test_the_reporter_leaves_one_vcp_out_and_only_the_other_opens_the_case(
    page: Page,
    recording: BrowserRecording,
    org: VcpOrg,
    web_platform: WebPlatform,
    tmp_path: Path,
    new_context: object,
) -> None:
    anna_file, anna_passphrase = key_file_for(org, "anna", "Anna de Wit", tmp_path)
    bram_file, bram_passphrase = key_file_for(org, "bram", "Bram Bos", tmp_path)
    keys = {k["vcp_id"]: k["fingerprint"] for k in org.vcp_keys()}
    org.intake_knows(keys["anna"], keys["bram"])

    # Anna writes her introduction on /vcp.
    await unlock(page, org, "anna", anna_file, anna_passphrase)
    await page.get_by_test_id("vcp-introduction").fill(INTRODUCTION)
    await page.get_by_test_id("vcp-introduction-save").click()
    await expect(page.get_by_test_id("vcp-introduction-saved")).not_to_be_empty()
    eventually(
        lambda: {k["vcp_id"]: k["introduction"] for k in org.vcp_keys()}["anna"] == INTRODUCTION
    )

    # The reporter, in a browser of their own: both VCPs, chosen, with Anna's introduction.
    reporter_context = await new_context(base_url=web_platform.url)  # type: ignore[operator]
    reporter_page: Page = await reporter_context.new_page()
    await reporter_page.goto(f"/o/{org.id}/report")
    choices = reporter_page.get_by_test_id("report-recipient")
    await expect(choices).to_have_count(2)
    await expect(choices.nth(0)).to_be_checked()
    await expect(choices.nth(1)).to_be_checked()
    await expect(reporter_page.get_by_test_id("report-recipient-introduction")).to_have_text(
        INTRODUCTION
    )
    await expect(reporter_page.get_by_test_id("report-recipients")).to_contain_text("Bram Bos")
    await assert_accessible(reporter_page, "report page with two VCPs")
    # Bram is left out; Anna, the last one chosen, cannot be left out too.
    await reporter_page.locator('[data-testid="report-recipient"][value="bram"]').press("Space")
    anna_box = reporter_page.locator('[data-testid="report-recipient"][value="anna"]')
    await expect(anna_box).to_be_checked()
    await expect(anna_box).to_be_disabled()
    await expect(reporter_page.get_by_test_id("report-recipient-last")).to_be_visible()
    await expect(reporter_page.get_by_test_id("report-goes-to")).not_to_contain_text("Bram")
    await assert_fits_320_pixels(reporter_page)
    await assert_accessible(reporter_page, "report page with one VCP left out")
    await reporter_page.get_by_test_id("report-category").select_option("aggression")
    description = "De coach duwde een speler tegen het hek; Bram was erbij."
    await reporter_page.get_by_test_id("report-description").fill(description)
    await reporter_page.get_by_test_id("report-submit").click()
    await expect(reporter_page.get_by_test_id("receipt")).to_be_visible(timeout=30_000)
    await reporter_context.close()

    # Only Anna's key is sealed to; she opens the case in her browser.
    [report_id] = eventually(lambda: org.report_ids("anna") or None, timeout=30)
    # (Her page is still on the inbox: a new load would forget the unlocked key.)
    await open_report_in_page(page, report_id)
    await expect(page.get_by_test_id("vcp-report-description")).to_have_text(description)

    # Bram, in his own browser, has no trace of it: not in his inbox, not at its address.
    assert org.report_ids("bram") == set()
    with web_platform.api("reports") as reports:
        direct = reports.get(
            f"/v1/orgs/{org.id}/reports/{report_id}",
            headers=bearer(web_platform.token("vcp", org.id, "bram")),
        )
    assert direct.status_code == 404
    bram_context = await new_context(base_url=web_platform.url)  # type: ignore[operator]
    bram_page: Page = await bram_context.new_page()
    await unlock(bram_page, org, "bram", bram_file, bram_passphrase)
    await expect(bram_page.get_by_test_id("vcp-report")).to_have_count(0)
    assert report_id[:8] not in await bram_page.content()
    await bram_context.close()
    assert recording.page_errors == [], recording.page_errors


async def test_a_centre_vcp_accepts_on_vcp_and_reporters_see_them_as_the_centres(
    page: Page,
    recording: BrowserRecording,
    web_platform: WebPlatform,
    tmp_path: Path,
) -> None:
    """Issue 24 item 2: the operator lists a centre VCP, an organisation without a VCP of its
    own asks her, she accepts on /vcp (and only then may set a key), and the report page
    names her as the regional centre's."""
    club = registered_org(web_platform, "steun", "Zwemclub Zonder")
    centre_id = f"centre-{uuid.uuid4().hex[:6]}"
    with web_platform.api("reports") as reports:
        listed = reports.post(
            "/v1/centre-vcps",
            json={"vcp_id": centre_id, "name": "Sanne Steunpunt", "email": club.address(centre_id)},
            headers=bearer(web_platform.token("operator")),
        )
        assert listed.status_code == 201, listed.text
        asked = reports.post(
            f"/v1/orgs/{club.id}/centre-vcps",
            json={"vcp_id": centre_id},
            headers=bearer(web_platform.token("admin", club.id)),
        )
        assert asked.status_code == 201, asked.text

    # The invitation (identity, on VCPAppointed) brings her to /vcp: the request first.
    await page.goto(invitation_link(club, centre_id))
    await page.wait_for_url(re.compile(r"/vcp(\?.*)?$"), timeout=30_000)
    request = page.get_by_test_id("vcp-centre-request")
    await expect(request).to_be_visible(timeout=30_000)
    await expect(request).to_contain_text(club.name)
    await assert_accessible(page, "a centre VCP's request")
    await page.get_by_test_id("vcp-centre-accept").click()
    await expect(page.get_by_test_id("vcp-setup")).to_be_visible()

    # Her key for this organisation (made with the command line here, to keep it quick).
    made = vcp_cli.keygen(tmp_path / "sanne.json", "sanne haar zin", params=LIGHT_KDF)
    key = load_private_key(made.path, "sanne haar zin")
    with web_platform.api("reports") as reports:
        answer = reports.put(
            f"/v1/orgs/{club.id}/vcps/{centre_id}/public-key",
            json={"public_key": key.public_key.model_dump()},
            headers=bearer(web_platform.token("vcp", club.id, centre_id)),
        )
    assert answer.status_code == 200, answer.text
    club.intake_knows(key.fingerprint)

    await page.goto(f"/o/{club.id}/report")
    await expect(page.get_by_test_id("report-goes-to")).to_contain_text(
        "Sanne Steunpunt (van het regionale steunpunt)"
    )
    assert recording.page_errors == [], recording.page_errors


async def test_the_introduction_stays_where_it_is_while_the_key_history_arrives(
    page: Page, web_platform: WebPlatform, tmp_path: Path
) -> None:
    """The key history's list arrives a moment after the inbox; it sat above the
    introduction and pushed its button 50 px down as a person reached for it (in CI, a
    click that fell between the two went to nothing). Its answer is held back here until
    the button's place is taken."""
    own = registered_org(web_platform, "rust", "Hockeyclub De Rust")
    key_file, passphrase = key_file_for(own, "carla", "Carla Kok", tmp_path)
    history = await hold_the_first(page, "**/vcp-key-history")
    await unlock(page, own, "carla", key_file, passphrase)
    held = await asyncio.wait_for(history, timeout=30)
    save = page.get_by_test_id("vcp-introduction-save")
    before = await save.bounding_box()

    await held.continue_()
    await expect(page.get_by_test_id("vcp-key-history-entry")).to_have_count(1)
    after = await save.bounding_box()
    assert before is not None and after is not None
    assert after["y"] == before["y"]
