"""Headers: every page comes from the gateway with the security headers, and the app runs
under them in Chromium: it mounts, and there is no CSP violation, console error or page
error, on any page path nor when it calls an API."""

from __future__ import annotations

import pytest
from playwright.async_api import Page

from tests.support.browser import BrowserRecording
from tests.support.web_platform import WebPlatform

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' blob:; font-src 'self'; connect-src 'self'; worker-src 'self'; "
    "manifest-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
# Only the VCP's workspace may compile WebAssembly (hash-wasm's Argon2id for the VCP's key
# files); the web app loads a new document to enter or leave it.
VCP_CSP = CSP.replace("script-src 'self';", "script-src 'self' 'wasm-unsafe-eval';")
SIGNED_IN = ("/vcp",)


def csp_for(path: str) -> str:
    signed_in = any(path == p or path.startswith(p + "/") for p in SIGNED_IN)
    return VCP_CSP if signed_in else CSP


PAGE_PATHS = (
    "/",
    "/o/demo",
    "/o/demo/report",
    "/o/demo/follow-up",
    "/o/demo/apply",
    "/sign-in",
    "/sign-in/callback",
    "/me",
    "/vcp",
    "/coordinator",
    "/admin",
    "/admin/log",
    "/operator",
)


@pytest.fixture(scope="module", autouse=True)
def demo_organisation(web_platform: WebPlatform) -> None:
    """The organisation the page paths name exists, so the app loads its pages with no
    failed request: any console error then means the headers broke something."""
    operator = {"Authorization": f"Bearer {web_platform.token('operator')}"}
    with web_platform.api("policy") as policy:
        answer = policy.post(
            "/v1/orgs", json={"org_id": "demo", "name": "Demo Sports Club"}, headers=operator
        )
    assert answer.status_code == 201, answer.text


def check_headers(headers: dict[str, str], where: str) -> None:
    assert headers.get("content-security-policy") == csp_for(where), where
    assert headers.get("referrer-policy") == "no-referrer", where
    assert headers.get("x-content-type-options") == "nosniff", where
    assert "camera=()" in headers.get("permissions-policy", ""), where
    assert "server" not in headers, where
    assert "strict-transport-security" not in headers, f"{where}: HSTS over plain HTTP"


def assert_clean(recording: BrowserRecording, where: str) -> None:
    assert recording.csp_violations == [], (where, recording.csp_violations)
    csp_messages = [e.text for e in recording.console if "Content Security Policy" in e.text]
    assert csp_messages == [], (where, csp_messages)
    assert recording.console_errors() == [], (where, recording.console_errors())
    assert recording.page_errors == [], (where, recording.page_errors)


@pytest.mark.parametrize("path", PAGE_PATHS)
async def test_every_page_carries_the_headers_and_the_app_runs_under_them(
    page: Page, recording: BrowserRecording, web_platform: WebPlatform, path: str
) -> None:
    answer = await page.goto(path, wait_until="networkidle")
    assert answer is not None and answer.status == 200, path
    check_headers(await answer.all_headers(), path)
    assert (await answer.all_headers())["cache-control"] == "no-cache", path
    # The app mounted: script from /assets/ ran under the policy.
    await page.wait_for_function("() => document.querySelector('#app')?.childElementCount > 0")
    for response_path in {r.url for r in recording.requests if "/assets/" in r.url}:
        asset = await page.request.get(response_path)
        check_headers(asset.headers, response_path)
    await recording.settle()
    assert recording.requests_to_other_origins(web_platform.origin) == [], path
    assert_clean(recording, path)


async def test_the_app_may_call_the_api_on_its_own_origin(
    page: Page, recording: BrowserRecording
) -> None:
    await page.goto("/o/demo/report", wait_until="networkidle")
    async with page.expect_response("**/api/intake/healthz") as answered:
        status = await page.evaluate(
            "async () => (await fetch('/api/intake/healthz', {cache: 'no-store'})).status"
        )
    assert status == 200
    response = await answered.value
    headers = await response.all_headers()
    check_headers(headers, "/api/intake/healthz")
    assert headers["cache-control"] == "no-store"
    assert_clean(recording, "fetch /api/intake/healthz")


WASM_COMPILES = """async () => {
    try {
        await WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
        return true;
    } catch (error) {
        return false;
    }
}"""


@pytest.mark.parametrize("path", ["/", "/o/demo", "/o/demo/report", "/o/demo/follow-up"])
async def test_no_public_page_may_compile_webassembly(page: Page, path: str) -> None:
    await page.goto(path, wait_until="networkidle")
    assert await page.evaluate(WASM_COMPILES) is False, f"{path} compiles no wasm"


async def test_the_vcp_pages_may_compile_webassembly(page: Page) -> None:
    await page.goto("/vcp", wait_until="networkidle")
    assert await page.evaluate(WASM_COMPILES) is True, "the VCP's key files need Argon2id"


async def test_a_link_from_a_public_page_into_the_vcp_pages_loads_a_document_of_their_own(
    page: Page,
) -> None:
    await page.goto("/o/demo", wait_until="networkidle")
    # Mounted: on a loaded machine the network can be idle before the page has drawn its
    # main part (CI, 2026-12-07: no `main` to append to).
    await page.wait_for_function("() => document.querySelector('main h1') !== null")
    # Any link of the app's into /vcp: the router loads a new document, so that the page
    # runs under the signed-in pages' policy, not the public page's.
    await page.evaluate(
        """() => {
            const link = document.createElement("a");
            link.href = "/vcp";
            link.textContent = "VCP";
            link.id = "to-vcp";
            document.querySelector("main").append(link);
        }"""
    )
    async with page.expect_navigation():
        await page.click("#to-vcp")
    assert page.url.endswith("/vcp")
    assert await page.evaluate(WASM_COMPILES) is True


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/", "SafeHands"),
        ("/o/demo", "vertrouwenscontactpersoon"),
        ("/o/demo/report", "Meld vertrouwelijk"),
        ("/o/demo/follow-up", "antwoord"),
        ("/o/demo/apply", "vrijwilliger"),
        ("/o/demo/report?lang=en", "Report in confidence"),
    ],
)
async def test_every_public_page_describes_itself_for_search_engines(
    page: Page, path: str, words: str
) -> None:
    await page.goto(path, wait_until="networkidle")
    await page.wait_for_function("() => document.querySelector('main h1') !== null")
    description = await page.locator('meta[name="description"]').get_attribute("content")
    assert description and words in description, (path, description)
    # One description, not one per visit of a page.
    assert await page.locator('meta[name="description"]').count() == 1
