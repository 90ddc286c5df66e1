"""The two middlewares every service runs around its routes: metrics by route template and
status, and the plain-words 500. Both are plain ASGI (issue 27: Starlette's
BaseHTTPMiddleware cost intake a share of its requests per second)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.responses import StreamingResponse
from fastapi.testclient import TestClient
from prometheus_client import CollectorRegistry
from starlette.middleware.base import BaseHTTPMiddleware

from cli.services import SERVICE_NAMES
from shared.http.http_errors import UnexpectedErrorMiddleware, install_error_handlers
from shared.http.metrics import HttpMetrics, HttpMetricsMiddleware
from shared.logs import configure_logging
from tests.support.service_apps import service_app


def app_with_metrics() -> tuple[FastAPI, CollectorRegistry]:
    registry = CollectorRegistry()
    app = FastAPI()
    install_error_handlers(app)
    app.add_middleware(HttpMetricsMiddleware, metrics=HttpMetrics(registry))

    @app.get("/v1/orgs/{org}/things/{thing_id}")
    async def thing(org: str, thing_id: str) -> dict[str, str]:
        return {"org": org, "thing_id": thing_id}

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("duplicate key: SECRET-CANARY")

    @app.get("/stream")
    async def stream() -> StreamingResponse:
        async def pieces() -> AsyncIterator[bytes]:
            yield b"first piece\n"
            raise RuntimeError("broken mid-way: SECRET-CANARY")

        return StreamingResponse(pieces(), media_type="text/plain")

    return app, registry


def logging_as_a_service() -> None:
    """The JSON lines a service writes, onto this test's captured stderr: whichever test
    configured logging before bound it to its own, which capsys does not see."""
    configure_logging("policy")


def counted(registry: CollectorRegistry, route: str, status: str) -> float:
    value = registry.get_sample_value(
        "safehands_http_requests_total", {"method": "GET", "route": route, "status": status}
    )
    return value or 0.0


def test_requests_are_counted_by_route_template_and_status_and_timed() -> None:
    app, registry = app_with_metrics()
    with TestClient(app) as client:
        assert client.get("/v1/orgs/demo/things/t-1").status_code == 200
        assert client.get("/v1/orgs/other/things/t-2").status_code == 200
        assert client.get("/nowhere").status_code == 404
    assert counted(registry, "/v1/orgs/{org}/things/{thing_id}", "200") == 2
    assert counted(registry, "unmatched", "404") == 1
    timed = registry.get_sample_value(
        "safehands_http_request_duration_seconds_count",
        {"method": "GET", "route": "/v1/orgs/{org}/things/{thing_id}"},
    )
    assert timed == 2
    # No concrete id becomes a label.
    exposed = "".join(str(s) for m in registry.collect() for s in m.samples)
    assert "t-1" not in exposed and "demo" not in exposed


def test_an_unexpected_error_is_answered_and_counted_as_a_500(
    capsys: pytest.CaptureFixture[str],
) -> None:
    logging_as_a_service()
    app, registry = app_with_metrics()
    with TestClient(app, raise_server_exceptions=True) as client:
        answer = client.get("/boom")
    assert answer.status_code == 500
    assert answer.json()["detail"].startswith("Something went wrong on our side")
    assert counted(registry, "/boom", "500") == 1
    captured = capsys.readouterr()
    assert "SECRET-CANARY" not in answer.text + captured.out + captured.err
    assert "RuntimeError" in captured.out + captured.err


def test_an_error_after_the_answer_started_breaks_it_and_is_logged_without_its_message(
    capsys: pytest.CaptureFixture[str],
) -> None:
    logging_as_a_service()
    app, registry = app_with_metrics()
    with TestClient(app, raise_server_exceptions=False) as client:
        answer = client.get("/stream")
    # The status was already on its way; what the client gets is not a second answer.
    assert answer.status_code == 200
    assert answer.text == "first piece\n"
    assert counted(registry, "/stream", "200") == 1
    captured = capsys.readouterr()
    assert "unhandled error" in captured.out + captured.err
    assert "SECRET-CANARY" not in captured.out + captured.err


@pytest.mark.parametrize("name", SERVICE_NAMES)
def test_no_service_runs_a_base_http_middleware(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each BaseHTTPMiddleware puts a task and two memory streams into every request."""
    app = service_app(name, tmp_path, monkeypatch)
    kinds = [m.cls for m in app.user_middleware]
    assert UnexpectedErrorMiddleware in kinds and HttpMetricsMiddleware in kinds
    assert not any(isinstance(k, type) and issubclass(k, BaseHTTPMiddleware) for k in kinds), kinds
