"""The code in the README's "Subscribing to events" section runs as written: the consumer against the real broker,
the signature check against a signed delivery."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from services.notify.domain.webhook_signature import generate_secret, signature_headers
from shared.events.admission import VolunteerApplied
from shared.events.cloudevents import encode
from tests.support.kafka import produce
from tests.support.platform import REPO, Infrastructure

README = REPO / "README.md"


def python_blocks() -> list[str]:
    section = README.read_text().split("## Subscribing to events", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, flags=re.DOTALL)


async def test_the_consumer_in_the_guide_prints_a_published_event(
    infra: Infrastructure, tmp_path: Path
) -> None:
    event = VolunteerApplied(
        org_id=f"org-{uuid.uuid4().hex[:6]}",
        volunteer_id=str(uuid.uuid4()),
        application_id=str(uuid.uuid4()),
        role_id="coach",
        name="Anna",
        email="anna@example.org",
        applied_at=datetime.now(UTC),
    )
    record = encode(event, "/tests")
    await produce(infra.kafka_bootstrap, record.topic, record.value, record.key, record.headers)

    script = tmp_path / "consumer.py"
    script.write_text(python_blocks()[0])
    output = tmp_path / "out.txt"
    with output.open("w") as sink:
        consumer = subprocess.Popen(
            [sys.executable, str(script)],
            stdout=sink,
            stderr=subprocess.STDOUT,
            env={**os.environ, "KAFKA_BOOTSTRAP": infra.kafka_bootstrap},
        )
        try:
            deadline = time.monotonic() + 60
            while record.event_id not in output.read_text() and time.monotonic() < deadline:
                assert consumer.poll() is None, output.read_text()
                time.sleep(0.2)
        finally:
            consumer.terminate()
            consumer.wait(10)
    line = next(line for line in output.read_text().splitlines() if record.event_id in line)
    assert line.startswith(f"{event.type_name} {event.org_id} {record.event_id} ")
    assert event.volunteer_id in line


def test_the_signature_check_in_the_guide_accepts_our_deliveries_and_nothing_else() -> None:
    namespace: dict[str, Any] = {}
    block = next(block for block in python_blocks() if "def verify" in block)
    exec(compile(block, str(README), "exec"), namespace)  # noqa: S102 -- our own doc
    verify = namespace["verify"]
    secret = generate_secret()
    body = b'{"specversion":"1.0"}'
    headers = signature_headers(secret, "delivery-1", int(time.time()), body)
    verify(secret, headers, body)
    with pytest.raises(ValueError):
        verify(secret, headers, body + b" ")
    with pytest.raises(ValueError):
        verify(generate_secret(), headers, body)
    stale = signature_headers(secret, "delivery-1", int(time.time()) - 3600, body)
    with pytest.raises(ValueError):
        verify(secret, stale, body)
