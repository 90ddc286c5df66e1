"""The gateway (Caddy with deploy/Caddyfile, as `safehands up` runs it) in front of the real
services: routing under /api/<service>/, security headers on every kind of answer, 413 for
bodies larger than the services accept, HSTS only over HTTPS, X-Forwarded-For for the
services, and a log that holds no client address."""

from __future__ import annotations

import http.client
import http.server
import json
import re
import ssl
import threading
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from cli.embedded import free_port
from shared.crypto.envelope import MAX_SEALED_REQUEST_BYTES
from shared.http.body_limit import DEFAULT_MAX_BODY_BYTES
from tests.support.platform import Infrastructure, Platform, eventually
from tests.support.web import ensure_web_built
from tests.support.web_platform import WebPlatform, start_web_platform

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


# A client address no test machine has: it must never reach a log.
SPOOFED_CLIENT = "198.51.100.77"
PAGE_PATHS = (
    "/",
    "/o/demo",
    "/o/demo/report",
    "/o/demo/follow-up",
    "/o/demo/apply",
    "/vacatures",
    "/sign-in",
    "/sign-in/callback",
    "/me",
    "/vcp",
    "/coordinator",
    "/admin",
    "/admin/log",
    "/operator",
    # Every place of a workspace has its own address (web/src/lib/router.ts).
    "/vcp/cases/3f1c2a8e-7b6d-4e5f-9a0b-1c2d3e4f5a6b",
    "/coordinator/volunteers/v-123",
    "/admin/roles",
    "/admin/codes",
    "/operator/orgs/demo",
)


def assert_security_headers(answer: httpx.Response) -> None:
    where = f"{answer.request.method} {answer.request.url.path} ({answer.status_code})"
    headers = answer.headers
    assert headers.get("content-security-policy") == csp_for(answer.request.url.path), where
    assert headers.get("referrer-policy") == "no-referrer", where
    assert headers.get("x-content-type-options") == "nosniff", where
    permissions = headers.get("permissions-policy", "")
    for feature in ("camera=()", "microphone=()", "geolocation=()", "browsing-topics=()"):
        assert feature in permissions, (where, permissions)
    for feature in ("clipboard-write=(self)", "publickey-credentials-get=(self)", "usb=()"):
        assert feature in permissions, (where, permissions)
    assert headers.get("cross-origin-embedder-policy") == "require-corp", where
    assert headers.get("x-permitted-cross-domain-policies") == "none", where
    assert "server" not in headers, (where, headers.get("server"))
    assert "via" not in headers, where
    # Plain HTTP here: HSTS only where the answer travelled over HTTPS.
    assert "strict-transport-security" not in headers, where


@pytest.fixture(scope="module")
def web_platform(infra: Infrastructure) -> Iterator[WebPlatform]:
    ensure_web_built()
    running = start_web_platform(infra, {})
    try:
        yield running
    finally:
        running.platform.stop_all()


@pytest.fixture(scope="module")
def gateway(web_platform: WebPlatform) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=web_platform.url, timeout=10) as client:
        yield client


# --- routing ------------------------------------------------------------------------------------


def test_each_service_answers_under_its_prefix_with_the_prefix_removed(
    gateway: httpx.Client, web_platform: WebPlatform
) -> None:
    assert {"intake", "policy", "reports", "notify"} <= set(web_platform.services)
    for name in web_platform.services:
        health = gateway.get(f"/api/{name}/healthz")
        assert health.status_code == 200, (name, health.text)
        assert health.json() == {"status": "ok"}
        assert_security_headers(health)
        assert health.headers["cache-control"] == "no-store"
        # Which service answered: each names itself in its OpenAPI document.
        described = gateway.get(f"/api/{name}/openapi.json")
        assert described.json()["info"]["title"] == f"SafeHands {name}", name


def test_a_services_own_errors_pass_through_with_the_headers(gateway: httpx.Client) -> None:
    answer = gateway.get("/api/reports/v1/orgs/demo/reports")
    assert answer.status_code == 401, answer.text
    assert "detail" in answer.json()
    assert_security_headers(answer)
    assert answer.headers["cache-control"] == "no-store"


