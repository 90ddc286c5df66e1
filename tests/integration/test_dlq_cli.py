"""`safehands dlq list|replay` against the real broker, as an operator runs it."""

from __future__ import annotations

import subprocess
import sys
import uuid
from datetime import UTC, datetime

from shared.events.admission import VolunteerApplied
from shared.messaging import dead_letters
from shared.messaging.cloudevents import encode
from tests.support.kafka import produce, read_topic
from tests.support.platform import REPO, Infrastructure


def safehands(infra: Infrastructure, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cli", *args, "--bootstrap", infra.kafka_bootstrap],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "COLUMNS": "250"},
    )


async def test_dead_letters_are_listed_and_replayed_once_with_their_original_headers(
    infra: Infrastructure,
) -> None:
    # A topic of its own, so that other tests' dead letters do not show.
    origin = f"safehands.dlqtest{uuid.uuid4().hex[:6]}"
    event = VolunteerApplied(
        org_id="org-dlq",
        volunteer_id="v-1",
        application_id="a-1",
        role_id="coach",
        name="Anna",
        email="anna@example.org",
        applied_at=datetime.now(UTC),
    )
    good = encode(event, "/tests")

    def dead(reason: str, offset: int, headers: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
        return [
            *headers,
            (dead_letters.REASON, reason.encode()),
            (dead_letters.CONSUMER, b"notify"),
            (dead_letters.ORIGIN_TOPIC, origin.encode()),
            (dead_letters.ORIGIN_PARTITION, b"0"),
            (dead_letters.ORIGIN_OFFSET, str(offset).encode()),
            (dead_letters.FAILED_AT, datetime.now(UTC).isoformat().encode()),
        ]

    dlq = origin + ".dlq"
    await produce(
        infra.kafka_bootstrap, dlq, b"{not json", b"k", dead("value is not valid JSON", 3, [])
    )
    await produce(
        infra.kafka_bootstrap,
        dlq,
        good.value,
        good.key,
        dead("handler failed 3 times: RuntimeError: boom", 4, good.headers),
    )

    listed = safehands(infra, "dlq", "list", origin)
    assert listed.returncode == 0, listed.stderr
    assert "value is not valid JSON" in listed.stdout
    assert "handler failed 3 times" in listed.stdout
    assert good.event_id in listed.stdout and event.type_name in listed.stdout
    assert f"origin={origin}[0]@4" in listed.stdout and "REPLAYED" not in listed.stdout

    replayed = safehands(infra, "dlq", "replay", origin + ".dlq", "--id", good.event_id)
    assert replayed.returncode == 0, replayed.stderr
    assert good.event_id in replayed.stdout
    again = safehands(infra, "dlq", "replay", origin, "--id", good.event_id)
    assert again.returncode == 0 and "replayed before" in again.stdout
    unknown = safehands(infra, "dlq", "replay", origin, "--id", "no-such-id")
    assert unknown.returncode == 1 and "no-such-id" in unknown.stderr

    records = await read_topic(
        infra.kafka_bootstrap, origin, until=lambda r: len(r) >= 1, timeout=10
    )
    (record,) = records
    assert record.value == good.value and record.key == good.key
    assert list(record.headers) == good.headers, "the original headers, without x-dlq-*"

    assert "REPLAYED" in safehands(infra, "dlq", "list", origin).stdout
    rest = safehands(infra, "dlq", "replay", origin)
    assert "replayed before" in rest.stdout and "Replayed 0:" in rest.stdout
    records = await read_topic(
        infra.kafka_bootstrap, origin, until=lambda r: len(r) >= 2, timeout=10
    )
    assert sorted(r.value for r in records) == sorted([good.value, b"{not json"])
