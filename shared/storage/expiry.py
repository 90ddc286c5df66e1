"""Rows past their keeping time, deleted by each service itself: through the TTL index's
field, in short batches, once a minute (the scheduler's interval).

Why not the database's own TTL monitor: SecantusDB, the embedded default, implements it as
a sweep every 60 s that reads every document of each collection with a TTL index while it
holds its one storage lock, so every other command of every service waits meanwhile. With
30,000 rows in an inbox (which keeps 30 days of events) each sweep held the whole database
for 0.7 s, growing with the rows; in issue 27's bench a batch of policy's waited seconds
behind such sweeps. The embedded database therefore runs with its sweep off
(cli/embedded_database.py), and this sweep asks the index instead: a range read (a few
milliseconds when nothing is due), then deletes of at most `batch` rows by id, each a short
command that lets every other one through.

The indexes keep their `expireAfterSeconds`: on MongoDB its TTL monitor expires the same rows
the same way, through the index, and this sweep finds little left to do there. Two instances
of a service may still sweep at once (a sweep that outlasts the job's lease); a row deleted
twice is deleted once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from pymongo import DeleteOne
from pymongo.asynchronous.collection import AsyncCollection

from shared.progress import one_round
from shared.storage.database import Database, IndexSpec
from shared.storage.tenancy import Document

# Rows deleted per command: a few tens of milliseconds on SecantusDB.
EXPIRY_BATCH = 200


@dataclass(frozen=True)
class Expiring:
    """Rows of `collection` expire `keep_seconds` after the date in `field` (as a TTL index
    says: a row without a date there never expires)."""

    collection: str
    field: str
    keep_seconds: int


def expiring(specs: Iterable[IndexSpec]) -> tuple[Expiring, ...]:
    """What the TTL indexes among `specs` expire. A TTL index has one key and no tenant key
    in front of it (mongod ignores `expireAfterSeconds` on a compound index): anything else
    is a mistake in the service's definition, said at start-up."""
    found: dict[Expiring, None] = {}
    for spec in specs:
        if spec.expire_after_seconds is None:
            continue
        if spec.tenant or len(spec.keys) != 1:
            raise ValueError(f"a TTL index on {spec.collection} must have one key, not tenant")
        found[Expiring(spec.collection, spec.keys[0][0], spec.expire_after_seconds)] = None
    return tuple(found)


async def expire_due(
    collection: AsyncCollection[Document],
    rows: Expiring,
    now: datetime,
    batch: int = EXPIRY_BATCH,
) -> int:
    """Delete the rows of `collection` that expired by `now`; returns how many."""
    due = {rows.field: {"$lt": now - timedelta(seconds=rows.keep_seconds)}}
    deleted = 0
    while True:
        # A round per batch: a first sweep through a long backlog is busy, not stuck.
        with one_round():
            ids = [
                row["_id"]
                for row in await collection.find(due, projection={"_id": 1})
                .sort(rows.field, 1)
                .limit(batch)
                .to_list()
            ]
            if not ids:
                return deleted
            # One DeleteOne each, still due: a row whose date moved on meanwhile stays. (A
            # `$in` delete costs SecantusDB a comparison of every row with every id.)
            result = await collection.bulk_write(
                [DeleteOne({"_id": id_, **due}) for id_ in ids], ordered=False
            )
        deleted += result.deleted_count
        if len(ids) < batch:
            return deleted


async def expire_all(db: Database, rows: Iterable[Expiring]) -> int:
    """One sweep: the due rows of each expiring collection; returns how many went. Run as a
    periodic job of every service (shared/runtime/app.py), on one instance at a time."""
    now = datetime.now(UTC)
    return sum([await expire_due(db.platform_collection(r.collection), r, now) for r in rows])
