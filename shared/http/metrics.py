"""Prometheus metrics of a service: HTTP by route template, plus FastStream's."""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping

from fastapi import Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily
from prometheus_client.registry import Collector
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class HttpMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.requests = Counter(
            "safehands_http_requests_total",
            "HTTP requests by route template and status.",
            ["method", "route", "status"],
            registry=registry,
        )
        self.latency = Histogram(
            "safehands_http_request_duration_seconds",
            "HTTP request latency by route template.",
            ["method", "route"],
            registry=registry,
        )


class HttpMetricsMiddleware:
    """Counts each request by route template and status, and times it to its last byte.

    Plain ASGI for the reason given at `UnexpectedErrorMiddleware`. An exception that
    passes through is counted as a 500: the middleware inside answers it so."""

    def __init__(self, app: ASGIApp, metrics: HttpMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, noting_status)
        finally:
            # The template, never the concrete path: paths hold ids that would explode
            # cardinality.
            route = getattr(scope.get("route"), "path", "unmatched")
            method = scope["method"]
            self.metrics.requests.labels(method, route, str(status)).inc()
            self.metrics.latency.labels(method, route).observe(time.perf_counter() - started)


class DatabaseCommandMetrics(Collector):
    """`safehands_db_commands_total` by command name, read from the database client's
    command counter when scraped (the counter itself is plain: it runs on every command)."""

    def __init__(self, by_name: Mapping[str, int], registry: CollectorRegistry) -> None:
        self._by_name = by_name
        registry.register(self)

    def collect(self) -> Iterator[CounterMetricFamily]:
        family = CounterMetricFamily(
            "safehands_db_commands", "Database commands sent, by command name.", labels=["command"]
        )
        for name, count in sorted(self._by_name.items()):
            family.add_metric([name], count)
        yield family


def metrics_response(registry: CollectorRegistry) -> Response:
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
