"""CloudEvents 1.0 in Kafka binary mode: attributes in `ce_*` headers, the event data as value."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from shared import trace_context
from shared.events import Event, EventRegistry, UnknownEventType
from shared.events.base import to_the_day

SPEC_VERSION = "1.0"
CONTENT_TYPE = "application/json"
REQUIRED_HEADERS = ("ce_id", "ce_type", "ce_source", "ce_specversion", "ce_time", "ce_tenantid")

Headers = list[tuple[str, bytes]]


class MalformedEvent(ValueError):
    """A record that can never be processed: bad JSON, unknown type, invalid fields."""


@dataclass(frozen=True)
class KafkaRecord:
    topic: str
    key: bytes
    value: bytes
    headers: Headers

    @property
    def event_id(self) -> str:
        return dict(self.headers)["ce_id"].decode()


@dataclass(frozen=True)
class ReceivedEvent:
    id: str
    type: str
    source: str
    time: datetime
    event: Event


def encode(
    event: Event, source: str, *, event_id: str | None = None, time: datetime | None = None
) -> KafkaRecord:
    """The event as a Kafka record; its `ce_time` is now (or `time`), to the day for an event
    whose moment is a report's (`Event.tells_of_a_report`). While a trace runs, the record
    carries its context in the distributed-tracing extension (`ce_traceparent`), so the
    trace goes on where the event is handled (shared/trace_context.py)."""
    moment = time or datetime.now(UTC)
    if event.tells_of_a_report():
        moment = to_the_day(moment)
    attributes = {
        "ce_id": event_id or str(uuid.uuid4()),
        "ce_type": event.type_name,
        "ce_source": source,
        "ce_specversion": SPEC_VERSION,
        "ce_time": moment.isoformat().replace("+00:00", "Z"),
        "ce_tenantid": event.org_id,
        "content-type": CONTENT_TYPE,
        **dict(trace_context.cloudevents_headers()),
    }
    return KafkaRecord(
        topic=event.topic(),
        key=event.key().encode(),
        value=json.dumps(event.model_dump(mode="json"), separators=(",", ":")).encode(),
        headers=[(name, value.encode()) for name, value in attributes.items()],
    )


def header_map(headers: Iterable[tuple[str, bytes]]) -> dict[str, str]:
    return {name: value.decode("utf-8", "replace") for name, value in headers}


def decode(
    headers: Iterable[tuple[str, bytes]], value: bytes | None, registry: EventRegistry
) -> ReceivedEvent:
    """Turn a record into a current-version event, or raise `MalformedEvent` saying why."""
    attributes = header_map(headers)
    missing = [name for name in REQUIRED_HEADERS if not attributes.get(name)]
    if missing:
        raise MalformedEvent(f"missing CloudEvents header(s) {', '.join(missing)}")
    if attributes["ce_specversion"] != SPEC_VERSION:
        raise MalformedEvent(
            f"unsupported CloudEvents specversion {attributes['ce_specversion']!r}"
        )
    try:
        time = datetime.fromisoformat(attributes["ce_time"].replace("Z", "+00:00"))
    except ValueError:
        raise MalformedEvent("ce_time is not an RFC 3339 timestamp") from None
    try:
        data: Any = json.loads(value or b"")
    except (ValueError, UnicodeDecodeError):
        raise MalformedEvent("value is not valid JSON") from None
    if not isinstance(data, dict):
        raise MalformedEvent("value is not a JSON object")
    try:
        event = registry.decode(attributes["ce_type"], data)
    except UnknownEventType as exc:
        raise MalformedEvent(str(exc)) from None
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'value'}: {err['msg']}"
            for err in exc.errors()
        )
        raise MalformedEvent(f"invalid {attributes['ce_type']}: {problems}") from None
    # The tenant attribute routes and authorises; a body claiming another tenant is forged.
    if event.org_id != attributes["ce_tenantid"]:
        raise MalformedEvent("ce_tenantid does not match the event's org_id")
    return ReceivedEvent(
        id=attributes["ce_id"],
        type=attributes["ce_type"],
        source=attributes["ce_source"],
        time=time,
        event=event,
    )