def test_unknown_api_paths_and_metrics_get_a_json_404(gateway: httpx.Client) -> None:
    for path in ("/api/nothing/healthz", "/api/intake", "/api/policy/metrics"):
        answer = gateway.get(path)
        assert answer.status_code == 404, path
        assert answer.json()["detail"].endswith("."), path
        assert_security_headers(answer)
        assert answer.headers["cache-control"] == "no-store"


# --- the web app ----------------------------------------------------------------------------


def test_every_page_path_is_the_app_with_the_headers_and_no_cache(
    gateway: httpx.Client,
) -> None:
    index = gateway.get("/").text
    assert '<div id="app">' in index
    for path in PAGE_PATHS:
        answer = gateway.get(path, params={"lang": "en"} if path == "/o/demo" else None)
        assert answer.status_code == 200, path
        assert answer.text == index, f"{path} is not the app"
        assert_security_headers(answer)
        assert answer.headers["cache-control"] == "no-cache", path
        assert answer.headers["content-type"].startswith("text/html"), path


def test_an_unknown_path_is_a_404_that_still_shows_the_apps_not_found_page(
    gateway: httpx.Client,
) -> None:
    index = gateway.get("/").text
    for path in ("/wp-login.php", "/nothing/here", "/organisations", "/o", "/vcpx"):
        answer = gateway.get(path)
        assert answer.status_code == 404, path
        # People see the app's own "not found" page; crawlers and scripts see the status.
        assert answer.text == index, path
        assert answer.headers["content-type"].startswith("text/html"), path
        assert_security_headers(answer)


def test_robots_txt_allows_the_public_pages_and_keeps_crawlers_off_the_rest(
    gateway: httpx.Client,
) -> None:
    answer = gateway.get("/robots.txt")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain")
    rules = [line for line in answer.text.splitlines() if line and not line.startswith("#")]
    assert "Allow: /o/" in rules
    assert "Allow: /vacatures" in rules
    for private in ("/sign-in", "/me", "/admin", "/coordinator", "/vcp", "/operator", "/api/"):
        assert f"Disallow: {private}" in rules, private
    assert_security_headers(answer)


def test_signing_out_clears_the_cache_and_cookies_but_not_a_kept_key_file(
    gateway: httpx.Client,
) -> None:
    answer = gateway.post("/api/identity/v1/sign-out", json={"refresh_token": "not-a-session"})
    assert answer.status_code == 204, answer.text
    assert answer.headers["clear-site-data"] == '"cache", "cookies"'
    # Not "storage": a VCP may keep her encrypted key file in this browser by choice.
    assert "storage" not in answer.headers["clear-site-data"]
    assert "clear-site-data" not in gateway.post("/api/identity/v1/tokens", json={}).headers


def test_hashed_assets_are_immutable_and_a_missing_one_is_a_404(gateway: httpx.Client) -> None:
    index = gateway.get("/").text
    script = index.split('src="', 1)[1].split('"', 1)[0]
    assert script.startswith("/assets/")
    answer = gateway.get(script, headers={"accept-encoding": "gzip"})
    assert answer.status_code == 200
    assert answer.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert answer.headers["content-encoding"] == "gzip"
    assert_security_headers(answer)
    missing = gateway.get("/assets/index-doesnotexist.js")
    assert missing.status_code == 404
    assert_security_headers(missing)


# --- request size -----------------------------------------------------------------------------


