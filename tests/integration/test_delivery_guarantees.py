"""The platform's delivery guarantees, proven on the real broker and database with
service processes that are killed at the worst moment (see `shared/failpoints.py`)."""

from __future__ import annotations

import contextlib
import json
import uuid
from datetime import UTC, datetime

import httpx
import pytest
from pymongo import MongoClient

from shared.events.admission import VolunteerApplied, VolunteerDataErased
from shared.events.cloudevents import encode
from shared.messaging import dead_letters
from shared.storage.unit_of_work import OUTBOX
from tests.support.counter_service import COUNTERS, FAIL_ALWAYS
from tests.support.kafka import produce, read_topic
from tests.support.platform import Platform, eventually, wait_for_exit

COUNTER = "tests.support.counter_service"
TOPIC = VolunteerApplied.topic()


def application(org: str, name: str = "Anna") -> VolunteerApplied:
    return VolunteerApplied(
        org_id=org,
        volunteer_id=str(uuid.uuid4()),
        application_id=str(uuid.uuid4()),
        role_id="coach",
        name=name,
        email="anna@example.org",
        applied_at=datetime.now(UTC),
    )


def counters(platform: Platform) -> dict[str, int]:
    with MongoClient(platform.infra.mongo_uri) as client:
        db = client[f"{platform.database}_counter"]
        return {d["volunteer_id"]: d.get("applied", 0) for d in db[COUNTERS].find()}


async def publish(platform: Platform, event: VolunteerApplied) -> None:
    record = encode(event, "/tests")
    await produce(
        platform.infra.kafka_bootstrap, record.topic, record.value, record.key, record.headers
    )


async def test_consumer_killed_before_offset_commit_applies_effect_exactly_once(
    platform: Platform,
) -> None:
    org = f"org-{uuid.uuid4().hex[:6]}"
    # Other tests' events share the topic: a first instance catches up with them, so that
    # the next batch the doomed instance fetches holds our event alone.
    marker = application(org)
    platform.start("counter", module=COUNTER)
    await publish(platform, marker)
    eventually(lambda: marker.volunteer_id in counters(platform), timeout=30)
    platform.stop_all()

    event = application(org)
    doomed = platform.start(
        "counter", module=COUNTER, failpoints=["consumer.before_offset_commit"], wait=False
    )
    await publish(platform, event)

    # The effect is committed in MongoDB, then the process dies before Kafka hears of it.
    assert wait_for_exit(doomed, timeout=60) != 0
    assert counters(platform).get(event.volunteer_id) == 1
    platform.stop_all()

    platform.start("counter", module=COUNTER)
    # Its offset was never committed, so the restarted consumer reads the event again. A
    # second event with the same key lands behind it on the same partition: once that one
    # is counted, the first has certainly been redelivered — and the inbox skipped it.
    follower = application(org)
    follower = follower.model_copy(update={"volunteer_id": event.volunteer_id + "-next"})
    assert follower.key() != event.key()
    same_partition = encode(follower, "/tests")
    await produce(
        platform.infra.kafka_bootstrap,
        TOPIC,
        same_partition.value,
        event.key().encode(),
        same_partition.headers,
    )
    eventually(lambda: follower.volunteer_id in counters(platform), timeout=30)
    counted = counters(platform)
    assert (counted[event.volunteer_id], counted[follower.volunteer_id]) == (1, 1)


def erase_until_the_relay_dies(platform: Platform, failpoint: str, org: str, volunteer: str) -> str:
    """Erase a volunteer on a counter service whose relay dies at `failpoint`; the event's id.

    The relay wakes at the commit, so it may kill the process before the answer is sent: the
    id is read from the outbox, where the event waits, committed with the state change."""
    doomed = platform.start("counter", module=COUNTER, failpoints=[failpoint])
    with doomed.client() as http, contextlib.suppress(httpx.RemoteProtocolError):
        answer = http.post(f"/v1/orgs/{org}/erase/{volunteer}")
        assert answer.status_code == 202
    assert wait_for_exit(doomed) != 0
    with MongoClient(platform.infra.mongo_uri) as client:
        [row] = client[f"{platform.database}_counter"][OUTBOX].find({"org_id": org})
    event_id: str = row["event_id"]
    return event_id


