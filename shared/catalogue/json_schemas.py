"""JSON Schemas (Draft 2020-12) of the event payloads, generated from the pydantic models.

The schemas describe the wire format: the Kafka record value, which is the event serialised
with `model_dump(mode="json")` — hence pydantic's serialisation mode.
"""

from __future__ import annotations

from typing import Any

from pydantic.json_schema import models_json_schema

from shared.events import Event, EventRegistry

DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"


def event_schema(event: type[Event]) -> dict[str, Any]:
    """A standalone schema for one event type's payload, as written to docs/schemas/."""
    schema = event.model_json_schema(mode="serialization")
    return {
        "$schema": DRAFT_2020_12,
        "$id": f"{event.type_name}.json",
        **schema,
        "title": event.__name__,
        "description": _description(event),
        "x-cloudevents-type": event.type_name,
        "x-kafka-topic": event.topic(),
    }


def component_schemas(registry: EventRegistry, ref_prefix: str) -> dict[str, dict[str, Any]]:
    """Every event's schema, keyed by class name, with shared definitions side by side and
    references of the form `{ref_prefix}{name}` (e.g. `#/components/schemas/`)."""
    events = sorted(registry, key=lambda event: event.__name__)
    _, definitions = models_json_schema(
        [(event, "serialization") for event in events], ref_template=ref_prefix + "{model}"
    )
    schemas: dict[str, dict[str, Any]] = definitions.get("$defs", {})
    for event in events:
        schemas[event.__name__] = {
            **schemas[event.__name__],
            "description": _description(event),
        }
    return dict(sorted(schemas.items()))


def _description(event: type[Event]) -> str:
    doc = (event.__doc__ or "").strip()
    # pydantic models inherit the base class's docstring; that one describes no event.
    if not doc or doc == (Event.__doc__ or "").strip():
        return f"The event {event.type_name}, keyed by {event.key_field}."
    return " ".join(doc.split())
