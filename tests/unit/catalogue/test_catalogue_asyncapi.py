"""The event catalogue: a valid AsyncAPI 3.0 document naming every event type, and JSON
Schemas that are valid Draft 2020-12 and accept the events as they travel on Kafka."""

from __future__ import annotations

import json
import types
import typing
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from jsonschema import Draft202012Validator
from pydantic import BaseModel

from shared.catalogue import asyncapi_document, event_schema
from shared.catalogue.__main__ import write_catalogue
from shared.catalogue.http import router
from shared.events import REGISTRY, Event
from shared.events.cloudevents import encode

# No PyPI package ships the official AsyncAPI 3.0 JSON Schema (checked: asyncapi-python,
# asyncapi3, pydantic-asyncapi, asyncapi-python-parser-jonaslagoni, asyncapi-payload-validator),
# so this is the 3.0.0 specification's object structure for the objects the catalogue uses:
# required fields, fixed field names (no others but `x-` extensions) and value types.
_EXTENSIONS = {"^x-": {}}


def _object(properties: dict[str, Any], required: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        "type": "object",
        "required": list(required),
        "properties": properties,
        "patternProperties": _EXTENSIONS,
        "additionalProperties": False,
    }


_TEXT = {"type": "string"}
_REFERENCE = {
    "type": "object",
    "required": ["$ref"],
    "properties": {"$ref": {"type": "string", "format": "uri-reference"}},
    "additionalProperties": False,
}
_SCHEMA_OR_REFERENCE = {"type": ["object", "boolean"]}
_MESSAGE = _object(
    {
        "headers": _SCHEMA_OR_REFERENCE,
        "payload": _SCHEMA_OR_REFERENCE,
        "correlationId": {"type": "object"},
        "contentType": _TEXT,
        "name": _TEXT,
        "title": _TEXT,
        "summary": _TEXT,
        "description": _TEXT,
        "tags": {"type": "array"},
        "externalDocs": {"type": "object"},
        "bindings": {"type": "object"},
        "examples": {"type": "array"},
        "traits": {"type": "array"},
    }
)
ASYNCAPI_3_0_STRUCTURE: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    **_object(
        {
            "asyncapi": {"const": "3.0.0"},
            "id": {"type": "string", "format": "uri"},
            "info": _object(
                {
                    "title": _TEXT,
                    "version": _TEXT,
                    "description": _TEXT,
                    "termsOfService": _TEXT,
                    "contact": {"type": "object"},
                    "license": {"type": "object"},
                    "tags": {"type": "array"},
                    "externalDocs": {"type": "object"},
                },
                required=("title", "version"),
            ),
            "servers": {
                "type": "object",
                "additionalProperties": _object(
                    {
                        "host": _TEXT,
                        "protocol": _TEXT,
                        "protocolVersion": _TEXT,
                        "pathname": _TEXT,
                        "description": _TEXT,
                        "title": _TEXT,
                        "summary": _TEXT,
                        "variables": {"type": "object"},
                        "security": {"type": "array"},
                        "tags": {"type": "array"},
                        "externalDocs": {"type": "object"},
                        "bindings": {"type": "object"},
                    },
                    required=("host", "protocol"),
                ),
            },
            "defaultContentType": _TEXT,
            "channels": {
                "type": "object",
                "additionalProperties": _object(
                    {
                        "address": {"type": ["string", "null"]},
                        "messages": {
                            "type": "object",
                            "additionalProperties": {"anyOf": [_REFERENCE, _MESSAGE]},
                        },
                        "title": _TEXT,
                        "summary": _TEXT,
                        "description": _TEXT,
                        "servers": {"type": "array", "items": _REFERENCE},
                        "parameters": {"type": "object"},
                        "tags": {"type": "array"},
                        "externalDocs": {"type": "object"},
                        "bindings": {"type": "object"},
                    }
                ),
            },
            "operations": {
                "type": "object",
                "additionalProperties": _object(
                    {
                        "action": {"enum": ["send", "receive"]},
                        "channel": _REFERENCE,
                        "title": _TEXT,
                        "summary": _TEXT,
                        "description": _TEXT,
                        "security": {"type": "array"},
                        "tags": {"type": "array"},
                        "externalDocs": {"type": "object"},
                        "bindings": {"type": "object"},
                        "traits": {"type": "array"},
                        "messages": {"type": "array", "items": _REFERENCE},
                        "reply": {"type": "object"},
                    },
                    required=("action", "channel"),
                ),
            },
            "components": _object(
                {
                    "schemas": {"type": "object", "additionalProperties": _SCHEMA_OR_REFERENCE},
                    "messages": {
                        "type": "object",
                        "additionalProperties": {"anyOf": [_REFERENCE, _MESSAGE]},
                    },
                }
            ),
        },
        required=("asyncapi", "info"),
    ),
}


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return asyncapi_document(REGISTRY)


