"""Prometheus metrics of a service: HTTP by route template, plus FastStream's."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Iterator, Mapping

from fastapi import Request, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily
from prometheus_client.registry import Collector


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

    async def middleware(
        self, request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        started = time.perf_counter()
        response = await call_next(request)
        # The template, never the concrete path: paths hold ids that would explode cardinality.
        route = getattr(request.scope.get("route"), "path", "unmatched")
        self.requests.labels(request.method, route, str(response.status_code)).inc()
        self.latency.labels(request.method, route).observe(time.perf_counter() - started)
        return response


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
