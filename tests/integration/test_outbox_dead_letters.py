"""An outbox record the broker refuses for good is set aside, and the records after it are
published: one oversized event cannot stop every later one."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

from bson import ObjectId
from pymongo import MongoClient

from shared.events.admission import VolunteerApplied
from shared.events.cloudevents import encode
from shared.messaging import dead_letters
from shared.messaging.broker import MAX_RECORD_BYTES
from shared.messaging.outbox_relay import VALUE_OMITTED
from shared.storage.unit_of_work import OUTBOX, OUTBOX_DEAD_LETTERS
from tests.support.kafka import read_topic
from tests.support.platform import Platform, eventually


def _applied(org: str) -> VolunteerApplied:
    return VolunteerApplied(
        org_id=org,
        volunteer_id=str(uuid.uuid4()),
        application_id=str(uuid.uuid4()),
        role_id="coach",
        name="Anna",
        email="anna@example.org",
        applied_at=datetime.now(UTC),
    )


def _row(event: VolunteerApplied, value: bytes | None = None) -> dict[str, object]:
    """An outbox row exactly as UnitOfWork writes it."""
    record = encode(event, "/safehands/intake")
    return {
        "_id": ObjectId(),
        "event_id": record.event_id,
        "topic": record.topic,
        "key": record.key,
        "value": value if value is not None else record.value,
        "headers": record.headers,
    }


async def test_an_unpublishable_row_is_set_aside_and_the_next_rows_arrive(
    platform: Platform,
) -> None:
    intake = platform.start("intake")
    org = f"org-{uuid.uuid4().hex[:6]}"
    oversized, later = _applied(org), _applied(org)
    too_large = json.dumps({"padding": "x" * (MAX_RECORD_BYTES + 1000)}).encode()
    rows = [_row(oversized, too_large), _row(later)]
    with MongoClient(platform.infra.mongo_uri) as client:
        db = client[f"{platform.database}_intake"]
        db[OUTBOX].insert_many(rows, ordered=True)

        later_key = f"{org}:{later.volunteer_id}".encode()
        published = await read_topic(
            platform.infra.kafka_bootstrap,
            later.topic(),
            until=lambda records: any(r.key == later_key for r in records),
            timeout=30,
        )
        assert any(r.key == later_key for r in published), "the record after it arrived"
        assert not any(r.key == f"{org}:{oversized.volunteer_id}".encode() for r in published)

        eventually(lambda: db[OUTBOX].count_documents({}) == 0, timeout=10)
        (aside,) = list(db[OUTBOX_DEAD_LETTERS].find({"event_id": rows[0]["event_id"]}))
        assert aside["reason"].startswith("MessageSizeTooLargeError")
        assert aside["topic"] == oversized.topic() and bytes(aside["value"]) == too_large
        # Whole events with names and addresses: they expire like the inbox does.
        ttl = [
            (list(index["key"]), index["expireAfterSeconds"])
            for index in db[OUTBOX_DEAD_LETTERS].list_indexes()
            if "expireAfterSeconds" in index
        ]
        assert ttl == [(["set_aside_at"], 30 * 24 * 3600)]

    # Announced on the dead-letter topic, without the value that does not fit there either.
    dlq = f"{oversized.topic()}.dlq"
    letters = await read_topic(
        platform.infra.kafka_bootstrap,
        dlq,
        until=lambda records: any(
            dict(r.headers).get("ce_id") == str(rows[0]["event_id"]).encode() for r in records
        ),
        timeout=15,
    )
    (letter,) = [
        r for r in letters if dict(r.headers).get("ce_id") == str(rows[0]["event_id"]).encode()
    ]
    headers = {name: value.decode() for name, value in letter.headers}
    assert headers[dead_letters.REASON].startswith("MessageSizeTooLargeError")
    assert headers[dead_letters.ORIGIN_TOPIC] == oversized.topic()
    assert OUTBOX_DEAD_LETTERS in headers[VALUE_OMITTED]
    assert letter.value == b""
    assert "set aside" in intake.log_text()


async def test_a_row_for_a_topic_that_cannot_exist_does_not_hold_the_outbox(
    platform: Platform,
) -> None:
    platform.start("intake")
    org = f"org-{uuid.uuid4().hex[:6]}"
    invalid, later = _row(_applied(org)), _applied(org)
    invalid["topic"] = "no such topic!"
    with MongoClient(platform.infra.mongo_uri) as client:
        db = client[f"{platform.database}_intake"]
        db[OUTBOX].insert_many([invalid, _row(later)], ordered=True)
        later_key = f"{org}:{later.volunteer_id}".encode()
        published = await read_topic(
            platform.infra.kafka_bootstrap,
            later.topic(),
            until=lambda records: any(r.key == later_key for r in records),
            timeout=30,
        )
        assert any(r.key == later_key for r in published)
        eventually(lambda: db[OUTBOX_DEAD_LETTERS].find_one({"_id": invalid["_id"]}), timeout=10)
        aside = db[OUTBOX_DEAD_LETTERS].find_one({"_id": invalid["_id"]})
        assert aside is not None and aside["reason"].startswith("InvalidTopicError")