def _resolve(document: dict[str, Any], ref: str) -> Any:
    assert ref.startswith("#/"), f"only local references are used, got {ref}"
    node: Any = document
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        assert isinstance(node, dict) and part in node, f"{ref} does not resolve"
        node = node[part]
    return node


def _references(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [ref for value in node.values() for ref in _references(value)]
    if isinstance(node, list):
        return [ref for value in node for ref in _references(value)]
    return []


def test_the_document_has_the_asyncapi_3_0_structure_and_every_reference_resolves(
    document: dict[str, Any],
) -> None:
    validator = Draft202012Validator(
        ASYNCAPI_3_0_STRUCTURE, format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]
    assert errors == []
    references = _references(document)
    assert len(references) > len(list(REGISTRY))
    for ref in references:
        _resolve(document, ref)
    # 3.0.0: an operation's messages must be messages of the operation's channel.
    for name, operation in document["operations"].items():
        channel_ref = operation["channel"]["$ref"]
        for message in operation["messages"]:
            assert message["$ref"].startswith(channel_ref + "/messages/"), name


def test_every_registered_event_type_is_a_message_on_its_topic(
    document: dict[str, Any],
) -> None:
    by_address = {channel["address"]: channel for channel in document["channels"].values()}
    named = set()
    for event in REGISTRY:
        message = document["components"]["messages"][event.__name__]
        assert message["name"] == event.type_name
        assert message["headers"]["properties"]["ce_type"]["const"] == event.type_name
        named.add(message["name"])
        channel = by_address[event.topic()]
        assert event.__name__ in channel["messages"]
        assert (event.topic() + ".dlq") in by_address
        payload = _resolve(document, message["payload"]["$ref"])
        assert set(payload["properties"]) == set(event.model_fields)
    assert named == {event.type_name for event in REGISTRY}
    assert set(by_address) == {
        topic + suffix for topic in REGISTRY.topics() for suffix in ("", ".dlq")
    }


def _example_value(annotation: Any) -> Any:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Literal:
        return args[0]
    if origin in (typing.Union, types.UnionType):
        return _example_value(next(arg for arg in args if arg is not type(None)))
    if origin is list:
        return [_example_value(args[0])]
    if origin is dict:
        return {"k": _example_value(args[1])} if args[1] is not typing.Any else {"k": "v"}
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _example(annotation).model_dump(mode="json")
    examples: dict[Any, Any] = {
        str: "x",
        int: 1,
        bool: False,
        datetime: datetime.now(UTC),
        date: date.today(),
    }
    return examples[annotation]


def _example(model: type[BaseModel]) -> Any:
    data = {name: _example_value(field.annotation) for name, field in model.model_fields.items()}
    data["org_id"] = "org-a" if "org_id" in data else None
    if "sha256" in data:
        data["sha256"] = "0" * 64
    return model.model_validate({k: v for k, v in data.items() if v is not None})


@pytest.mark.parametrize("event", sorted(REGISTRY, key=lambda e: e.type_name), ids=str)
def test_each_json_schema_is_valid_draft_2020_12_and_accepts_the_wire_format(
    event: type[Event],
) -> None:
    schema = event_schema(event)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    record = encode(_example(event), "/tests")
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    assert list(validator.iter_errors(json.loads(record.value))) == []
    # A payload without org_id (required everywhere) is refused: the schema is not vacuous.
    assert not validator.is_valid(
        {k: v for k, v in json.loads(record.value).items() if k != "org_id"}
    )


def test_make_docs_writes_the_document_and_one_schema_per_type(tmp_path: Path) -> None:
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "nl.safehands.gone.event.v1.json").write_text("{}")
    write_catalogue(tmp_path)
    written = json.loads((tmp_path / "asyncapi.json").read_text())
    assert written == asyncapi_document(REGISTRY)
    names = sorted(p.name for p in (tmp_path / "schemas").iterdir())
    assert names == sorted(f"{event.type_name}.json" for event in REGISTRY)


def test_the_catalogue_is_served_over_http() -> None:
    app = FastAPI()
    app.include_router(router)
    with TestClient(app) as http:
        assert http.get("/asyncapi").json() == asyncapi_document(REGISTRY)
        answer = http.get("/asyncapi/schemas/nl.safehands.volunteer.applied.v1")
        assert answer.status_code == 200
        assert answer.json()["x-cloudevents-type"] == "nl.safehands.volunteer.applied.v1"
        missing = http.get("/asyncapi/schemas/nl.safehands.volunteer.teleported.v1")
        assert missing.status_code == 404
        assert "no event type" in missing.json()["detail"]
