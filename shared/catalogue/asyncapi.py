"""The AsyncAPI 3.0 document of every SafeHands topic, generated from the event registry.

Channels are Kafka topics (`safehands.<aggregate>` and their `.dlq`), messages are event
types (CloudEvents `type`), payloads are the JSON Schemas of the pydantic models and the
headers are the CloudEvents binary-mode Kafka headers. The document describes the platform
as one application that sends on every channel; integrators receive.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from shared import trace_context
from shared.catalogue.json_schemas import component_schemas
from shared.events import REGISTRY, Event, EventRegistry
from shared.events.cloudevents import CONTENT_TYPE, SPEC_VERSION
from shared.messaging import dead_letters
from shared.messaging.topics import dead_letter_topic

ASYNCAPI_VERSION = "3.0.0"
DOCUMENT_ID = "urn:safehands:events"
DEAD_LETTER_MESSAGE = "DeadLetter"
# W3C traceparent: version, trace id, parent id, flags.
TRACEPARENT_PATTERN = "^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$"


def asyncapi_document(registry: EventRegistry = REGISTRY) -> dict[str, Any]:
    events_by_topic: dict[str, list[type[Event]]] = defaultdict(list)
    for event in sorted(registry, key=lambda event: event.type_name):
        events_by_topic[event.topic()].append(event)

    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    for topic in sorted(events_by_topic):
        channel_id = _channel_id(topic)
        events = events_by_topic[topic]
        channels[channel_id] = {
            "address": topic,
            "title": topic,
            "description": (
                f"Every event of the {topic.removeprefix('safehands.')} aggregate. The record key"
                " is `<org_id>:<aggregate id>`, so one aggregate's events stay in order."
            ),
            "messages": {
                event.__name__: {"$ref": f"#/components/messages/{event.__name__}"}
                for event in events
            },
        }
        operations[f"publish_{channel_id}"] = {
            "action": "send",
            "title": f"SafeHands publishes on {topic}",
            "channel": {"$ref": f"#/channels/{channel_id}"},
            "messages": [
                {"$ref": f"#/channels/{channel_id}/messages/{event.__name__}"} for event in events
            ],
        }
        dlq_id = _channel_id(dead_letter_topic(topic))
        channels[dlq_id] = {
            "address": dead_letter_topic(topic),
            "title": dead_letter_topic(topic),
            "description": (
                f"Records of {topic} that a consumer could not process, with the reason and"
                " the origin in `x-dlq-*` headers. `safehands dlq list/replay` reads it."
            ),
            "messages": {
                DEAD_LETTER_MESSAGE: {"$ref": f"#/components/messages/{DEAD_LETTER_MESSAGE}"}
            },
        }
        operations[f"dead_letter_{channel_id}"] = {
            "action": "send",
            "title": f"SafeHands dead-letters records of {topic}",
            "channel": {"$ref": f"#/channels/{dlq_id}"},
            "messages": [{"$ref": f"#/channels/{dlq_id}/messages/{DEAD_LETTER_MESSAGE}"}],
        }

    messages = {
        event.__name__: _message(event) for event in sorted(registry, key=lambda e: e.__name__)
    }
    messages[DEAD_LETTER_MESSAGE] = _dead_letter_message()
    return {
        "asyncapi": ASYNCAPI_VERSION,
        "id": DOCUMENT_ID,
        "info": {
            "title": "SafeHands events",
            "version": "1",
            "description": (
                "The events of the SafeHands platform: CloudEvents 1.0 in Kafka binary mode"
                " (attributes in `ce_*` headers, the event data as the JSON value). Consumers"
                " deduplicate on `ce_id`; `ce_tenantid` is the organisation. Events of one"
                " version only ever gain fields: ignore fields you do not know."
            ),
        },
        "defaultContentType": CONTENT_TYPE,
        "servers": {
            "embedded": {
                "host": "127.0.0.1:9092",
                "protocol": "kafka",
                "description": "The embedded default started by `safehands up`.",
            },
            "compose": {
                "host": "kafka:9092",
                "protocol": "kafka",
                "description": "The production-shaped stack of docker-compose.yml.",
            },
        },
        "channels": channels,
        "operations": operations,
        "components": {
            "schemas": component_schemas(registry, "#/components/schemas/"),
            "messages": messages,
        },
    }


def _channel_id(topic: str) -> str:
    return topic.replace(".", "_")


def _message(event: type[Event]) -> dict[str, Any]:
    return {
        "name": event.type_name,
        "title": event.__name__,
        "summary": f"CloudEvents type {event.type_name} on {event.topic()}.",
        "contentType": CONTENT_TYPE,
        "headers": _cloudevents_headers(event.type_name),
        "payload": {"$ref": f"#/components/schemas/{event.__name__}"},
        "bindings": {
            "kafka": {
                "key": {
                    "type": "string",
                    "description": f"`<org_id>:<{event.key_field}>`",
                },
                "bindingVersion": "0.5.0",
            }
        },
    }


def _cloudevents_headers(type_name: str | None) -> dict[str, Any]:
    ce_type: dict[str, Any] = {"type": "string", "description": "The event type."}
    if type_name is not None:
        ce_type["const"] = type_name
    return {
        "type": "object",
        "required": [
            "ce_id",
            "ce_type",
            "ce_source",
            "ce_specversion",
            "ce_time",
            "ce_tenantid",
        ],
        "properties": {
            "ce_id": {"type": "string", "description": "Unique event id: deduplicate on it."},
            "ce_type": ce_type,
            "ce_source": {"type": "string", "description": "The service, `/safehands/<name>`."},
            "ce_specversion": {"type": "string", "const": SPEC_VERSION},
            "ce_time": {"type": "string", "format": "date-time"},
            "ce_tenantid": {"type": "string", "description": "The organisation (org_id)."},
            "content-type": {"type": "string", "const": CONTENT_TYPE},
            # Not CloudEvents attributes, but on records too (issue 23): say what they are.
            "correlation_id": {
                "type": "string",
                "description": "Set by the publishing library (FastStream) on every record: a"
                " random id of the one publish, with no meaning across events. Ignore it;"
                " deduplicate on `ce_id`.",
            },
            trace_context.CE_TRACEPARENT: {
                "type": "string",
                "pattern": TRACEPARENT_PATTERN,
                "description": "CloudEvents distributed-tracing extension: the W3C trace"
                " context in which the event was recorded, when the platform traces. Join"
                " the trace from it.",
            },
            trace_context.CE_TRACESTATE: {
                "type": "string",
                "description": "CloudEvents distributed-tracing extension: W3C tracestate.",
            },
            trace_context.TRACEPARENT: {
                "type": "string",
                "pattern": TRACEPARENT_PATTERN,
                "description": "W3C trace context of the publish through Kafka (a child of"
                " `ce_traceparent`), when the platform traces.",
            },
            trace_context.TRACESTATE: {"type": "string", "description": "W3C tracestate."},
        },
    }


def _dead_letter_message() -> dict[str, Any]:
    headers = _cloudevents_headers(None)
    # A record may be dead-lettered precisely because its CloudEvents headers are broken.
    headers["required"] = list(dead_letters.DLQ_HEADERS)
    headers["properties"].update(
        {
            dead_letters.REASON: {"type": "string", "description": "Why it failed."},
            dead_letters.CONSUMER: {"type": "string", "description": "The consumer that gave up."},
            dead_letters.ORIGIN_TOPIC: {"type": "string"},
            dead_letters.ORIGIN_PARTITION: {"type": "string", "pattern": "^[0-9]+$"},
            dead_letters.ORIGIN_OFFSET: {"type": "string", "pattern": "^[0-9]+$"},
            dead_letters.FAILED_AT: {"type": "string", "format": "date-time"},
        }
    )
    return {
        "name": "dead-letter",
        "title": "Dead-lettered record",
        "summary": "The original record, unchanged, with x-dlq-* headers added.",
        "headers": headers,
        "payload": {"description": "The original value, byte for byte (it may not be JSON)."},
    }
