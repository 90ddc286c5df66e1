"""An integrator's client that nobody here wrote subscribes to the embedded broker (issue 23):
confluent-kafka (librdkafka), set up as the README's section on subscribing says, gets its
first record within 10 s and reads it as a CloudEvent in Kafka's binary mode.

Tansu holds each JoinGroup for half of `session.timeout.ms`: with librdkafka's default
(45 s) the first record would come after 23 s. The README says to set it lower."""

from __future__ import annotations

import json
import re
import time
import uuid
from datetime import datetime
from typing import Any

from shared.catalogue.asyncapi import asyncapi_document
from tests.support.admission import bearer
from tests.support.kafka import produce
from tests.support.platform import REPO, Platform

README = REPO / "README.md"


def python_blocks() -> list[str]:
    section = README.read_text().split("## Subscribing to events", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, flags=re.DOTALL)


def readme_consumer(bootstrap: str, group: str) -> Any:
    """The consumer of the README's section "Clients on the embedded broker", as written
    there but for the broker's address and the group (each test run its own)."""
    block = next(block for block in python_blocks() if "confluent_kafka" in block)
    assert '"127.0.0.1:9092"' in block and '"my-integration"' in block
    block = block.replace('"127.0.0.1:9092"', repr(bootstrap)).replace(
        '"my-integration"', repr(group)
    )
    namespace: dict[str, Any] = {}
    exec(compile(block, str(README), "exec"), namespace)  # noqa: S102 -- our own doc
    return namespace["consumer"]


REQUIRED = ("ce_id", "ce_type", "ce_source", "ce_specversion", "ce_time", "ce_tenantid")


def as_cloudevent(headers: list[tuple[str, bytes]], value: bytes) -> dict[str, Any]:
    """CloudEvents' Kafka protocol binding, binary mode, as an integrator's code reads it."""
    attributes = {name: raw.decode() for name, raw in headers}
    assert all(attributes.get(name) for name in REQUIRED), attributes
    assert attributes["ce_specversion"] == "1.0"
    datetime.fromisoformat(attributes["ce_time"].replace("Z", "+00:00"))
    assert attributes["content-type"] == "application/json"
    return {
        **{
            name.removeprefix("ce_"): attributes[name]
            for name in attributes
            if name.startswith("ce_")
        },
        "data": json.loads(value),
    }


async def test_confluent_kafka_as_the_readme_sets_it_up_gets_its_first_record_within_ten_seconds(
    platform: Platform,
) -> None:
    policy = platform.start("policy")
    org = f"org-{uuid.uuid4().hex[:6]}"
    with policy.client() as http:
        answer = http.post(
            "/v1/orgs",
            json={"org_id": org, "name": "Hockeyclub De Uilen"},
            headers=bearer(platform.infra.token("operator")),
        )
    assert answer.status_code == 201, answer.text
    # A dead letter, which the pattern must leave out.
    await produce(platform.infra.kafka_bootstrap, "safehands.organisation.dlq", b"not json")

    started = time.monotonic()
    consumer = readme_consumer(platform.infra.kafka_bootstrap, f"integrator-{uuid.uuid4().hex[:8]}")
    try:
        record = None
        while record is None and time.monotonic() - started < 10:
            polled = consumer.poll(0.5)
            if polled is not None and polled.error() is None:
                record = polled
        waited = time.monotonic() - started
        assert record is not None, "no record within 10 s"
        topics = {record.topic()}
        # Read on for what is there: no dead-letter topic among them.
        while (polled := consumer.poll(1.0)) is not None:
            if polled.error() is None:
                topics.add(polled.topic())
                if polled.value():
                    as_cloudevent(polled.headers() or [], polled.value())
    finally:
        consumer.close()
    assert waited < 10
    event = as_cloudevent(record.headers() or [], record.value())
    assert event["type"].startswith("nl.safehands.")
    assert not any(topic.endswith(".dlq") for topic in topics), topics

    # Every header on the record is in the AsyncAPI document (correlation_id included).
    documented = asyncapi_document()["components"]["messages"]
    names = {
        name
        for message in documented.values()
        for name in message.get("headers", {}).get("properties", {})
    }
    on_record = {name for name, _ in record.headers() or []}
    assert "correlation_id" in on_record
    assert on_record <= names, sorted(on_record - names)
