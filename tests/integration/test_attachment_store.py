"""Attachments in reports' database (issue 24 item 3), with the clock passed in: limits per
report, pieces in order and within the reservation, uploads whose report never came (or that
never finished) gone after their wait with every piece, and retention taking the files too.

Each test runs twice: with the pieces in the database, and in an S3 object store (a real
SeaweedFS), where the bookkeeping stays in the database and the deletions of objects are
finished after the transaction, tried again until they succeed."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest

from cli.embedded import free_port
from services.reports.attachment_store import (
    PURGE_GRACE,
    AttachmentStore,
    DatabaseStore,
    ObjectStore,
)
from services.reports.domain.attachments import PIECE_BYTES
from services.reports.domain.errors import (
    AlreadyExists,
    AttachmentTooLarge,
    FileStoreUnavailable,
    InvalidAttachment,
    NoSuchAttachment,
    UploadOutOfOrder,
)
from services.reports.jobs import delete_expired_reports, expire_attachments
from services.reports.storage import (
    ATTACHMENT_CHUNKS,
    ATTACHMENT_PURGES,
    ATTACHMENT_TALLIES,
    ATTACHMENTS,
    INDEXES,
    MESSAGES,
    REPORTS,
)
from services.reports.use_cases.attachments import NewAttachment, put_piece, reserve
from shared.storage.database import Database
from tests.integration.test_reports_jobs import RECEIVED, receive
from tests.support.object_store import RunningObjectStore, object_keys
from tests.support.platform import Infrastructure

NOW = datetime(2026, 1, 9, 12, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)
MAX_BYTES = 3 * PIECE_BYTES


@pytest.fixture
async def db(infra: Infrastructure) -> AsyncIterator[Database]:
    async with infra.scratch_database("reports", INDEXES) as database:
        yield database


@pytest.fixture(params=["database", "s3"])
async def store(
    request: pytest.FixtureRequest, object_store: RunningObjectStore
) -> AsyncIterator[AttachmentStore]:
    if request.param == "database":
        yield DatabaseStore()
        return
    # A bucket per test, made by the store on first use as the service makes its own.
    objects = object_store.attachments(f"attachments-{uuid.uuid4().hex[:8]}")
    try:
        yield objects
    finally:
        await objects.close()


async def stored_objects(store: AttachmentStore, org: str) -> list[str]:
    """The objects of `org`'s attachments (none where the database keeps the pieces)."""
    return await object_keys(store, f"{org}/") if isinstance(store, ObjectStore) else []


async def reserve_for(
    db: Database, org: str, report_id: str, size: int, *, max_files: int = 5
) -> dict[str, Any]:
    body = NewAttachment(report_id=UUID(report_id), size=size)
    answer: dict[str, Any] = await db.transact(
        org,
        lambda uow: reserve(
            uow, body, now=NOW, max_files=max_files, max_bytes=MAX_BYTES, expiry=HOUR
        ),
    )
    return answer


async def upload(
    db: Database,
    store: AttachmentStore,
    org: str,
    reserved: dict[str, Any],
    piece: int,
    data: bytes,
) -> Any:
    return await db.transact(
        org,
        lambda uow: put_piece(
            uow, store, reserved["attachment_id"], reserved["upload_secret"], piece, data
        ),
    )


async def count(db: Database, collection: str, org: str, **query: Any) -> int:
    return await db.tenant_collection(org, collection).count(query)


async def test_limits_per_report_hold_also_for_reservations_at_the_same_moment(
    db: Database, store: AttachmentStore
) -> None:
    org, report_id = f"org-{uuid.uuid4().hex[:6]}", str(uuid.uuid4())
    # Five at once for a report that takes two: exactly two pass, the others are refused.
    results = await asyncio.gather(
        *(reserve_for(db, org, report_id, 1000, max_files=2) for _ in range(5)),
        return_exceptions=True,
    )
    assert sum(isinstance(r, dict) for r in results) == 2
    refused = [r for r in results if isinstance(r, Exception)]
    assert all(isinstance(r, InvalidAttachment) for r in refused), refused
    assert "at most 2 attachments" in str(refused[0])

    other = str(uuid.uuid4())
    await reserve_for(db, org, other, 2 * PIECE_BYTES)
    with pytest.raises(AttachmentTooLarge, match=f"{MAX_BYTES} bytes"):
        await reserve_for(db, org, other, PIECE_BYTES + 1)
    await reserve_for(db, org, other, PIECE_BYTES)


