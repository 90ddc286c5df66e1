from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any, ClassVar

import pytest
from pydantic import ValidationError

from shared.events import REGISTRY, Event, EventRegistry
from shared.events.admission import VolunteerApplied
from shared.events.cloudevents import MalformedEvent, decode, encode
from tests.support.contract import ADDITIONS, API_MD_TYPES


def applied(org: str = "org-a") -> VolunteerApplied:
    return VolunteerApplied(
        org_id=org,
        volunteer_id="v-1",
        application_id="a-1",
        role_id="coach",
        name="Anna",
        email="anna@example.org",
        applied_at=datetime(2026, 11, 1, 12, tzinfo=UTC),
    )


def test_registry_holds_the_event_types_of_the_contract_and_the_listed_additions() -> None:
    assert {event.type_name for event in REGISTRY} == API_MD_TYPES | ADDITIONS


def test_every_event_is_frozen_and_keyed_by_its_aggregate() -> None:
    event = applied()
    with pytest.raises(ValidationError):
        event.name = "Other"  # type: ignore[misc]
    assert event.topic() == "safehands.volunteer"
    assert event.key() == "org-a:v-1"


def test_binary_mode_headers_and_round_trip() -> None:
    event = applied()
    record = encode(event, "/safehands/intake", event_id="e-1")
    headers = {name: value.decode() for name, value in record.headers}
    assert headers["ce_id"] == "e-1"
    assert headers["ce_type"] == "nl.safehands.volunteer.applied.v1"
    assert headers["ce_source"] == "/safehands/intake"
    assert headers["ce_specversion"] == "1.0"
    assert headers["ce_tenantid"] == "org-a"
    assert headers["content-type"] == "application/json"
    assert datetime.fromisoformat(headers["ce_time"].replace("Z", "+00:00")).tzinfo is not None
    assert record.key == b"org-a:v-1"
    assert json.loads(record.value)["volunteer_id"] == "v-1"
    received = decode(record.headers, record.value, REGISTRY)
    assert received.event == event
    assert received.id == "e-1"


def test_readers_ignore_fields_added_later_within_a_version() -> None:
    record = encode(applied(), "/x")
    data = json.loads(record.value) | {"added_in_a_later_release": True}
    assert decode(record.headers, json.dumps(data).encode(), REGISTRY).event == applied()


@pytest.mark.parametrize(
    ("mutate", "reason"),
    [
        (lambda h, v: (h, b"{oops"), "not valid JSON"),
        (lambda h, v: (h, b"[1]"), "not a JSON object"),
        (lambda h, v: ([x for x in h if x[0] != "ce_id"], v), "missing CloudEvents header"),
        (lambda h, v: (_set(h, "ce_type", "nl.safehands.nope.v1"), v), "unknown event type"),
        (lambda h, v: (_set(h, "ce_specversion", "0.3"), v), "specversion"),
        (lambda h, v: (h, json.dumps({"org_id": "org-a"}).encode()), "invalid"),
        (lambda h, v: (_set(h, "ce_tenantid", "org-b"), v), "ce_tenantid does not match"),
    ],
)
def test_malformed_records_are_refused_with_a_reason(mutate: Any, reason: str) -> None:
    record = encode(applied(), "/x")
    headers, value = mutate(record.headers, record.value)
    with pytest.raises(MalformedEvent, match=reason):
        decode(headers, value, REGISTRY)


def test_validation_reasons_do_not_echo_submitted_values() -> None:
    record = encode(applied(), "/x")
    data = json.loads(record.value) | {"applied_at": "SECRET-CANARY"}
    with pytest.raises(MalformedEvent) as caught:
        decode(record.headers, json.dumps(data).encode(), REGISTRY)
    assert "SECRET-CANARY" not in str(caught.value)


def _set(headers: list[tuple[str, bytes]], name: str, value: str) -> list[tuple[str, bytes]]:
    return [(n, value.encode() if n == name else v) for n, v in headers]


class GreetingV1(Event):
    type_name: ClassVar[str] = "nl.safehands.greeting.sent.v1"
    key_field: ClassVar[str] = "greeting_id"
    greeting_id: str
    text: str


class GreetingV2(Event):
    type_name: ClassVar[str] = "nl.safehands.greeting.sent.v2"
    key_field: ClassVar[str] = "greeting_id"
    greeting_id: str
    text: str
    language: str


def test_old_versions_are_upcast_on_read() -> None:
    registry = EventRegistry(
        [GreetingV2],
        upcasters={
            GreetingV1.type_name: lambda data: (GreetingV2.type_name, {**data, "language": "nl"})
        },
    )
    old = GreetingV1(org_id="org-a", greeting_id=str(uuid.uuid4()), text="hoi")
    record = encode(old, "/x")
    received = decode(record.headers, record.value, registry)
    assert isinstance(received.event, GreetingV2)
    assert received.event.language == "nl"


def test_an_event_type_name_must_follow_the_convention() -> None:
    with pytest.raises(TypeError, match=r"nl\.safehands"):

        class Bad(Event):
            type_name: ClassVar[str] = "volunteer-applied"
            key_field: ClassVar[str] = "org_id"
