"""Browser tests: the real platform behind the real gateway, driven in Debian's Chromium.

Fixtures (async tests; pytest-playwright-asyncio provides `browser`, `new_context`, …):

- `web_platform` (module scope): the services as processes (identity too when
  `services.identity` exists; the others then verify tokens with its JWKS) on the session's
  broker, database and SMTP sink, and a Caddy gateway (deploy/Caddyfile) on a free port in
  front of them, serving web/dist (built first by `make web` when missing or stale). It is a
  `tests.support.web_platform.WebPlatform`: `.url` (the one address; pages are
  `web_platform.url + "/o/demo/report"`), `.api("intake")` (an httpx client through the
  gateway), `.services[name]` (direct access, `.url`, `.log_text()`), `.token(role, org)`,
  `.maildir`, `.database`, `.gateway.log_path`, `.log_files()` / `.logs_containing(s)`
  (services' and gateway's logs, for canary tests). Override the module-scoped
  `web_platform_env` fixture to give the services extra SAFEHANDS_* settings.
- `page`: a new page in a fresh context whose `base_url` is the gateway, so
  `await page.goto("/o/demo/report")` works. Everything that context does is recorded.
- `recording`: the `tests.support.browser.BrowserRecording` of that context: `.requests`
  (url, method, headers, post_data bytes, resource_type; `await recording.settle()` first
  for complete headers), `.console` (type, text, location), `.page_errors`,
  `.csp_violations` (each `securitypolicyviolation` event as a dict), and the helpers
  `requests_to_other_origins(web_platform.origin)`, `requests_containing(secret)`,
  `console_errors()`.
- `tests.support.browser.axe_violations(page)`: axe-core's WCAG 2.1 A/AA violations of the
  page as it is (empty list = pass); `describe_violations(v)` for the assertion message.
- `tests.support.mail`: `await wait_for_mail(web_platform.maildir, address)`,
  `mails_to`, `body_text`, `links_in` (the SMTP sink's mails).

Chromium is /usr/bin/chromium (Debian's package); when it is missing every browser test
fails with a sentence that says how to install it. They never skip.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import pytest_asyncio
from playwright.async_api import BrowserContext

from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, CHROMIUM_MISSING, BrowserRecording
from tests.support.platform import Infrastructure
from tests.support.web import ensure_web_built
from tests.support.web_platform import WebPlatform, start_web_platform


@pytest.fixture(scope="session")
def web_app_built() -> None:
    try:
        ensure_web_built()
    except RuntimeError as exc:
        pytest.fail(str(exc), pytrace=False)


@pytest.fixture(scope="module")
def web_platform_env() -> dict[str, str]:
    """Extra SAFEHANDS_* settings for the services of this module's `web_platform`."""
    return {}


@pytest.fixture(scope="module")
def web_platform(
    infra: Infrastructure, web_app_built: None, web_platform_env: dict[str, str]
) -> Iterator[WebPlatform]:
    running = start_web_platform(infra, web_platform_env)
    try:
        yield running
    finally:
        running.platform.stop_all()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    if not CHROMIUM.exists():
        pytest.fail(CHROMIUM_MISSING, pytrace=False)
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": list(CHROMIUM_ARGS),
    }


@pytest.fixture
def recording() -> BrowserRecording:
    return BrowserRecording()


@pytest_asyncio.fixture(loop_scope="session")
async def context(
    new_context: Any, web_platform: WebPlatform, recording: BrowserRecording
) -> BrowserContext:
    created: BrowserContext = await new_context(base_url=web_platform.url)
    await recording.attach(created)
    return created
