"""Rows past their keeping time are deleted by the services, through the index, in short
batches; the embedded database's own TTL sweep, which read every row of a TTL collection
under its one storage lock each minute and held up every other command meanwhile, is off
(shared/storage/expiry.py, cli/embedded_database.py)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pymongo import MongoClient

from cli.embedded import database_process, free_port, wait_for_port
from shared.storage.database import IndexSpec, service_database_name
from shared.storage.expiry import Expiring, expire_all, expire_due
from shared.storage.unit_of_work import INBOX
from tests.support.platform import Infrastructure, Platform, eventually

HOUR = 3600
CODES = IndexSpec("codes", (("expires_at", 1),), tenant=False, expire_after_seconds=HOUR)


async def test_only_the_rows_past_their_keeping_time_are_deleted_in_batches(
    infra: Infrastructure,
) -> None:
    now = datetime.now(UTC)
    async with infra.scratch_database("expiry", [CODES]) as database:
        codes = database.platform_collection("codes")
        due = [
            {"_id": f"due-{n}", "expires_at": now - timedelta(hours=2, minutes=n)} for n in range(7)
        ]
        kept = [
            {"_id": "within-the-hour", "expires_at": now - timedelta(minutes=59)},
            {"_id": "in-the-future", "expires_at": now + timedelta(days=1)},
            {"_id": "no-date", "expires_at": None},
            {"_id": "no-field"},
            {"_id": "a-string", "expires_at": "2020-01-01"},
        ]
        await codes.insert_many([*due, *kept])

        deleted = await expire_due(codes, Expiring("codes", "expires_at", HOUR), now, batch=3)

        assert deleted == 7
        left = {row["_id"] async for row in codes.find({})}
        assert left == {row["_id"] for row in kept}
        # The job's sweep: nothing more is due.
        assert await expire_all(database, [Expiring("codes", "expires_at", HOUR)]) == 0


def test_a_started_service_deletes_its_inbox_rows_older_than_thirty_days(
    platform: Platform,
) -> None:
    with MongoClient(platform.infra.mongo_uri) as client:
        inbox = client[service_database_name(platform.database, "intake")][INBOX]
        old = datetime.now(UTC) - timedelta(days=31)
        inbox.insert_many(
            [
                {"consumer": "intake", "event_id": "old", "recorded_at": old},
                {"consumer": "intake", "event_id": "new", "recorded_at": datetime.now(UTC)},
            ]
        )
        platform.start("intake")
        eventually(lambda: inbox.count_documents({"event_id": "old"}) == 0, timeout=30)
        assert inbox.count_documents({"event_id": "new"}) == 1


def test_the_embedded_database_expires_nothing_by_itself(tmp_path: Path) -> None:
    """Its sweep would have run 60 s after its start and deleted the row; without the
    configuration it does (the test fails)."""
    database = database_process(free_port(), tmp_path / "db", tmp_path / "logs")
    database.start()
    started = time.monotonic()
    try:
        wait_for_port(database, timeout=60)
        with MongoClient(f"mongodb://127.0.0.1:{database.port}/?directConnection=true") as client:
            codes = client["expiry"]["codes"]
            codes.create_index([("expires_at", 1)], expireAfterSeconds=0)
            codes.insert_one({"_id": "due", "expires_at": datetime.now(UTC) - timedelta(days=1)})
            time.sleep(max(0.0, started + 65 - time.monotonic()))
            assert codes.count_documents({"_id": "due"}) == 1
    finally:
        database.stop()