async def test_relay_killed_between_commit_and_publish_loses_no_event(platform: Platform) -> None:
    org = f"org-{uuid.uuid4().hex[:6]}"
    volunteer = str(uuid.uuid4())
    event_id = erase_until_the_relay_dies(platform, "relay.before_publish", org, volunteer)

    topic = VolunteerDataErased.topic()

    def ids(records: list) -> list[str]:  # type: ignore[type-arg]
        return [dict(r.headers)["ce_id"].decode() for r in records]

    before = await read_topic(platform.infra.kafka_bootstrap, topic, timeout=2)
    assert event_id not in ids(before), "the failpoint should have stopped the publish"

    platform.stop_all()
    platform.start("counter", module=COUNTER)
    after = await read_topic(
        platform.infra.kafka_bootstrap, topic, until=lambda r: event_id in ids(r), timeout=20
    )
    assert ids(after).count(event_id) == 1
    published = next(r for r in after if dict(r.headers)["ce_id"].decode() == event_id)
    assert published.key == f"{org}:{volunteer}".encode()
    assert json.loads(published.value)["volunteer_id"] == volunteer


async def test_relay_killed_after_publish_republishes_with_the_same_event_id(
    platform: Platform,
) -> None:
    """At least once: a crash after the publish but before the outbox row is removed sends
    the event again — with the same ce_id, which is what consumers dedupe on."""
    org = f"org-{uuid.uuid4().hex[:6]}"
    event_id = erase_until_the_relay_dies(platform, "relay.after_publish", org, "v-1")
    platform.stop_all()
    platform.start("counter", module=COUNTER)
    topic = VolunteerDataErased.topic()

    def copies(records: list) -> int:  # type: ignore[type-arg]
        return sum(dict(r.headers)["ce_id"].decode() == event_id for r in records)

    records = await read_topic(
        platform.infra.kafka_bootstrap, topic, until=lambda r: copies(r) >= 2, timeout=20
    )
    assert copies(records) == 2


@pytest.mark.parametrize("bad_json_first", [True])
async def test_poison_messages_are_dead_lettered_and_the_partition_moves_on(
    platform: Platform, bad_json_first: bool
) -> None:
    org = f"org-{uuid.uuid4().hex[:6]}"
    platform.start("counter", module=COUNTER)
    bootstrap = platform.infra.kafka_bootstrap
    # Same key for all: one partition, so "the next valid message" is really the next.
    key = f"{org}:same-volunteer".encode()
    valid = application(org)
    good = encode(valid, "/tests")
    failing = encode(application(org, name=FAIL_ALWAYS), "/tests")
    unknown_headers = [
        (n, b"nl.safehands.volunteer.teleported.v1" if n == "ce_type" else v)
        for n, v in good.headers
    ]
    invalid_value = json.dumps({"org_id": org, "volunteer_id": 42}).encode()

    await produce(bootstrap, TOPIC, b"{not json", key, good.headers)
    await produce(bootstrap, TOPIC, good.value, key, unknown_headers)
    await produce(bootstrap, TOPIC, invalid_value, key, good.headers)
    await produce(bootstrap, TOPIC, failing.value, key, failing.headers)
    await produce(bootstrap, TOPIC, good.value, key, good.headers)

    eventually(lambda: counters(platform).get(valid.volunteer_id) == 1, timeout=30)

    def ours(records: list) -> list:  # type: ignore[type-arg]
        return [r for r in records if r.key == key]

    dead = ours(
        await read_topic(bootstrap, TOPIC + ".dlq", until=lambda r: len(ours(r)) >= 4, timeout=20)
    )
    reasons = [dict(r.headers)[dead_letters.REASON].decode() for r in dead]
    assert len(dead) == 4, reasons
    assert "not valid JSON" in reasons[0]
    assert "unknown event type" in reasons[1]
    assert "invalid nl.safehands.volunteer.applied.v1" in reasons[2]
    assert "handler failed 3 times" in reasons[3]
    for record in dead:
        headers = {n: v.decode() for n, v in record.headers}
        assert headers[dead_letters.ORIGIN_TOPIC] == TOPIC
        assert headers[dead_letters.CONSUMER] == "counter"
        assert int(headers[dead_letters.ORIGIN_OFFSET]) >= 0
        assert headers[dead_letters.ORIGIN_PARTITION].isdigit()
    # The original record travels unchanged, so a replay re-injects it as it was.
    assert dead[3].value == failing.value
