"""`safehands dlq list|replay` against the real broker, as an operator runs it; a replay
reaches the consumer that failed on the record and no other consumer of its topic."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import UTC, datetime

from pymongo import MongoClient
from typer.testing import CliRunner, Result

from cli.main import app
from shared.events.admission import VolunteerApplied
from shared.events.cloudevents import encode
from shared.messaging import dead_letters
from tests.support.counter_service import COUNTERS
from tests.support.kafka import produce, read_topic
from tests.support.platform import Infrastructure, Platform, eventually


def safehands(infra: Infrastructure, *args: str) -> Result:
    return CliRunner().invoke(app, [*args, "--bootstrap", infra.kafka_bootstrap])


def test_dead_letters_are_listed_and_replayed_once_with_their_original_headers(
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
    asyncio.run(
        produce(
            infra.kafka_bootstrap, dlq, b"{not json", b"k", dead("value is not valid JSON", 3, [])
        )
    )
    asyncio.run(
        produce(
            infra.kafka_bootstrap,
            dlq,
            good.value,
            good.key,
            dead("handler failed 3 times: RuntimeError: boom", 4, good.headers),
        )
    )

    listed = safehands(infra, "dlq", "list", origin)
    assert listed.exit_code == 0, listed.output
    assert "value is not valid JSON" in listed.output
    assert "handler failed 3 times" in listed.output
    assert good.event_id in listed.output and event.type_name in listed.output
    assert f"origin={origin}[0]@4" in listed.output and "REPLAYED" not in listed.output

    replayed = safehands(infra, "dlq", "replay", origin + ".dlq", "--id", good.event_id)
    assert replayed.exit_code == 0, replayed.output
    assert good.event_id in replayed.output
    again = safehands(infra, "dlq", "replay", origin, "--id", good.event_id)
    assert again.exit_code == 0 and "replayed before" in again.output
    unknown = safehands(infra, "dlq", "replay", origin, "--id", "no-such-id")
    assert unknown.exit_code == 1 and "no-such-id" in unknown.output

    records = asyncio.run(
        read_topic(infra.kafka_bootstrap, origin, until=lambda r: len(r) >= 1, timeout=10)
    )
    (record,) = records
    assert record.value == good.value and record.key == good.key
    assert list(record.headers) == [
        *good.headers,
        (dead_letters.REPLAY_FOR, b"notify"),
    ], "the original headers, without x-dlq-*, addressed to the consumer that failed"

    assert "REPLAYED" in safehands(infra, "dlq", "list", origin).output
    rest = safehands(infra, "dlq", "replay", origin)
    assert "replayed before" in rest.output and "Replayed 0:" in rest.output
    records = asyncio.run(
        read_topic(infra.kafka_bootstrap, origin, until=lambda r: len(r) >= 2, timeout=10)
    )
    assert sorted(r.value for r in records) == sorted([good.value, b"{not json"])

    as_json = safehands(infra, "dlq", "list", origin, "--json")
    assert as_json.exit_code == 0, as_json.output
    rows = {row["position"]: row for row in json.loads(as_json.output)}
    assert len(rows) == 2
    replayed_row = next(row for row in rows.values() if row["event_id"] == good.event_id)
    assert replayed_row["replayed"] is True and replayed_row["type"] == event.type_name
    assert replayed_row["origin_topic"] == origin and replayed_row["origin_offset"] == "4"
    assert replayed_row["reason"] == "handler failed 3 times: RuntimeError: boom"
    broken = next(row for row in rows.values() if row["event_id"] is None)
    # Replayed by the plain `dlq replay` above, like every other not yet replayed.
    assert broken["replayed"] is True and broken["reason"] == "value is not valid JSON"
    assert broken["position"] != replayed_row["position"]


async def test_a_replay_reaches_only_the_consumer_that_failed_on_it(platform: Platform) -> None:
    """counter and notify both consume the volunteer topic. A record only counter failed on
    is replayed: counter applies it, notify (which had handled it) skips it."""
    infra = platform.infra
    org = f"org-{uuid.uuid4().hex[:6]}"
    volunteer = str(uuid.uuid4())

    def applied() -> VolunteerApplied:
        return VolunteerApplied(
            org_id=org,
            volunteer_id=volunteer,
            application_id=str(uuid.uuid4()),
            role_id="coach",
            name="Anna",
            email="anna@example.org",
            applied_at=datetime.now(UTC),
        )

    # Same volunteer, so the same key and partition: the marker comes after the replay.
    replayed, marker = encode(applied(), "/tests"), encode(applied(), "/tests")
    origin = replayed.topic
    platform.start("counter", module="tests.support.counter_service")
    platform.start("notify")
    await produce(
        infra.kafka_bootstrap,
        origin + ".dlq",
        replayed.value,
        replayed.key,
        [
            *replayed.headers,
            (dead_letters.REASON, b"handler failed 3 times: RuntimeError: boom"),
            (dead_letters.CONSUMER, b"counter"),
            (dead_letters.ORIGIN_TOPIC, origin.encode()),
            (dead_letters.ORIGIN_PARTITION, b"0"),
            (dead_letters.ORIGIN_OFFSET, b"0"),
            (dead_letters.FAILED_AT, datetime.now(UTC).isoformat().encode()),
        ],
    )

    result = await asyncio.to_thread(
        safehands, infra, "dlq", "replay", origin, "--id", replayed.event_id
    )
    assert result.exit_code == 0, result.output
    assert "for counter only" in result.output
    await produce(infra.kafka_bootstrap, origin, marker.value, marker.key, marker.headers)

    def consumed_by(service: str, consumer: str) -> set[str]:
        with MongoClient(infra.mongo_uri) as client:
            inbox = client[f"{platform.database}_{service}"]["inbox"]
            ids = [replayed.event_id, marker.event_id]
            return {
                row["event_id"]
                for row in inbox.find({"consumer": consumer, "event_id": {"$in": ids}})
            }

    # Both have read past the replayed record once they have the marker behind it.
    eventually(lambda: marker.event_id in consumed_by("notify", "notify"), timeout=60)
    eventually(lambda: marker.event_id in consumed_by("counter", "counter"), timeout=60)
    assert consumed_by("counter", "counter") == {replayed.event_id, marker.event_id}
    assert consumed_by("notify", "notify") == {marker.event_id}, "notify applied the replay"
    with MongoClient(infra.mongo_uri) as client:
        counted = client[f"{platform.database}_counter"][COUNTERS].find_one({"org_id": org})
    assert counted is not None and counted["applied"] == 2
