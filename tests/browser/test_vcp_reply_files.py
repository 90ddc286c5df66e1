"""Files on a VCP's reply and the PDF preview (issue 24), in Chromium through the real
gateway against the real platform: Anna answers a report with a PDF attached, encrypted in
her browser; she previews it in the conversation (pdf.js draws the page into a canvas under
the unchanged CSP); the reporter opens the check page with the receipt alone, previews the
same PDF and saves it: the bytes are the ones Anna attached, and the command line's
`report check --save` opens the same file. No CSP violation, no page error, both pages
axe-clean."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Page, expect
from typer.testing import CliRunner

from cli import report as reporter
from cli.main import app
from cli.reporting_client import ReportingApi
from shared.crypto import ReportBody
from tests.browser.test_reporter_chooses_vcps import key_file_for, unlock
from tests.browser.test_vcp_workspace import (
    VcpOrg,
    assert_accessible,
    open_report_in_page,
    registered_org,
)
from tests.support.browser import BrowserRecording
from tests.support.pages import assert_fits_320_pixels
from tests.support.pdfs import pdf_with_text
from tests.support.web_platform import WebPlatform

pytestmark = pytest.mark.e2e

REPLY = "Dank je. Hierbij het verslag van ons gesprek."

# Red pixels of the PDF's band in the canvas: the page was drawn, not just sized.
RED_PIXELS = """(box) => {
  const canvas = box.querySelector("canvas");
  const { data } = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
  let red = 0, dark = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i] > 180 && data[i + 1] < 60 && data[i + 2] < 60) red += 1;
    if (data[i] < 60 && data[i + 1] < 60 && data[i + 2] < 60 && data[i + 3] > 200) dark += 1;
  }
  return { red, dark, width: canvas.width };
}"""


@pytest.fixture(scope="module")
def org(web_platform: WebPlatform) -> VcpOrg:
    return registered_org(web_platform, "pdf", "Atletiekclub Het Verslag")


async def pdf_drawn(page: Page, test_id: str) -> None:
    """The preview's first page drawn: red band and dark text in the canvas."""
    box = page.get_by_test_id(test_id).first
    await expect(box).to_be_visible(timeout=30_000)
    await expect(
        page.locator(f'[data-testid="{test_id[: -len("-page")]}"]').first
    ).to_have_attribute("data-drawn", "true", timeout=30_000)
    pixels = await box.evaluate(RED_PIXELS)
    assert pixels["red"] > 1000, pixels
    # The text in Helvetica, which the file does not embed: drawn from the served fonts.
    assert pixels["dark"] > 50, pixels


async def test_a_vcp_replies_with_a_pdf_and_the_reporter_previews_and_saves_it(
    page: Page,
    recording: BrowserRecording,
    org: VcpOrg,
    web_platform: WebPlatform,
    tmp_path: Path,
    new_context: Any,
) -> None:
    anna_file, anna_passphrase = key_file_for(org, "anna", "Anna de Wit", tmp_path)
    [anna_key] = [k["fingerprint"] for k in org.vcp_keys()]
    org.intake_knows(anna_key)
    with ReportingApi(f"{web_platform.url}/api/intake", f"{web_platform.url}/api/reports") as api:
        submission = reporter.submit_report(
            api,
            org.id,
            ReportBody(category="other", description="Kunnen we praten?", wants_contact=False),
        )
    pdf = tmp_path / "verslag.pdf"
    pdf.write_bytes(pdf_with_text("Verslag gesprek"))

    # Anna (the recorded page) answers with the PDF attached.
    await unlock(page, org, "anna", anna_file, anna_passphrase)
    await open_report_in_page(page, submission.report_id)
    await page.get_by_test_id("vcp-reply-text").fill(REPLY)
    await page.get_by_test_id("vcp-reply-attach").set_input_files(str(pdf))
    await expect(page.get_by_test_id("vcp-reply-file")).to_have_count(1)
    await expect(page.get_by_test_id("vcp-reply-file")).to_contain_text("verslag.pdf")
    await page.get_by_test_id("vcp-reply-send").click()
    await expect(page.get_by_test_id("vcp-reply-sent")).to_be_visible(timeout=60_000)
    await expect(page.get_by_test_id("vcp-reply-file")).to_have_count(0)

    # She previews it in the conversation, decrypted in her browser.
    sent = page.locator('[data-testid="vcp-message"][data-from="vcp"]')
    await expect(sent.get_by_test_id("vcp-message-text")).to_have_text(REPLY)
    await sent.get_by_test_id("vcp-message-attachment-open").click()
    await pdf_drawn(page, "vcp-message-attachment-pdf-page")
    await assert_accessible(page, "a case with a PDF previewed")
    await assert_fits_320_pixels(page)
    await recording.settle()
    assert recording.csp_violations == []
    assert recording.page_errors == [], recording.page_errors
    assert recording.requests_containing("Verslag gesprek") == []

    # The reporter, in a browser of their own, with the receipt alone.
    reporter_context = await new_context(base_url=web_platform.url, accept_downloads=True)
    reporter_recording = BrowserRecording()
    await reporter_recording.attach(reporter_context)
    reporter_page: Page = await reporter_context.new_page()
    await reporter_page.goto(f"/o/{org.id}/follow-up")
    await reporter_page.get_by_test_id("receipt-input").fill(submission.receipt)
    await reporter_page.get_by_test_id("follow-up-open").click()
    await expect(reporter_page.get_by_test_id("message")).to_have_text(REPLY, timeout=30_000)
    files = reporter_page.get_by_test_id("mailbox-attachment")
    await expect(files).to_have_count(1)
    await expect(files).to_contain_text("verslag.pdf")
    await files.get_by_test_id("mailbox-attachment-open").click()
    await pdf_drawn(reporter_page, "mailbox-attachment-pdf-page")
    await assert_accessible(reporter_page, "the follow-up page with a PDF previewed")
    async with reporter_page.expect_download() as download_info:
        await files.get_by_test_id("mailbox-attachment-save").click()
    download = await download_info.value
    assert download.suggested_filename == "verslag.pdf"
    assert Path(await download.path()).read_bytes() == pdf.read_bytes()
    await reporter_recording.settle()
    assert reporter_recording.csp_violations == []
    assert reporter_recording.page_errors == [], reporter_recording.page_errors
    assert reporter_recording.requests_containing(submission.receipt) == []
    assert reporter_recording.requests_containing("Verslag gesprek") == []
    await reporter_context.close()

    # The command line opens the same file with the receipt alone (`report check --save`).
    saved = tmp_path / "saved"
    result = CliRunner().invoke(
        app,
        ["report", "check", "--org", org.id, "--save", str(saved)],
        env={"SH_RECEIPT": submission.receipt, "SH_REPORTS_URL": f"{web_platform.url}/api/reports"},
    )
    assert result.exit_code == 0, result.output
    [written] = saved.iterdir()
    assert written.name.endswith("verslag.pdf")
    assert written.read_bytes() == pdf.read_bytes()