def test_a_body_no_service_accepts_gets_413_from_the_gateway(gateway: httpx.Client) -> None:
    path = "/api/intake/v1/orgs/demo/reports"
    json_body = {"content-type": "application/json"}
    too_big = b"x" * (DEFAULT_MAX_BODY_BYTES + 1)
    answer = gateway.post(path, content=too_big, headers=json_body)
    assert answer.status_code == 413, answer.text
    # The gateway's own sentence: the body never reached intake.
    assert answer.json()["detail"] == (
        f"The request is too large: a request may hold at most {DEFAULT_MAX_BODY_BYTES} bytes."
    )
    assert_security_headers(answer)
    # The body is left unread, so the connection must not carry another request.
    assert answer.headers["connection"] == "close"

    # Without a Content-Length (chunked), the gateway stops reading at the limit too. Sent to
    # policy, which takes bodies up to the gateway's limit, so only the gateway can refuse it:
    # intake, streamed to, refuses above its own smaller limit first (its own 413, tested
    # below), and which of the two answered would be a race.
    def chunks() -> Iterator[bytes]:
        for _ in range(3):
            yield b"y" * DEFAULT_MAX_BODY_BYTES

    streamed = gateway.post("/api/policy/v1/orgs", content=chunks(), headers=json_body)
    assert streamed.status_code == 413, streamed.text
    assert streamed.headers["connection"] == "close"
    assert "at most" in streamed.json()["detail"]