async def test_pieces_arrive_in_order_within_the_reservation(
    db: Database, store: AttachmentStore
) -> None:
    org, report_id = f"org-{uuid.uuid4().hex[:6]}", str(uuid.uuid4())
    reserved = await reserve_for(db, org, report_id, PIECE_BYTES + 10)
    assert reserved["piece_bytes"] == PIECE_BYTES
    with pytest.raises(NoSuchAttachment):
        await upload(db, store, org, {**reserved, "upload_secret": "not-it"}, 0, b"x" * PIECE_BYTES)
    with pytest.raises(UploadOutOfOrder, match="expects piece 0"):
        await upload(db, store, org, reserved, 1, b"x" * 10)
    with pytest.raises(InvalidAttachment, match="Every piece but the last"):
        await upload(db, store, org, reserved, 0, b"x" * 10)
    assert await upload(db, store, org, reserved, 0, b"x" * PIECE_BYTES) == {
        "received": PIECE_BYTES,
        "complete": False,
    }
    with pytest.raises(UploadOutOfOrder):
        await upload(db, store, org, reserved, 0, b"x" * PIECE_BYTES)
    with pytest.raises(AttachmentTooLarge, match="reserved for"):
        await upload(db, store, org, reserved, 1, b"x" * 11)
    assert (await upload(db, store, org, reserved, 1, b"y" * 10))["complete"] is True
    with pytest.raises(UploadOutOfOrder, match="in full already"):
        await upload(db, store, org, reserved, 2, b"z")
    stored = await db.tenant_collection(org, ATTACHMENT_CHUNKS).find(
        {"attachment_id": reserved["attachment_id"]}, sort=[("n", 1)]
    )
    pieces = [await store.get(c) for c in stored]
    assert b"".join(pieces) == b"x" * PIECE_BYTES + b"y" * 10
    if isinstance(store, ObjectStore):
        # The bytes are in the objects only; the refused pieces left none behind.
        assert all("data" not in c for c in stored)
        assert sorted(await stored_objects(store, org)) == sorted(c["object"] for c in stored)
    # Nothing but the ciphertext and its bookkeeping: the secret only as a hash.
    [document] = await db.tenant_collection(org, ATTACHMENTS).find({})
    assert reserved["upload_secret"] not in str(document)
    assert set(document) == {
        "_id",
        "org_id",
        "attachment_id",
        "report_id",
        "message_id",
        "size",
        "next_piece",
        "received",
        "upload_secret",
        "expires_at",
    }


async def test_uploads_expire_unless_whole_and_their_report_came(
    db: Database, store: AttachmentStore
) -> None:
    org = f"org-{uuid.uuid4().hex[:6]}"
    came = await receive(db, org)
    never = str(uuid.uuid4())
    # Reserved before the report came (as clients do): set the report aside meanwhile.
    report = await db.tenant_collection(org, REPORTS).find_one({"report_id": came})
    assert report is not None
    await db.tenant_collection(org, REPORTS).delete_one({"report_id": came})
    whole = await reserve_for(db, org, came, 10)
    half = await reserve_for(db, org, came, PIECE_BYTES + 1)
    orphan = await reserve_for(db, org, never, 10)
    await upload(db, store, org, whole, 0, b"w" * 10)
    await upload(db, store, org, half, 0, b"h" * PIECE_BYTES)
    await upload(db, store, org, orphan, 0, b"o" * 10)
    await db.tenant_collection(org, REPORTS).insert_one(
        {k: v for k, v in report.items() if k not in ("_id", "org_id")}
    )
    with pytest.raises(AlreadyExists, match="received already"):
        await reserve_for(db, org, came, 10)

    assert await expire_attachments(db, NOW + HOUR - timedelta(seconds=1), store) == 0
    assert await expire_attachments(db, NOW + HOUR, store) == 2
    kept = await db.tenant_collection(org, ATTACHMENTS).find({})
    assert [(a["attachment_id"], "expires_at" in a) for a in kept] == [
        (whole["attachment_id"], False)
    ]
    assert await count(db, ATTACHMENT_CHUNKS, org) == 1
    assert await count(db, ATTACHMENT_TALLIES, org, report_id=never) == 0
    if isinstance(store, ObjectStore):
        # The objects of the deleted ones go once the grace has passed, the kept one stays.
        assert len(await stored_objects(store, org)) == 3
        await store.purge(db, NOW + HOUR + PURGE_GRACE)
        assert await stored_objects(store, org) == [
            c["object"] for c in await db.tenant_collection(org, ATTACHMENT_CHUNKS).find({})
        ]
    assert await expire_attachments(db, NOW + 2 * HOUR, store) == 0, "the kept one stays"

    # Retention: the closed case goes, and its files with it.
    await db.tenant_collection(org, REPORTS).update_one(
        {"report_id": came}, {"$set": {"delete_after": RECEIVED}}
    )
    assert await delete_expired_reports(db, RECEIVED, store) == 1
    for collection in (ATTACHMENTS, ATTACHMENT_CHUNKS, ATTACHMENT_TALLIES):
        assert await count(db, collection, org) == 0, collection
    await store.purge(db, RECEIVED + PURGE_GRACE)
    assert await stored_objects(store, org) == []
    assert await count(db, ATTACHMENT_PURGES, org) == 0


