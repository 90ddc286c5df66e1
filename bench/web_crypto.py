"""Benchmark of the browser's crypto: `python bench/web_crypto.py [--runs N]`.

Prints, in one run:
- the median time to seal a 4 KiB report to 2 VCPs with web/src/crypto in Chromium
  (Debian's /usr/bin/chromium, headless, via Playwright), beside shared/crypto's seal of
  the same body to the same keys in this Python process, for both suites;
- the gzipped size of the JavaScript of the reporter page: what Chromium fetches when it
  opens /o/demo/report on the built app, and everything reachable from index.html through
  static and lazy imports (the upper bound), against the aim of 120 KB.

The crypto reaches the page through a separate Vite build of a small bench entry into a
temporary directory, so nothing is added to the production build; both builds are served
by a local http.server on a free loopback port. Needs `npm ci` in web/ first.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import http.server
import json
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import cryptography
from playwright.async_api import Page, async_playwright

from shared.crypto import (
    SUITES,
    Envelope,
    PrivateKey,
    SuiteName,
    open_envelope,
    padded_size,
    report_context,
    seal,
)

ROOT = Path(__file__).resolve().parents[1]
WEB = ROOT / "web"
VITE = WEB / "node_modules" / ".bin" / "vite"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless=new",
    "--disable-background-networking",
    "--disable-gpu",
]
REPORT_SIZE = 4096
VCP_COUNT = 2
AIM_KB = 120
CONTEXT = report_context("bench-org", "00000000-0000-4000-8000-000000000000")
REPORTER_PAGE = "/o/demo/report"

# The page the bench build serves: the crypto module and a function that times seal().
BENCH_HTML = """<!doctype html>
<html><head><meta charset="utf-8"><title>web crypto bench</title></head>
<body><script type="module" src="./entry.ts"></script></body></html>
"""
BENCH_ENTRY = """import { deriveFromReceipt, formatReceipt, messageContext, newReceipt, normaliseReceipt, open, reportContext, seal } from "@crypto";

async function sealBench(body: unknown, context: string, keys: never[], runs: number) {
  for (let i = 0; i < 5; i++) await seal(body, context, keys);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await seal(body, context, keys);
    times.push(performance.now() - start);
  }
  return { times, envelope: await seal(body, context, keys) };
}

// What the reporter's pages use, kept in the bundle so its size can be read off.
const used = { deriveFromReceipt, formatReceipt, messageContext, newReceipt, normaliseReceipt, open, reportContext };
(window as unknown as Record<string, unknown>).sealBench = sealBench;
(window as unknown as Record<string, unknown>).reporterCrypto = used;
document.title = "ready";
"""
BENCH_CONFIG = """export default {
  root: %(root)s,
  logLevel: "warn",
  resolve: { alias: { "@crypto": %(crypto)s } },
  build: { outDir: %(out)s, emptyOutDir: true, modulePreload: { polyfill: false } },
};
"""


def _fail(message: str) -> SystemExit:
    print(message, file=sys.stderr)
    return SystemExit(1)


def _report_body() -> dict[str, Any]:
    """A report whose UTF-8 JSON is REPORT_SIZE - 4 bytes, so it fills the 4 KiB bucket."""
    body: dict[str, Any] = {
        "category": "other",
        "description": "",
        "occurred_on": "2026-05-01",
        "wants_contact": False,
    }
    overhead = len(json.dumps(body, separators=(",", ":")).encode())
    body["description"] = "x" * (REPORT_SIZE - 4 - overhead)
    return body


def _run(command: list[str], what: str) -> None:
    proc = subprocess.run(command, cwd=WEB, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise _fail(f"{what} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")


def _build_bench_page(workdir: Path) -> Path:
    source = workdir / "bench-src"
    out = workdir / "bench-out"
    source.mkdir()
    (source / "index.html").write_text(BENCH_HTML, "utf-8")
    (source / "entry.ts").write_text(BENCH_ENTRY, "utf-8")
    config = source / "vite.config.mjs"
    config.write_text(
        BENCH_CONFIG
        % {
            "root": json.dumps(str(source)),
            "crypto": json.dumps(str(WEB / "src" / "crypto" / "index.ts")),
            "out": json.dumps(str(out)),
        },
        "utf-8",
    )
    _run([str(VITE), "build", "--config", str(config)], "The bench page's Vite build")
    return out


def _build_app() -> Path:
    _run(["npm", "run", "build"], "`npm run build` in web/")
    return WEB / "dist"


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Static files; any other path gets index.html, as the gateway does for the app."""

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        if not path.exists():
            self.path = "/index.html"
        return super().send_head()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def _serve(directory: Path) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), partial(_Handler, directory=str(directory))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _gzip_size(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=9, mtime=0))


_HTML_SCRIPTS = re.compile(
    r'<(?:script[^>]*\bsrc|link[^>]*\brel="modulepreload"[^>]*\bhref)="([^"]+\.js)"'
)
_STATIC_IMPORTS = re.compile(
    r'\b(?:import|export)\s*(?:[^"\'();=]*?\bfrom\s*)?["\']([^"\']+\.js)["\']'
)
_LAZY_IMPORTS = re.compile(
    r'import\(\s*["\']([^"\']+\.js)["\']\s*\)|["\'](assets/[^"\']+\.js)["\']'
)


