"""OpenTelemetry's SDK and instrumentations for a service process that traces (issue 23):
imported by shared/runtime/tracing.py only then, so a service that does not trace does not
even load them. Spans go by OTLP/HTTP to the configured endpoint (compose: Jaeger).

What leaves the process is filtered here, by an allow-list, not by hoping the
instrumentations hold nothing secret: PyMongo's `db.statement` would quote the command (with
capture off, the command's name), the server span's `http.url`/`http.target` the query string
(a volunteer's name in `?q=`), a client span's `http.url` a webhook's secret path, `net.peer.ip`
a reporter's address, an exception event its message, a failed command's status its `errmsg`
(a duplicate key's value). Only the attributes below are exported, status descriptions and
event attributes other than the exception's type are dropped. Spans' names are route templates,
topics, database and command names, and our own fixed words.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI
from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
from opentelemetry.instrumentation.pymongo import PymongoInstrumentor
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import Event, ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter, SpanExportResult
from opentelemetry.sdk.trace.sampling import (
    ALWAYS_ON,
    Decision,
    ParentBased,
    Sampler,
    SamplingResult,
)
from opentelemetry.trace import Link, SpanKind, Status
from opentelemetry.util.types import Attributes

# Routes whose spans would be noise: probes every few seconds and Prometheus' scrapes.
NOT_TRACED = "healthz,readyz,metrics"

EXPORTED_ATTRIBUTES = frozenset(
    {
        # HTTP, old and stable conventions: the route's template, never the concrete URL.
        "http.method",
        "http.request.method",
        "http.route",
        "http.status_code",
        "http.response.status_code",
        "http.scheme",
        "url.scheme",
        "http.flavor",
        "network.protocol.version",
        # Where a client span went: a host, never the path or the query.
        "server.address",
        "server.port",
        # The database: which one, which collection; the command is the span's name.
        "db.system",
        "db.system.name",
        "db.name",
        "db.namespace",
        "db.mongodb.collection",
        "db.collection.name",
        # Kafka (FastStream's middleware): topic, partition, offset, ids and sizes.
        "messaging.system",
        "messaging.operation",
        "messaging.destination.name",
        "messaging.destination_publish.name",
        "messaging.kafka.destination.partition",
        "messaging.kafka.message.offset",
        "messaging.kafka.message.key",
        "messaging.message.id",
        "messaging.message.conversation_id",
        "messaging.message.payload_size_bytes",
        "messaging.batch.message_count",
        "error.type",
        # Ours (shared/trace_context.py and its callers).
        "safehands.event_type",
        "safehands.mail_kind",
    }
)
EXPORTED_EVENT_ATTRIBUTES = frozenset({"exception.type"})


def _scrubbed(span: ReadableSpan) -> ReadableSpan:
    def allowed(attributes: Any, names: frozenset[str]) -> dict[str, Any]:
        return {key: value for key, value in (attributes or {}).items() if key in names}

    return ReadableSpan(
        name=span.name,
        context=span.context,
        parent=span.parent,
        resource=span.resource,
        attributes=allowed(span.attributes, EXPORTED_ATTRIBUTES),
        events=[
            Event(event.name, allowed(event.attributes, EXPORTED_EVENT_ATTRIBUTES), event.timestamp)
            for event in span.events
        ],
        links=span.links,
        kind=span.kind,
        status=Status(span.status.status_code),
        start_time=span.start_time,
        end_time=span.end_time,
        instrumentation_scope=span.instrumentation_scope,
    )


class ScrubbingExporter(SpanExporter):
    """Hands only the allowed attributes of each span on to the real exporter."""

    def __init__(self, exporter: SpanExporter) -> None:
        self._exporter = exporter

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        return self._exporter.export([_scrubbed(span) for span in spans])

    def shutdown(self) -> None:
        self._exporter.shutdown()

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return self._exporter.force_flush(timeout_millis)


class NoLoneClientSpans(Sampler):
    """A trace begins with a request, a message or a job of ours, never with a database
    command or an HTTP call outside any of them: those are the relay's, the workers' and the
    leases' polls, several a second in every process, which would bury the traces worth
    reading. Inside a trace everything is recorded (ParentBased)."""

    def should_sample(
        self,
        parent_context: Any,
        trace_id: int,
        name: str,
        kind: SpanKind | None = None,
        attributes: Attributes = None,
        links: Sequence[Link] | None = None,
        trace_state: Any = None,
    ) -> SamplingResult:
        if kind is SpanKind.CLIENT:
            return SamplingResult(Decision.DROP)
        return ALWAYS_ON.should_sample(
            parent_context, trace_id, name, kind, attributes, links, trace_state
        )

    def get_description(self) -> str:
        return "NoLoneClientSpans"


SAMPLER = ParentBased(root=NoLoneClientSpans())


def otlp_provider(service: str) -> TracerProvider:
    """A tracer provider exporting by OTLP/HTTP, set globally (once per process)."""
    # OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES, when set, win over the default name.
    resource = Resource.create({"service.name": f"safehands-{service}"})
    provider = TracerProvider(resource=resource, sampler=SAMPLER)
    provider.add_span_processor(BatchSpanProcessor(ScrubbingExporter(OTLPSpanExporter())))
    trace.set_tracer_provider(provider)
    return provider


def _mongo_failed(span: trace.Span, _event: Any) -> None:
    # The instrumentation puts the server's errmsg in the status; it can quote a value.
    span.set_status(Status(trace.StatusCode.ERROR))


def instrument_clients(provider: trace.TracerProvider) -> None:
    """PyMongo (its command listener must be registered before a client is made) and httpx
    (webhooks, JWKS): once per process."""
    pymongo = PymongoInstrumentor()
    if not pymongo.is_instrumented_by_opentelemetry:
        pymongo.instrument(
            tracer_provider=provider, capture_statement=False, failed_hook=_mongo_failed
        )
    httpx = HTTPXClientInstrumentor()
    if not httpx.is_instrumented_by_opentelemetry:
        httpx.instrument(tracer_provider=provider)


def instrument_app(app: FastAPI, provider: trace.TracerProvider) -> None:
    FastAPIInstrumentor.instrument_app(
        app,
        tracer_provider=provider,
        excluded_urls=NOT_TRACED,
        # ASGI's per-message spans add nothing but volume.
        exclude_spans=["receive", "send"],
    )
