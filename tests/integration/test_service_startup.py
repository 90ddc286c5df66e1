"""Start-up behaviour: outages are waited out, bad configuration is one clear sentence."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time

import httpx

from cli.embedded import free_port
from tests.support.platform import REPO, Platform, wait_until_ready


def test_unreachable_broker_means_not_ready_then_ready_without_a_crash_loop(
    platform: Platform,
) -> None:
    missing_broker = f"127.0.0.1:{free_port()}"
    service = platform.start(
        "policy", env={"SAFEHANDS_KAFKA_BOOTSTRAP_SERVERS": missing_broker}, wait=False
    )
    deadline = time.monotonic() + 8
    answers = set()
    while time.monotonic() < deadline:
        try:
            answers.add(httpx.get(f"{service.url}/readyz", timeout=1).status_code)
            assert httpx.get(f"{service.url}/healthz", timeout=1).status_code == 200
        except httpx.ConnectError:
            pass
        time.sleep(0.3)
    assert answers == {503}
    assert service.child.exit_code is None, "the service must keep retrying, not exit"
    assert "retrying" in service.log_text()


def test_service_becomes_ready_and_serves_metrics_and_docs(platform: Platform) -> None:
    service = platform.start("intake")
    wait_until_ready(service)
    with service.client() as http:
        metrics = http.get("/metrics").text
        assert "safehands_http_requests_total" in metrics
        assert "faststream" in metrics
        assert "/v1/orgs/{org}/applications" in http.get("/openapi.json").json()["paths"]
        assert_docs_work_offline_under_a_csp(http)
    # Every line of the service's log is JSON, warnings included.
    for line in service.log_text().splitlines():
        assert json.loads(line)["service"] == "intake", line


def assert_docs_work_offline_under_a_csp(http: httpx.Client) -> None:
    """/docs names only files the service serves itself, with relative URLs (so the page
    also works behind the gateway's prefix), and has no inline script."""
    page = http.get("/docs")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page.text, re.S)
    assert scripts and all(body.strip() == "" for _, body in scripts), "no inline script"
    assert "style=" not in page.text and "on" + "load=" not in page.text
    urls = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert len(urls) >= 4
    for url in urls:
        assert not url.startswith(("/", "http:", "https:")), url
        asset = http.get(f"/{url}")
        assert asset.status_code == 200 and asset.content, url
    init = http.get("/docs-assets/swagger-init.js")
    assert init.headers["content-type"].startswith("text/javascript")
    assert "SwaggerUIBundle" in init.text and '"openapi.json"' in init.text
    assert "SwaggerUIBundle" in http.get("/docs-assets/swagger-ui-bundle.js").text
    assert http.get("/docs-assets/swagger-ui.js.map").status_code == 404
    assert http.get("/redoc").status_code == 404


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cli", *args],
        cwd=REPO,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_malformed_setting_is_one_sentence_not_a_traceback() -> None:
    result = run_cli("serve", "policy", env={"SAFEHANDS_LOG_LEVEL": "LOUD"})
    assert result.returncode == 2
    assert "SAFEHANDS_LOG_LEVEL is malformed" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_port_already_taken_is_one_sentence(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("up", "--kafka-port", str(port), env={"SAFEHANDS_DATA_DIR": str(tmp_path)})
        assert result.returncode == 2
        assert f"Port {port} is already in use" in result.stderr
        assert "Traceback" not in result.stderr
        data = {"SAFEHANDS_DATA_DIR": str(tmp_path)}
        assert run_cli("token", "--role", "operator", env=data).returncode == 0
        served = run_cli("serve", "policy", env={**data, "SAFEHANDS_HTTP_PORT": str(port)})
        assert served.returncode == 2
        assert f"Port {port} on 127.0.0.1 is already in use" in served.stderr
        assert "Traceback" not in served.stderr