def _reachable_js(dist: Path, *, lazy: bool) -> set[Path]:
    """The JS files index.html loads, following static imports and, if `lazy`, lazy ones."""
    pending = [
        (dist / src.lstrip("/")).resolve()
        for src in _HTML_SCRIPTS.findall((dist / "index.html").read_text("utf-8"))
    ]
    seen: set[Path] = set()
    while pending:
        path = pending.pop()
        if path in seen or not path.is_file():
            continue
        seen.add(path)
        text = path.read_text("utf-8")
        found = list(_STATIC_IMPORTS.findall(text))
        if lazy:
            found += [a or b for a, b in _LAZY_IMPORTS.findall(text)]
        for ref in found:
            base = dist if ref.startswith(("/", "assets/")) else path.parent
            pending.append((base / ref.lstrip("/")).resolve())
    return seen


async def _page_js(page: Page, base: str, dist: Path) -> set[Path]:
    """The JS files Chromium fetches when it opens the reporter page of the built app."""
    fetched: set[Path] = set()

    def record(response: Any) -> None:
        path = urlsplit(response.url).path
        if response.url.startswith(base) and path.endswith(".js"):
            fetched.add((dist / path.lstrip("/")).resolve())

    page.on("response", record)
    await page.goto(base + REPORTER_PAGE, wait_until="networkidle")
    page.remove_listener("response", record)
    return fetched


def _python_seal_ms(body: dict[str, Any], keys: list[PrivateKey], runs: int) -> float:
    public = [k.public_key for k in keys]
    for _ in range(5):
        seal(body, public, CONTEXT)
    times = []
    for _ in range(runs):
        start = time.perf_counter_ns()
        seal(body, public, CONTEXT)
        times.append(time.perf_counter_ns() - start)
    return statistics.median(times) / 1e6


async def _measure(runs: int, bench_out: Path, dist: Path) -> None:
    body = _report_body()
    keys = {suite: [PrivateKey.generate(suite) for _ in range(VCP_COUNT)] for suite in SUITES}
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = await browser.new_page()
            with _serve(bench_out) as base:
                await page.goto(base + "/index.html")
                await page.wait_for_function("document.title === 'ready'")
                browser_ms: dict[SuiteName, float] = {}
                for suite in SUITES:
                    result = await page.evaluate(
                        "([body, context, keys, runs]) => sealBench(body, context, keys, runs)",
                        [body, CONTEXT, [k.public_key.model_dump() for k in keys[suite]], runs],
                    )
                    # Check the browser's envelope opens here, so the figure is for real work.
                    envelope = Envelope.model_validate(result["envelope"])
                    for key in keys[suite]:
                        if open_envelope(envelope, key, CONTEXT) != body:
                            raise _fail(f"Chromium's {suite} envelope did not open to the body.")
                    browser_ms[suite] = statistics.median(result["times"])
            with _serve(dist) as base:
                page_js = await _page_js(await browser.new_page(), base, dist)
            version = browser.version
        finally:
            await browser.close()

    body_len = len(json.dumps(body, separators=(",", ":")).encode())
    print(
        f"SafeHands browser crypto benchmark — Chromium {version} (headless), "
        f"Python {platform.python_version()} with cryptography {cryptography.__version__}, "
        f"{platform.machine()}, median of {runs} runs"
    )
    print(
        f"seal of a {body_len} B JSON report (padded to {padded_size(body_len)} B) "
        f"to {VCP_COUNT} VCPs:"
    )
    print(f"  {'suite':<16} {'Chromium':>10} {'Python':>10} {'ratio':>7}")
    for suite in SUITES:
        python_ms = _python_seal_ms(body, keys[suite], runs)
        print(
            f"  {suite:<16} {browser_ms[suite]:>7.2f} ms {python_ms:>7.2f} ms "
            f"{browser_ms[suite] / python_ms:>6.1f}x"
        )

    print("reporter page JavaScript, gzip -9:")
    for label, files in (
        (f"loaded by {REPORTER_PAGE} in Chromium", page_js),
        ("reachable from index.html (static + lazy imports)", _reachable_js(dist, lazy=True)),
    ):
        total = sum(_gzip_size(f) for f in files) / 1000
        print(f"  {label}: {total:.1f} KB in {len(files)} files")
    crypto_only = sum(_gzip_size(f) for f in _reachable_js(bench_out, lazy=True)) / 1000
    print(
        f"  web/src/crypto as the reporter's pages use it (seal, open, receipts): "
        f"{crypto_only:.1f} KB"
    )
    upper = sum(_gzip_size(f) for f in _reachable_js(dist, lazy=True)) / 1000
    verdict = "within" if upper <= AIM_KB else "OVER"
    print(f"  aim: at most {AIM_KB} KB on reporter pages — the upper bound is {verdict} it")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=100, help="timed seals per figure")
    args = parser.parse_args()
    if shutil.which("node") is None or not VITE.exists():
        raise _fail("The web app's packages are not installed: run `npm ci` in web/ first.")
    if not Path(CHROMIUM).exists():
        raise _fail(f"Chromium is needed at {CHROMIUM}: install Debian's `chromium` package.")
    with tempfile.TemporaryDirectory(prefix="safehands-web-bench-") as workdir:
        bench_out = _build_bench_page(Path(workdir))
        dist = _build_app()
        asyncio.run(_measure(args.runs, bench_out, dist))


if __name__ == "__main__":
    main()
