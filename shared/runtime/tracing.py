"""Tracing for a service process (issue 23): off unless an OTLP endpoint is configured.

With `OTEL_EXPORTER_OTLP_ENDPOINT` (or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) set, the service
sets up OpenTelemetry's SDK, exporter and instrumentations (shared/runtime/tracing_sdk.py,
which also holds the allow-list of what leaves the process). Without it nothing of them is
even imported: the API's no-op tracer, no instrumentation, no exporter; what remains is a
few calls that do nothing (shared/trace_context.py). A process in which a tracer provider was
set already (a test's) traces with that one.
"""

from __future__ import annotations

import os

from fastapi import FastAPI
from opentelemetry import trace

from shared import trace_context

ENDPOINT_VARIABLES = ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")


def configured() -> bool:
    return any(os.environ.get(name) for name in ENDPOINT_VARIABLES)


def configure(service: str) -> trace.TracerProvider | None:
    """The process's tracer provider, or None: tracing is off."""
    current = trace.get_tracer_provider()
    if isinstance(current, trace.ProxyTracerProvider | trace.NoOpTracerProvider):
        if not configured():
            return None
        from shared.runtime import tracing_sdk

        current = tracing_sdk.otlp_provider(service)
    # Now the trace context is stored and restored (shared/trace_context.py).
    trace_context.enable()
    return current


def instrument_clients(provider: trace.TracerProvider) -> None:
    """PyMongo (before the database's client is made) and httpx, once per process."""
    from shared.runtime import tracing_sdk

    tracing_sdk.instrument_clients(provider)


def instrument_app(app: FastAPI, provider: trace.TracerProvider) -> None:
    from shared.runtime import tracing_sdk

    tracing_sdk.instrument_app(app, provider)


def flush(provider: trace.TracerProvider, timeout_millis: int = 5000) -> None:
    """Out with the spans still batched, before the process ends."""
    force_flush = getattr(provider, "force_flush", None)
    if force_flush is not None:
        force_flush(timeout_millis)
