"""Carrying one trace across the platform's asynchronous hops (issue 23).

A request's trace would end where its transaction ends: the outbox relay publishes later, in
its own task, and notify sends a mail later still. So the W3C trace context of the moment an
event or a mail is recorded is stored with it, and restored when it is sent:

- an outbox row carries it as the CloudEvents distributed-tracing extension (`traceparent`,
  `tracestate`; in Kafka's binary mode the headers `ce_traceparent`, `ce_tracestate`), which
  integrators can join too; the relay publishes the row inside that context, and FastStream's
  telemetry middleware adds its own `traceparent` header for the hop through Kafka;
- a consumer handles each event in a span whose parent is the record's context (FastStream
  starts a batch's span in a trace of its own, linked to its records);
- a mail or webhook delivery row keeps `traceparent`, restored by the worker that sends it.

Only the trace context: never baggage, which could carry anything. Without a tracer provider
(tracing off, the default) there is no current span, nothing is stored and every span here is
the API's no-op one.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.trace import Link, Span, SpanKind
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

# CloudEvents' distributed-tracing extension in Kafka binary mode (attributes as `ce_*`).
CE_TRACEPARENT = "ce_traceparent"
CE_TRACESTATE = "ce_tracestate"
# W3C's own names: FastStream's header on the record, and a stored mail's or delivery's field.
TRACEPARENT = "traceparent"
TRACESTATE = "tracestate"

_PROPAGATOR = TraceContextTextMapPropagator()
_enabled = False
_tracer = trace.get_tracer("safehands")


def enable() -> None:
    """Called once a tracer provider is set (shared/runtime/tracing.py)."""
    global _enabled
    _enabled = True


def tracing() -> bool:
    """Whether this process traces. Until `enable()`, everything here returns at once: the
    consumer calls it for every event, and even the API's no-op spans cost microseconds."""
    return _enabled


def current() -> dict[str, str]:
    """The current trace context as W3C fields (`traceparent`, maybe `tracestate`); empty when
    nothing is traced."""
    carrier: dict[str, str] = {}
    if tracing():
        _PROPAGATOR.inject(carrier)
    return carrier


def cloudevents_headers() -> list[tuple[str, str]]:
    """The distributed-tracing extension's headers for an event recorded now."""
    fields = current()
    return [
        (name, fields[field])
        for name, field in ((CE_TRACEPARENT, TRACEPARENT), (CE_TRACESTATE, TRACESTATE))
        if field in fields
    ]


def of_record(headers: Iterable[tuple[str, bytes | str]]) -> Context:
    """A Kafka record's trace context: FastStream's `traceparent` (the hop through Kafka, a
    child of the publishing span) or else the CloudEvents extension (a record published
    without the middleware, a replayed dead letter)."""
    if not tracing():
        return Context()
    values = {
        name: value.decode("utf-8", "replace") if isinstance(value, bytes) else value
        for name, value in headers
    }
    for parent, state in ((TRACEPARENT, TRACESTATE), (CE_TRACEPARENT, CE_TRACESTATE)):
        if values.get(parent):
            carrier = {TRACEPARENT: values[parent]}
            if values.get(state):
                carrier[TRACESTATE] = values[state]
            return _PROPAGATOR.extract(carrier)
    return Context()


def of_stored(document: Mapping[str, Any]) -> Context:
    """The trace context kept in a stored row (`traceparent`, `tracestate`)."""
    if not tracing():
        return Context()
    fields = {
        name: str(document[name])
        for name in (TRACEPARENT, TRACESTATE)
        if isinstance(document.get(name), str)
    }
    return _PROPAGATOR.extract(fields) if fields else Context()


@contextmanager
def span_in(
    name: str,
    parent: Context,
    *,
    kind: SpanKind = SpanKind.INTERNAL,
    links: Iterable[Context] = (),
    attributes: Mapping[str, str | int] | None = None,
) -> Iterator[Span]:
    """A span that continues the trace of `parent` (a new trace if it holds none), linked to
    the other contexts' spans (the rest of a batch)."""
    if not tracing():
        yield trace.INVALID_SPAN
        return
    linked = [
        Link(context)
        for context in (trace.get_current_span(other).get_span_context() for other in links)
        if context.is_valid
    ]
    with _tracer.start_as_current_span(
        name, context=parent, kind=kind, links=linked, attributes=attributes
    ) as span:
        yield span


@contextmanager
def within(parent: Context) -> Iterator[None]:
    """Make `parent` the current context: what is traced inside continues its trace."""
    if not tracing():
        yield
        return
    token = otel_context.attach(parent)
    try:
        yield
    finally:
        otel_context.detach(token)
