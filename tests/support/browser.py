"""What a browser test records and checks: every request, console message, page error and
Content-Security-Policy violation of a browser context, and axe-core's accessibility audit.

Used by the fixtures in tests/browser/conftest.py; see there for how tests get them."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.async_api import BrowserContext, ConsoleMessage, Page, Request
from playwright.async_api import Error as PlaywrightError

from tests.support.web import AXE_SCRIPT

CHROMIUM = Path("/usr/bin/chromium")
# Quiet, reproducible Chromium: no calls home, no GPU, no sandbox (tests may run as root).
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-gpu",
    "--no-first-run",
)
CHROMIUM_MISSING = (
    f"The browser tests need Debian's Chromium at {CHROMIUM}, which is missing: install it "
    "with `sudo apt-get install chromium` (Playwright must not download a browser here)."
)
# How long `settle` waits for the browser's complete request headers.
SETTLE_SECONDS = 20.0
# The rules axe-core checks: WCAG 2.0 and 2.1, levels A and AA.
WCAG_21_A_AA = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")

# Runs in every page before its own scripts (an init script is not subject to the page's
# CSP) and reports each `securitypolicyviolation` event to the test.
_CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__safehandsCspViolation({
    directive: event.violatedDirective,
    effectiveDirective: event.effectiveDirective,
    blockedURI: event.blockedURI,
    documentURI: event.documentURI,
    sourceFile: event.sourceFile,
    lineNumber: event.lineNumber,
    sample: event.sample,
    disposition: event.disposition,
  });
}, true);
"""


@dataclass
class RecordedRequest:
    url: str
    method: str
    # All headers as sent (cookies included) once `settle()` has run; before, those that
    # Playwright reports without a round trip.
    headers: dict[str, str]
    post_data: bytes | None
    resource_type: str
    # Why it did not complete: "csp" when the Content-Security-Policy stopped it before it
    # left the browser, a net::ERR_… otherwise; None when it got an answer.
    failure: str | None = None
    # False when Chromium never told the browser's complete headers (see `settle`): then
    # `headers` are those the page itself set, without the ones the network stack adds.
    headers_complete: bool = True

    @property
    def origin(self) -> str:
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.netloc}"

    def text(self) -> str:
        """Everything this request carried, as one string to search."""
        body = (self.post_data or b"").decode("utf-8", errors="replace")
        return "\n".join([self.method, self.url, json.dumps(self.headers), body])


@dataclass
class ConsoleEntry:
    type: str
    text: str
    location: str


@dataclass
class BrowserRecording:
    """Everything one browser context did; `attach` it before the first page opens."""

    requests: list[RecordedRequest] = field(default_factory=list)
    console: list[ConsoleEntry] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    csp_violations: list[dict[str, Any]] = field(default_factory=list)
    _pending: set[asyncio.Task[None]] = field(default_factory=set)
    _by_request: dict[Request, RecordedRequest] = field(default_factory=dict)

    async def attach(self, context: BrowserContext) -> None:
        await context.expose_function("__safehandsCspViolation", self._on_csp_violation)
        await context.add_init_script(script=_CSP_LISTENER)
        context.on("request", self._on_request)
        context.on("requestfailed", self._on_request_failed)
        context.on("console", self._on_console)
        # With the stack: a failure in CI names the component that threw.
        context.on(
            "weberror", lambda error: self.page_errors.append(error.error.stack or str(error.error))
        )

    def _on_csp_violation(self, violation: dict[str, Any]) -> None:
        self.csp_violations.append(violation)

    def _on_request(self, request: Request) -> None:
        recorded = RecordedRequest(
            url=request.url,
            method=request.method,
            headers=dict(request.headers),
            post_data=request.post_data_buffer,
            resource_type=request.resource_type,
        )
        self.requests.append(recorded)
        self._by_request[request] = recorded
        task = asyncio.get_running_loop().create_task(self._complete_headers(request, recorded))
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    def _on_request_failed(self, request: Request) -> None:
        recorded = self._by_request.get(request)
        if recorded is not None:
            recorded.failure = request.failure or "failed"

    @staticmethod
    async def _complete_headers(request: Request, recorded: RecordedRequest) -> None:
        recorded.headers_complete = False
        try:
            recorded.headers = await request.all_headers()
        except PlaywrightError:  # the page closed first: keep the headers we have
            return
        recorded.headers_complete = True

    def _on_console(self, message: ConsoleMessage) -> None:
        where = message.location
        self.console.append(
            ConsoleEntry(
                message.type,
                message.text,
                f"{where.get('url', '')}:{where.get('lineNumber', '')}",
            )
        )

    async def settle(self, timeout: float = SETTLE_SECONDS) -> None:
        """Wait until every recorded request has its complete headers, or `timeout` seconds.

        Bounded because Chromium sometimes never sends the extra-info event a request's
        complete headers wait for (a worker's script, such as the proof of work's, is the
        known case: microsoft/playwright#39948), and Playwright then waits for ever. Such a
        request keeps the headers the page set, which is where a page could leak a secret;
        the test sees it as `headers_complete=False`, and cookies are checked on the context."""
        deadline = asyncio.get_running_loop().time() + timeout
        while self._pending:
            left = deadline - asyncio.get_running_loop().time()
            if left <= 0:
                for task in list(self._pending):
                    task.cancel()
                await asyncio.gather(*list(self._pending), return_exceptions=True)
                return
            await asyncio.wait(list(self._pending), timeout=left)

    def requests_to_other_origins(self, origin: str) -> list[RecordedRequest]:
        """Requests that left `origin` (data: and blob: URLs stay in the page)."""
        return [
            request
            for request in self.requests
            if request.origin != origin.rstrip("/")
            and not request.url.startswith(("data:", "blob:"))
        ]

    def requests_containing(self, secret: str) -> list[RecordedRequest]:
        """Requests whose URL, headers or body hold `secret` (as typed, case-insensitive)."""
        wanted = secret.lower()
        return [request for request in self.requests if wanted in request.text().lower()]

    def console_errors(self) -> list[ConsoleEntry]:
        return [entry for entry in self.console if entry.type == "error"]


async def axe_violations(
    page: Page, *, tags: tuple[str, ...] = WCAG_21_A_AA, context: str | None = None
) -> list[dict[str, Any]]:
    """Run axe-core (web/node_modules/axe-core, the version web/package-lock.json pins) on
    the page as it is now; return its violations of `tags` (empty when it passes).

    `context` is a CSS selector to audit only part of the page. The script is evaluated
    through the DevTools protocol, so the page's CSP (which forbids inline script) stays on."""
    if not AXE_SCRIPT.is_file():
        raise RuntimeError(
            f"axe-core is missing ({AXE_SCRIPT}): run `make web` (npm ci in web/) first."
        )
    if not await page.evaluate("() => typeof window.axe === 'object'"):
        await page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8"))
    violations: list[dict[str, Any]] = await page.evaluate(
        """async ([tags, context]) => {
            const result = await window.axe.run(context ?? document, {
                runOnly: { type: "tag", values: tags },
                resultTypes: ["violations"],
            });
            return result.violations.map((v) => ({
                id: v.id,
                impact: v.impact,
                help: v.help,
                helpUrl: v.helpUrl,
                tags: v.tags,
                nodes: v.nodes.map((n) => ({ target: n.target, html: n.html, summary: n.failureSummary })),
            }));
        }""",
        [list(tags), context],
    )
    return violations


def describe_violations(violations: list[dict[str, Any]]) -> str:
    """One paragraph per violation, for an assertion message."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {node['target']}: {node['html'][:160]}")
    return "\n".join(lines)
