"""The outbox leaves in the order it was written, also when two instances wrote it.

An ObjectId starts with whole seconds and goes on with a value random per process: of two
records written within one second by two instances of a service, the later may have the
smaller id. The three-instance test (issue 28) lost a volunteer that way: the interview,
recorded through a second intake, went out before the application recorded through the
first, and policy ignored an interview of a volunteer it did not know yet. Here the two
rows are written as two such instances would: the later with the smaller id.
"""

from __future__ import annotations

import os
import struct
import time
import uuid
from datetime import UTC, datetime, timedelta

from bson import ObjectId
from pymongo import MongoClient

from shared.events.admission import InterviewRecorded, VolunteerApplied
from shared.events.cloudevents import encode
from shared.storage.unit_of_work import OUTBOX
from tests.support.kafka import read_topic
from tests.support.platform import Platform


def object_id(seconds: int, process: bytes) -> ObjectId:
    """An ObjectId as a process with this random `process` value makes it in that second."""
    return ObjectId(struct.pack(">I", seconds) + process + b"\x00\x00\x01")


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
    second = int(time.time())
    written = datetime.now(UTC)
    rows = [
        # The first instance's process value is the larger, so its id sorts after the second's.
        row(applied, object_id(second, b"\xff" + os.urandom(4)), written),
        row(
            interviewed,
            object_id(second, b"\x00" + os.urandom(4)),
            written + timedelta(milliseconds=40),
        ),
    ]
    assert rows[1]["_id"] < rows[0]["_id"]
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
