"""Tracing's pieces in process, with the SDK's in-memory exporter (issue 23): what is
exported of a span, the CloudEvents `traceparent` extension, which trace a record continues,
and which spans may begin a trace. The whole flow across services: tests/e2e/test_tracing.py.
"""

from __future__ import annotations

import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, Status, StatusCode
from prometheus_client import CollectorRegistry

from shared import trace_context
from shared.events.admission import OrganisationRegistered
from shared.events.cloudevents import encode, header_map
from shared.messaging.broker import create_broker
from shared.runtime import tracing
from shared.runtime.tracing_sdk import SAMPLER, ScrubbingExporter


@pytest.fixture(autouse=True)
def trace_context_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """As shared/runtime/tracing.py switches it on in a process that traces."""
    monkeypatch.setattr(trace_context, "_enabled", True)


def traced() -> tuple[TracerProvider, InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider(sampler=SAMPLER)
    provider.add_span_processor(SimpleSpanProcessor(ScrubbingExporter(exporter)))
    return provider, exporter


def test_only_allowed_attributes_leave_a_span() -> None:
    provider, exporter = traced()
    with provider.get_tracer("t").start_as_current_span(
        "GET /v1/orgs/{org}/volunteers", kind=SpanKind.SERVER
    ) as span:
        span.set_attributes(
            {
                "http.route": "/v1/orgs/{org}/volunteers",
                "http.method": "GET",
                "http.url": "http://policy/v1/orgs/demo/volunteers?q=Anna",
                "http.target": "/v1/orgs/demo/volunteers?q=Anna",
                "net.peer.ip": "192.0.2.7",
                "http.user_agent": "Mozilla/5.0",
                "db.statement": "find {'email': 'anna@example.org'}",
            }
        )
        span.add_event(
            "exception",
            {"exception.type": "ValueError", "exception.message": "anna@example.org"},
        )
        span.set_status(Status(StatusCode.ERROR, "E11000 dup key: anna@example.org"))
    (exported,) = exporter.get_finished_spans()
    assert dict(exported.attributes or {}) == {
        "http.route": "/v1/orgs/{org}/volunteers",
        "http.method": "GET",
    }
    assert [dict(event.attributes or {}) for event in exported.events] == [
        {"exception.type": "ValueError"}
    ]
    assert exported.status.status_code is StatusCode.ERROR
    assert not exported.status.description


def test_an_event_recorded_in_a_trace_carries_it_in_the_cloudevents_extension() -> None:
    provider, _ = traced()
    event = OrganisationRegistered(org_id="demo", name="Demo")
    assert "ce_traceparent" not in header_map(encode(event, "/safehands/policy").headers)
    with provider.get_tracer("t").start_as_current_span("request") as span:
        headers = header_map(encode(event, "/safehands/policy").headers)
    trace_id = format(span.get_span_context().trace_id, "032x")
    assert headers["ce_traceparent"].split("-")[1] == trace_id
    # A consumer continues that trace from the record.
    parent = trace.get_current_span(trace_context.of_record(headers.items()))
    assert parent.get_span_context().trace_id == span.get_span_context().trace_id


def test_the_hop_through_kafka_wins_over_the_extension() -> None:
    kafka = "00-11111111111111111111111111111111-2222222222222222-01"
    recorded = "00-33333333333333333333333333333333-4444444444444444-01"
    both = trace_context.of_record([("ce_traceparent", recorded.encode()), ("traceparent", kafka)])
    assert trace.get_current_span(both).get_span_context().span_id == 0x2222222222222222
    alone = trace_context.of_record([("ce_traceparent", recorded.encode())])
    assert trace.get_current_span(alone).get_span_context().span_id == 0x4444444444444444
    assert not trace.get_current_span(trace_context.of_record([])).get_span_context().is_valid


def test_a_database_poll_outside_any_trace_is_not_recorded_but_inside_one_it_is() -> None:
    provider, exporter = traced()
    tracer = provider.get_tracer("t")
    with tracer.start_as_current_span("policy.find", kind=SpanKind.CLIENT):
        pass
    assert exporter.get_finished_spans() == ()
    with (
        tracer.start_as_current_span("policy handle x", kind=SpanKind.CONSUMER),
        tracer.start_as_current_span("policy.find", kind=SpanKind.CLIENT),
    ):
        pass
    assert [span.name for span in exporter.get_finished_spans()] == [
        "policy.find",
        "policy handle x",
    ]


def test_a_stored_mail_keeps_the_context_it_was_recorded_in() -> None:
    provider, _ = traced()
    with provider.get_tracer("t").start_as_current_span("handle") as span:
        stored = trace_context.current()
    restored = trace.get_current_span(trace_context.of_stored(stored)).get_span_context()
    assert restored.span_id == span.get_span_context().span_id
    assert trace_context.current() == {}


def test_tracing_is_off_without_an_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(trace_context, "_enabled", False)
    for name in tracing.ENDPOINT_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    # A process where nobody set a tracer provider, whatever other tests of this one did.
    monkeypatch.setattr(trace, "get_tracer_provider", trace.ProxyTracerProvider)
    assert tracing.configure("policy") is None
    assert not trace_context.tracing()
    broker = create_broker("127.0.0.1:9", "policy", CollectorRegistry())
    assert [type(m).__name__ for m in broker.middlewares] == ["KafkaPrometheusMiddleware"]
    # No trace, no extension on the record.
    record = encode(OrganisationRegistered(org_id="demo", name="Demo"), "/safehands/policy")
    assert not any(name.endswith("traceparent") for name, _ in record.headers)
