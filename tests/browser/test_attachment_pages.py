"""Encrypted attachments in Chromium (issue 24 items 3-4), through the real gateway against
the real platform: a reporter at an organisation with two VCPs leaves Bram out and attaches
a phone photo whose EXIF holds a GPS position and canaries, and a text file. The page shows
the photo as it will be sent. Anna opens the case in her browser, sees the photo and the
text, and saves the photo: it has no GPS tag and no canary. The command line opens the same
files with Anna's key. Bram gets 404 for them; no request, log or database holds a canary.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Page, expect
from pymongo import MongoClient

from cli import vcp as vcp_cli
from cli.reporting_client import ReportingApi
from shared.crypto import load_private_key
from shared.crypto.attachments import decrypt_file
from tests.browser.test_reporter_chooses_vcps import key_file_for, unlock
from tests.browser.test_vcp_workspace import (
    VcpOrg,
    assert_accessible,
    bearer,
    open_report_in_page,
    registered_org,
)
from tests.support.browser import BrowserRecording
from tests.support.pages import assert_fits_320_pixels
from tests.support.photos import has_gps, photo_with_gps
from tests.support.platform import eventually
from tests.support.web_platform import WebPlatform

pytestmark = pytest.mark.e2e

CANARY = f"exif-kanarie-{uuid.uuid4().hex[:10]}"
NOTE = "Hij stuurde: kom morgen alleen naar de kantine."


@pytest.fixture(scope="module")
def org(web_platform: WebPlatform) -> VcpOrg:
    return registered_org(web_platform, "foto", "Zwemclub De Foto")


async def image_shown(page: Page, test_id: str) -> None:
    """The image decoded (a CSP refusal of its blob: URL leaves it 0 pixels wide)."""
    image = page.get_by_test_id(test_id).first
    await expect(image).to_be_visible(timeout=30_000)
    assert await image.evaluate("(img) => img.complete && img.naturalWidth > 0")


async def test_a_photo_reaches_the_chosen_vcp_without_its_gps_tag(
    page: Page,
    recording: BrowserRecording,
    org: VcpOrg,
    web_platform: WebPlatform,
    tmp_path: Path,
    new_context: Any,
) -> None:
    anna_file, anna_passphrase = key_file_for(org, "anna", "Anna de Wit", tmp_path)
    key_file_for(org, "bram", "Bram Bos", tmp_path)
    keys = {k["vcp_id"]: k["fingerprint"] for k in org.vcp_keys()}
    org.intake_knows(keys["anna"], keys["bram"])
    photo = tmp_path / "IMG_0042.jpg"
    photo.write_bytes(photo_with_gps(CANARY))
    assert has_gps(photo.read_bytes()) and CANARY.encode() in photo.read_bytes()
    note = tmp_path / "bericht.txt"
    note.write_text(NOTE, encoding="utf-8")

    # The reporter (the recorded page): Bram left out, the photo and the note attached.
    await page.goto(f"/o/{org.id}/report")
    await page.locator('[data-testid="report-recipient"][value="bram"]').press("Space")
    await page.get_by_test_id("report-category").select_option("bullying")
    await page.get_by_test_id("report-description").fill("Zie de foto en het bericht.")
    await page.get_by_test_id("report-attach").set_input_files([str(photo), str(note)])
    await expect(page.get_by_test_id("report-attachment")).to_have_count(2)
    await image_shown(page, "report-attachment-preview")
    await expect(page.get_by_test_id("report-attachment").first).to_contain_text("zonder plaats")
    await assert_accessible(page, "report page with attachments")
    await assert_fits_320_pixels(page)
    await page.get_by_test_id("report-submit").click()
    await expect(page.get_by_test_id("receipt")).to_be_visible(timeout=60_000)
    await recording.settle()
    assert recording.requests_containing(CANARY) == []
    assert recording.requests_containing(NOTE) == []
    assert recording.csp_violations == []

    # Anna, in her own browser, opens the case, the photo and the note.
    [report_id] = eventually(lambda: org.report_ids("anna") or None, timeout=30)
    anna_context = await new_context(base_url=web_platform.url, accept_downloads=True)
    anna_recording = BrowserRecording()
    await anna_recording.attach(anna_context)
    anna_page: Page = await anna_context.new_page()
    await unlock(anna_page, org, "anna", anna_file, anna_passphrase)
    await open_report_in_page(anna_page, report_id)
    files = anna_page.get_by_test_id("vcp-attachment")
    await expect(files).to_have_count(2)
    await files.nth(0).get_by_test_id("vcp-attachment-open").click()
    await image_shown(anna_page, "vcp-attachment-image")
    await files.nth(1).get_by_test_id("vcp-attachment-open").click()
    await expect(anna_page.get_by_test_id("vcp-attachment-text")).to_have_text(NOTE)
    await assert_accessible(anna_page, "case with attachments")
    async with anna_page.expect_download() as download_info:
        await files.nth(0).get_by_test_id("vcp-attachment-save").click()
    download = await download_info.value
    assert download.suggested_filename == "IMG_0042.jpg"
    saved = Path(await download.path()).read_bytes()
    assert saved[:3] == b"\xff\xd8\xff", "a JPEG"
    assert not has_gps(saved), "the GPS tag is gone"
    assert CANARY.encode() not in saved
    assert anna_recording.csp_violations == []
    await anna_context.close()

    # The command line opens the same files with Anna's key.
    anna_key = load_private_key(anna_file, anna_passphrase)
    reports_url = f"{web_platform.url}/api/reports"
    token = web_platform.token("vcp", org.id, "anna")
    with ReportingApi(f"{web_platform.url}/api/intake", reports_url, token) as api:
        case = vcp_cli.read_case(api, org.id, report_id, anna_key)
        assert case.report is not None and case.report.attachments is not None
        photo_ref, note_ref = case.report.attachments
        ciphertext = api.download_attachment(org.id, report_id, str(photo_ref.attachment_id))
        assert decrypt_file(ciphertext, photo_ref) == saved
        assert photo_ref.media_type == "image/jpeg" and photo_ref.size == len(saved)
        note_ciphertext = api.download_attachment(org.id, report_id, str(note_ref.attachment_id))
        assert decrypt_file(note_ciphertext, note_ref).decode() == NOTE

    # Bram, left out, reaches neither file.
    with web_platform.api("reports") as reports:
        for ref in (photo_ref, note_ref):
            answer = reports.get(
                f"/v1/orgs/{org.id}/reports/{report_id}/attachments/{ref.attachment_id}",
                headers=bearer(web_platform.token("vcp", org.id, "bram")),
            )
            assert answer.status_code == 404

    # The canary and the note: in no log, in no database.
    assert web_platform.logs_containing(CANARY) == []
    assert web_platform.logs_containing(NOTE) == []
    with MongoClient(web_platform.infra.mongo_uri) as mongo:
        for name in mongo.list_database_names():
            for collection in mongo[name].list_collection_names():
                for document in mongo[name][collection].find({}):
                    assert CANARY not in str(document) and NOTE not in str(document)