def test_the_gateway_refuses_no_body_a_service_would_take(gateway: httpx.Client) -> None:
    # A body of exactly the limit passes the gateway: policy (which takes up to the limit)
    # answers for itself, with its own sentence for what it refuses.
    at_limit = gateway.post(
        "/api/policy/v1/orgs",
        content=b"z" * DEFAULT_MAX_BODY_BYTES,
        headers={"content-type": "application/json"},
    )
    assert at_limit.status_code in {401, 422}, at_limit.text
    # intake takes less (one sealed report): between its limit and the gateway's, intake
    # itself answers 413, in its own words.
    assert MAX_SEALED_REQUEST_BYTES < DEFAULT_MAX_BODY_BYTES
    between = gateway.post(
        "/api/intake/v1/orgs/demo/reports",
        content=b"w" * (MAX_SEALED_REQUEST_BYTES + 1),
        headers={"content-type": "application/json"},
    )
    assert between.status_code == 413, between.text
    assert "this service accepts" in between.json()["detail"]
    assert_security_headers(between)

    # The same without a Content-Length: intake stops reading, so the gateway must not keep
    # the connection (what is left of the body would be read as the next request).
    def slightly_too_big() -> Iterator[bytes]:
        for _ in range(8):
            yield b"v" * (MAX_SEALED_REQUEST_BYTES // 7)

    streamed = gateway.post(
        "/api/intake/v1/orgs/demo/reports",
        content=slightly_too_big(),
        headers={"content-type": "application/json"},
    )
    assert streamed.status_code == 413, streamed.text
    assert streamed.headers["connection"] == "close"
    assert gateway.get("/api/intake/healthz").status_code == 200


# --- what the services see -----------------------------------------------------------------------


class _Echo(http.server.BaseHTTPRequestHandler):
    seen: list[dict[str, Any]] = []

    def do_GET(self) -> None:
        _Echo.seen.append({"path": self.path, "headers": dict(self.headers.items())})
        body = json.dumps({"ok": True}).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("cache-control", "public, max-age=600")
        self.send_header("server", "echo/1.0")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        return


def test_services_see_the_real_client_in_x_forwarded_for_never_a_spoofed_one(
    platform: Platform,
) -> None:
    ensure_web_built()
    _Echo.seen.clear()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        gateway = platform.start_gateway({"notify": f"127.0.0.1:{server.server_address[1]}"})
        answer = httpx.get(
            f"{gateway.url}/api/notify/v1/something?x=1",
            headers={
                "X-Forwarded-For": SPOOFED_CLIENT,
                "X-Real-IP": SPOOFED_CLIENT,
                "Forwarded": f"for={SPOOFED_CLIENT}",
            },
            timeout=10,
        )
    finally:
        server.shutdown()
        thread.join(5)
    assert answer.status_code == 200
    [seen] = _Echo.seen
    assert seen["path"] == "/v1/something?x=1", "the /api/notify prefix must be removed"
    headers = {key.lower(): value for key, value in seen["headers"].items()}
    # Caddy trusts no proxy in front of it: it replaces what the client claimed.
    assert headers["x-forwarded-for"] == "127.0.0.1"
    assert SPOOFED_CLIENT not in json.dumps(headers)
    # The upstream's own caching and Server header do not reach the client.
    assert answer.headers["cache-control"] == "no-store"
    assert_security_headers(answer)


def test_behind_a_trusted_proxy_the_services_see_the_client_it_names(platform: Platform) -> None:
    ensure_web_built()
    _Echo.seen.clear()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        # The test is the TLS terminator, on loopback: it appends its client's address.
        gateway = platform.start_gateway(
            {"notify": f"127.0.0.1:{server.server_address[1]}"},
            env={"GATEWAY_TRUSTED_PROXIES": "10.0.0.0/8, 127.0.0.1"},
        )
        answer = httpx.get(
            f"{gateway.url}/api/notify/v1/something",
            headers={"X-Forwarded-For": f"{SPOOFED_CLIENT}, 203.0.113.9, 10.1.2.3"},
            timeout=10,
        )
    finally:
        server.shutdown()
        thread.join(5)
    assert answer.status_code == 200
    [seen] = _Echo.seen
    headers = {key.lower(): value for key, value in seen["headers"].items()}
    # From the right, the first address that is no trusted proxy; never what lies left of it.
    assert headers["x-forwarded-for"] == "203.0.113.9"


def test_only_identity_receives_the_sign_in_cookie(platform: Platform) -> None:
    """On HTTPS the `__Host-` cookie has Path=/ (services/identity/refresh_cookie.py), so the
    browser sends it everywhere: the gateway passes it to identity alone."""
    ensure_web_built()
    _Echo.seen.clear()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    echo = f"127.0.0.1:{server.server_address[1]}"
    try:
        gateway = platform.start_gateway({"notify": echo, "identity": echo, "reports": echo})
        for service in ("notify", "identity", "reports"):
            answer = httpx.get(
                f"{gateway.url}/api/{service}/v1/{service}",
                headers={"Cookie": "__Host-safehands_refresh=secret-token"},
                timeout=10,
            )
            assert answer.status_code == 200, (service, answer.text)
    finally:
        server.shutdown()
        thread.join(5)
    seen = {
        entry["path"]: {key.lower(): value for key, value in entry["headers"].items()}
        for entry in _Echo.seen
    }
    assert set(seen) == {"/v1/notify", "/v1/identity", "/v1/reports"}
    assert seen["/v1/identity"]["cookie"] == "__Host-safehands_refresh=secret-token"
    assert "cookie" not in seen["/v1/notify"] and "cookie" not in seen["/v1/reports"]


# --- HTTPS --------------------------------------------------------------------------------------


def test_over_https_the_gateway_adds_hsts(platform: Platform) -> None:
    ensure_web_built()
    port = free_port()
    gateway = platform.start_gateway(
        port=port,
        env={
            # A host name as the site: Caddy serves HTTPS by itself. For `localhost` the
            # certificate comes from its own local CA; a domain name gets one from a public CA.
            "GATEWAY_SITE_ADDRESS": f"https://localhost:{port}",
            "GATEWAY_HTTPS_PORT": str(port),
            "GATEWAY_HTTP_PORT": str(free_port()),
        },
    )
    url = f"https://localhost:{port}"
    # The local CA's root, which Caddy keeps in its state (XDG_DATA_HOME, see cli/gateway.py).
    root = gateway.log_path.parent / "state" / "data" / "caddy" / "pki" / "authorities"
    root_certificate = root / "local" / "root.crt"

    def page() -> httpx.Response | None:
        try:  # the certificate is issued just after start-up
            trust = ssl.create_default_context(cafile=str(root_certificate))
            return httpx.get(f"{url}/o/demo/report", verify=trust, timeout=10)
        except (httpx.ConnectError, FileNotFoundError, ssl.SSLError):
            return None

    answer = eventually(page, timeout=30, interval=0.5)
    assert answer.status_code == 200, gateway.log_text()[-2000:]
    assert answer.headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"
    assert answer.headers["content-security-policy"] == CSP
    trust = ssl.create_default_context(cafile=str(root_certificate))
    api = httpx.get(f"{url}/api/nothing/x", verify=trust, timeout=10)
    assert api.status_code == 404 and "strict-transport-security" in api.headers


# --- anonymity ----------------------------------------------------------------------------------


def _request_from_port(
    port: int, source_port: int, method: str, path: str, declared_length: int = 0
) -> int:
    """A request from a known client port, claiming to be SPOOFED_CLIENT. A body is only
    declared (and a few bytes sent): the gateway refuses an oversized one on its header."""
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=10, source_address=("127.0.0.1", source_port)
    )
    try:
        connection.putrequest(method, path)
        connection.putheader("X-Forwarded-For", SPOOFED_CLIENT)
        connection.putheader("User-Agent", "distinctive-agent-4711")
        if declared_length:
            connection.putheader("Content-Type", "application/json")
            connection.putheader("Content-Length", str(declared_length))
        connection.endheaders(b"{" if declared_length else None)
        return connection.getresponse().status
    finally:
        connection.close()


