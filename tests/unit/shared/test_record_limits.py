"""One maximum size, from the envelope to the broker: the longest report the schema allows
seals within MAX_PADDED_LEN, and the largest envelope's request and event fit the limits
that intake and the producer apply, with headroom."""

from __future__ import annotations

import inspect
import json
import uuid
from datetime import UTC, datetime

import pytest

from cli.gateway import gateway_process
from shared.crypto import (
    MAX_ENVELOPE_JSON_LEN,
    MAX_PADDED_LEN,
    MAX_RECIPIENTS,
    MAX_SEALED_REQUEST_BYTES,
    SUITE_HYBRID,
    PrivateKey,
    ReportBody,
    report_context,
    seal,
)
from shared.events.cloudevents import encode
from shared.events.reports import IncidentReported
from shared.http.body_limit import DEFAULT_MAX_BODY_BYTES
from shared.messaging.broker import MAX_RECORD_BYTES

ORG, REPORT = "org", str(uuid.uuid4())


@pytest.fixture(scope="module")
def largest_submission() -> dict[str, object]:
    """A report at the largest padded size, sealed to the most hybrid (largest) keys."""
    keys = [PrivateKey.generate(SUITE_HYBRID).public_key for _ in range(MAX_RECIPIENTS)]
    body = {"text": "a" * (MAX_PADDED_LEN - 4 - len('{"text":""}'))}
    envelope = seal(body, keys, report_context(ORG, REPORT))
    return {
        "report_id": REPORT,
        "envelope": envelope.model_dump(mode="json"),
        "mailbox": {
            "lookup": "0" * 64,
            "reply_key": PrivateKey.generate(SUITE_HYBRID).public_key.model_dump(),
        },
    }


def test_the_longest_report_the_schema_allows_fits_the_padded_maximum() -> None:
    # 4-byte UTF-8 characters in every free-text field, each at its maximum length.
    emoji = "\U0001f600"
    body = ReportBody(
        category="other",
        description=emoji * 100_000,
        location=emoji * 1000,
        people_involved=emoji * 5000,
        wants_contact=True,
        contact=emoji * 1000,
    )
    key = PrivateKey.generate().public_key
    envelope = seal(body.to_body(), [key], report_context(ORG, REPORT))
    assert len(envelope.raw_ciphertext) - 16 == MAX_PADDED_LEN


def test_the_largest_request_fits_intakes_body_limit(largest_submission: dict[str, object]) -> None:
    envelope_json = json.dumps(largest_submission["envelope"])
    assert len(envelope_json) <= MAX_ENVELOPE_JSON_LEN
    # As a client sends it (json with the default separators), with room to spare.
    assert len(json.dumps(largest_submission)) <= MAX_SEALED_REQUEST_BYTES


def test_the_largest_event_fits_the_producers_record_limit_with_headroom(
    largest_submission: dict[str, object],
) -> None:
    mailbox = largest_submission["mailbox"]
    assert isinstance(mailbox, dict)
    event = IncidentReported(
        org_id=ORG,
        report_id=REPORT,
        envelope=largest_submission["envelope"],  # type: ignore[arg-type]
        mailbox_lookup=mailbox["lookup"],
        reply_key=mailbox["reply_key"],
        received_at=datetime.now(UTC),
    )
    record = encode(event, "/safehands/intake")
    size = len(record.key) + len(record.value) + sum(len(n) + len(v) for n, v in record.headers)
    # A quarter of the limit stays free: batch and record framing need a few hundred bytes,
    # and the dead-letter headers must fit beside it too.
    assert size <= 0.75 * MAX_RECORD_BYTES


def test_no_service_takes_more_than_the_gateway_lets_through() -> None:
    # The gateway's limit (cli/gateway.py: the services' default body limit) is the outer
    # bound; each service refuses what it cannot use, and the largest report gets through.
    gateway_limit = inspect.signature(gateway_process).parameters["max_body_bytes"].default
    assert gateway_limit == DEFAULT_MAX_BODY_BYTES
    assert gateway_limit >= MAX_SEALED_REQUEST_BYTES
