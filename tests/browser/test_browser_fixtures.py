"""The browser fixtures themselves: what the page tests rely on must be able to fail.

The recording sees requests, console messages and CSP violations; the CSP really stops what
it forbids; axe-core reports a real WCAG violation; the platform behind the gateway answers."""

from __future__ import annotations

import smtplib
import uuid
from email.message import EmailMessage

from playwright.async_api import Page

from tests.support.browser import BrowserRecording, axe_violations, describe_violations
from tests.support.mail import body_text, links_in, wait_for_mail
from tests.support.web_platform import WebPlatform

FOREIGN_IMAGE = "https://example.org/tracker.png"


async def test_the_app_loads_from_the_gateway_and_every_request_is_recorded(
    page: Page, recording: BrowserRecording, web_platform: WebPlatform
) -> None:
    answer = await page.goto("/o/demo/report")
    assert answer is not None and answer.status == 200
    await page.wait_for_load_state("networkidle")
    await recording.settle()
    urls = [request.url for request in recording.requests]
    assert urls[0] == f"{web_platform.url}/o/demo/report"
    assert any("/assets/" in url and url.endswith(".js") for url in urls), urls
    assert all(request.headers.get("host") for request in recording.requests)
    assert recording.requests_to_other_origins(web_platform.origin) == []
    assert recording.csp_violations == [], recording.csp_violations
    assert recording.page_errors == [], recording.page_errors


async def test_the_csp_blocks_inline_script_and_other_origins_and_the_recording_sees_it(
    page: Page, recording: BrowserRecording, web_platform: WebPlatform
) -> None:
    await page.goto("/")
    await page.evaluate(
        """(foreign) => {
            const inline = document.createElement("script");
            inline.textContent = "window.inlineRan = true;";
            document.body.append(inline);
            const image = document.createElement("img");
            image.src = foreign;
            document.body.append(image);
        }""",
        FOREIGN_IMAGE,
    )
    await page.wait_for_timeout(300)
    assert await page.evaluate("() => window.inlineRan === undefined"), "inline script ran"
    directives = {v["effectiveDirective"] for v in recording.csp_violations}
    assert {"script-src-elem", "img-src"} <= directives, recording.csp_violations
    assert any("Content Security Policy" in e.text for e in recording.console_errors())
    foreign = recording.requests_to_other_origins(web_platform.origin)
    assert [(r.url, r.failure) for r in foreign] == [(FOREIGN_IMAGE, "csp")]


async def test_axe_reports_a_wcag_violation_it_is_shown(page: Page) -> None:
    await page.goto("/")
    await page.evaluate(
        "() => { const i = document.createElement('img'); i.src = '/favicon.svg'; "
        "document.body.append(i); }"
    )
    violations = await axe_violations(page)
    assert "image-alt" in {v["id"] for v in violations}, describe_violations(violations)


async def test_every_service_answers_through_the_gateway(web_platform: WebPlatform) -> None:
    for name in web_platform.services:
        with web_platform.api(name) as api:
            answer = api.get("/readyz")
        assert answer.status_code == 200, (name, answer.text)


async def test_the_mail_helper_reads_what_the_smtp_sink_received(
    web_platform: WebPlatform,
) -> None:
    address = f"someone-{uuid.uuid4().hex[:8]}@example.org"
    link = f"{web_platform.url}/sign-in/callback#code=abc"
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "test@example.org", address, "Hi"
    message.set_content(f"Open {link} to sign in.\n")
    with smtplib.SMTP("127.0.0.1", web_platform.infra.smtp_port, timeout=10) as smtp:
        smtp.send_message(message)
    [received] = await wait_for_mail(web_platform.maildir, address)
    assert "to sign in" in body_text(received)
    assert links_in(received) == [link]