async def test_a_vcps_reply_file_is_kept_only_once_the_reply_is_posted(
    db: Database, store: AttachmentStore
) -> None:
    org = f"org-{uuid.uuid4().hex[:6]}"
    report_id = await receive(db, org)
    posted, never = str(uuid.uuid4()), str(uuid.uuid4())
    await db.tenant_collection(org, MESSAGES).insert_one(
        {"report_id": report_id, "message_id": posted, "at": NOW}
    )
    attachments = db.tenant_collection(org, ATTACHMENTS)
    for message_id in (posted, never):
        await attachments.insert_one(
            {
                "attachment_id": message_id,
                "report_id": report_id,
                "message_id": message_id,
                "size": 1,
                "next_piece": 1,
                "received": 1,
                "upload_secret": "x",
                "expires_at": NOW,
            }
        )
    assert await expire_attachments(db, NOW, store) == 1
    [kept] = await attachments.find({})
    assert kept["message_id"] == posted and "expires_at" not in kept


async def test_objects_a_transaction_did_not_keep_and_failed_deletions_are_finished_later(
    db: Database, object_store: RunningObjectStore
) -> None:
    # Only the object store writes outside the transaction, so only it can leave bytes behind.
    bucket = f"attachments-{uuid.uuid4().hex[:8]}"
    store, refused = (
        object_store.attachments(bucket),
        object_store.attachments(bucket, secret="not-the-secret"),
    )
    org, report_id = f"org-{uuid.uuid4().hex[:6]}", str(uuid.uuid4())
    try:
        reserved = await reserve_for(db, org, report_id, PIECE_BYTES + 1)
        await upload(db, store, org, reserved, 0, b"a" * PIECE_BYTES)

        # A piece written to the store whose transaction then fails: no document names it,
        # nothing reads it, and it is not counted.
        async def lost(uow: Any) -> None:
            await store.put(uow, reserved["attachment_id"], 1, b"b")
            raise RuntimeError("the transaction fails after the object was written")

        with pytest.raises(RuntimeError):
            await db.transact(org, lost)
        assert len(await stored_objects(store, org)) == 2
        assert await count(db, ATTACHMENT_CHUNKS, org) == 1
        [attachment] = await db.tenant_collection(org, ATTACHMENTS).find({})
        assert attachment["next_piece"] == 1

        # Never finished: expiry deletes it. The store refuses the first purge (another
        # secret): the record stays, nothing is lost, and the next run finishes the deletion.
        assert await expire_attachments(db, NOW + HOUR, refused) == 1
        assert await count(db, ATTACHMENT_PURGES, org) == 1
        assert await refused.purge(db, NOW + HOUR) == 0, "not before the grace has passed"
        assert await refused.purge(db, NOW + HOUR + PURGE_GRACE) == 0
        assert len(await stored_objects(store, org)) == 2
        assert await count(db, ATTACHMENT_PURGES, org) == 1
        assert await store.purge(db, NOW + HOUR + PURGE_GRACE) == 1
        assert await stored_objects(store, org) == []
        assert await count(db, ATTACHMENT_PURGES, org) == 0
    finally:
        await store.close()
        await refused.close()


async def test_a_store_that_is_away_refuses_the_piece_with_a_sentence_and_keeps_nothing(
    db: Database,
) -> None:
    away = ObjectStore(
        endpoint=f"http://127.0.0.1:{free_port()}",
        bucket="attachments",
        access_key_id="k",
        secret_access_key="s",
        region="us-east-1",
    )
    org, report_id = f"org-{uuid.uuid4().hex[:6]}", str(uuid.uuid4())
    reserved = await reserve_for(db, org, report_id, 10)
    try:
        with pytest.raises(FileStoreUnavailable, match="did not answer"):
            await upload(db, away, org, reserved, 0, b"z" * 10)
        with pytest.raises(FileStoreUnavailable, match="not read"):
            await away.get({"attachment_id": reserved["attachment_id"], "n": 0, "object": "x"})
    finally:
        await away.close()
    assert await count(db, ATTACHMENT_CHUNKS, org) == 0
    [attachment] = await db.tenant_collection(org, ATTACHMENTS).find({})
    assert (attachment["next_piece"], attachment["received"]) == (0, 0)
