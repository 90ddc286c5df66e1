"""The outbox leaves in the order it was written, also when two instances wrote it.

A standard ObjectId starts with whole seconds and goes on with a value random per process: of
two records written within one second by two instances of a service, the later may have the
smaller id. The three-instance test (issue 28) lost a volunteer that way: the interview,
recorded through a second intake, went out before the application recorded through the
first, and policy ignored an interview of a volunteer it did not know yet. Here the two rows
get their ids as two such instances give them (shared/storage/outbox_ids.py), within one
second, the later instance's process value the smaller.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from bson import ObjectId
from pymongo import MongoClient

from shared.events.admission import InterviewRecorded, VolunteerApplied
from shared.events.cloudevents import encode
from shared.storage.outbox_ids import OutboxIds
from shared.storage.unit_of_work import OUTBOX
from tests.support.kafka import read_topic
from tests.support.platform import Platform


def row(event: VolunteerApplied | InterviewRecorded, _id: ObjectId, at: datetime) -> dict:  # type: ignore[type-arg]
    record = encode(event, "/safehands/intake")
    return {
        "_id": _id,
        "event_id": record.event_id,
        "org_id": event.org_id,
        "topic": record.topic,
        "key": record.key,
        "value": record.value,
        "headers": [[name, value] for name, value in record.headers],
        "created_at": at,
    }


async def test_records_of_one_volunteer_written_by_two_instances_leave_in_written_order(
    platform: Platform,
) -> None:
    org, volunteer = f"org-{uuid.uuid4().hex[:6]}", str(uuid.uuid4())
    applied = VolunteerApplied(
        org_id=org,
        volunteer_id=volunteer,
        application_id=str(uuid.uuid4()),
        role_id="coach",
        name="Anna",
        email="anna@example.org",
        applied_at=datetime.now(UTC),
    )
    interviewed = InterviewRecorded(
        org_id=org,
        volunteer_id=volunteer,
        outcome="proceed",
        recorded_by="cor",
        recorded_at=datetime.now(UTC),
    )
    written = datetime.now(UTC).replace(microsecond=0)
    written_ms = int(written.timestamp()) * 1000
    first_instance, second_instance = OutboxIds(b"\xff\xff\xff"), OutboxIds(b"\x00\x00\x00")
    rows = [
        row(applied, first_instance.next(now_ms=written_ms), written),
        row(
            interviewed,
            second_instance.next(now_ms=written_ms + 40),
            written + timedelta(milliseconds=40),
        ),
    ]
    # Within one second, where a standard ObjectId would have put the second instance's
    # record first.
    assert rows[0]["_id"].generation_time == rows[1]["_id"].generation_time
    with MongoClient(platform.infra.mongo_uri) as client:
        client[f"{platform.database}_intake"][OUTBOX].insert_many(rows, ordered=True)
    platform.start("intake")

    key = f"{org}:{volunteer}".encode()
    published = await read_topic(
        platform.infra.kafka_bootstrap,
        applied.topic(),
        until=lambda records: sum(r.key == key for r in records) >= 2,
        timeout=30,
    )
    order = [dict(r.headers)["ce_id"].decode() for r in published if r.key == key]
    assert order == [rows[0]["event_id"], rows[1]["event_id"]]
