"""A transaction its client gave up on (its commands passed their deadline while the database
stood still, or the process died) holds what it wrote until the database aborts it. The
embedded database does so once it has been idle for TRANSACTION_LIFETIME_SECONDS, not the
server's 60 s: meanwhile every request writing the same document lost a write conflict and
was answered 409 after its retries (cli/embedded_database.py)."""

from __future__ import annotations

import time
import uuid

from pymongo import MongoClient
from pymongo.errors import OperationFailure

from shared.storage.deadlines import TRANSACTION_LIFETIME_SECONDS
from tests.support.platform import Infrastructure

WRITE_CONFLICT = 112


def test_a_transaction_left_open_stops_holding_its_writes_within_the_lifetime(
    infra: Infrastructure,
) -> None:
    name = f"abandoned_{uuid.uuid4().hex[:8]}"
    with MongoClient(infra.mongo_uri) as left, MongoClient(infra.mongo_uri) as later:
        later[name]["files"].insert_one({"_id": "anna", "stage": "applied"})
        # Written in a transaction that is never committed nor aborted: its client went away.
        session = left.start_session()
        session.start_transaction()
        left[name]["files"].update_one(
            {"_id": "anna"}, {"$set": {"stage": "lost"}}, session=session
        )
        abandoned_at = time.monotonic()

        def write() -> bool:
            with later.start_session() as own, own.start_transaction():
                later[name]["files"].update_one(
                    {"_id": "anna"}, {"$set": {"stage": "interviewed"}}, session=own
                )
            return True

        conflicts = 0
        written_after: float | None = None
        while time.monotonic() - abandoned_at < 70:
            try:
                write()
                written_after = time.monotonic() - abandoned_at
                break
            except OperationFailure as exc:
                assert exc.code == WRITE_CONFLICT, exc
                conflicts += 1
                time.sleep(1)
        assert conflicts > 0, "the open transaction held the document at first"
        assert written_after is not None
        assert written_after < TRANSACTION_LIFETIME_SECONDS + 5, written_after
        assert later[name]["files"].find_one({"_id": "anna"})["stage"] == "interviewed"
        session.end_session()
        later.drop_database(name)