def test_the_gateway_log_holds_no_client_address(platform: Platform) -> None:
    """At DEBUG Caddy logs every failed request with its client; the Caddyfile's filter must
    drop the addresses (the gateway of `safehands up` logs at INFO, which holds less)."""
    ensure_web_built()
    intake = platform.start("intake")
    gateway = platform.start_gateway(env={"GATEWAY_LOG_LEVEL": "DEBUG"})
    port = int(gateway.url.rsplit(":", 1)[1])
    source_ports = []
    requests = [
        ("GET", "/o/demo/report", 0),
        ("GET", "/api/intake/healthz", 0),
        ("GET", "/api/policy/healthz", 0),  # not running here: 502
        ("GET", "/assets/missing.js", 0),  # 404
        ("POST", "/api/intake/v1/orgs/demo/reports", DEFAULT_MAX_BODY_BYTES + 10),
    ]
    statuses = []
    for method, path, declared_length in requests:
        source_port = free_port()
        source_ports.append(source_port)
        statuses.append(_request_from_port(port, source_port, method, path, declared_length))
    assert statuses == [200, 200, 502, 404, 413]
    gateway.child.stop()  # flushes the log

    log = gateway.log_text()
    entries = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    # The failed requests are in the log (so the filter is what keeps the client out)…
    described = [entry["request"] for entry in entries if "request" in entry]
    assert any(request.get("uri") == "/api/policy/healthz" for request in described), log
    # …without an address, a port, a header or the user agent of whoever asked.
    for request in described:
        assert not {"remote_ip", "remote_port", "client_ip", "headers"} & set(request), request
    for forbidden in (SPOOFED_CLIENT, "distinctive-agent-4711"):
        assert forbidden not in log, forbidden
    # A port as a number of its own: 23372 also stands inside Caddy's 9223372036854775807.
    for source_port in source_ports:
        assert not re.search(rf"(?<![0-9]){source_port}(?![0-9])", log), source_port
    # The service behind it logs no address either.
    assert SPOOFED_CLIENT not in intake.log_text()


def test_the_gateway_has_no_access_log(web_platform: WebPlatform) -> None:
    source_port = free_port()
    port = int(web_platform.url.rsplit(":", 1)[1])
    assert _request_from_port(port, source_port, "GET", "/o/demo/report") == 200
    assert _request_from_port(port, free_port(), "GET", "/api/intake/healthz") == 200
    log = web_platform.gateway.log_text()
    assert "/o/demo/report" not in log and "/api/intake/healthz" not in log
    for path in web_platform.log_files():
        text = path.read_text(errors="replace")
        assert SPOOFED_CLIENT not in text, path
        assert f":{source_port}" not in text, path
