"""Attachments in reports' database (issue 24 item 3), with the clock passed in: limits per
report, pieces in order and within the reservation, uploads whose report never came (or that
never finished) gone after their wait with every piece, and retention taking the files too."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest

from services.reports.domain.attachments import PIECE_BYTES
from services.reports.domain.errors import (
    AlreadyExists,
    AttachmentTooLarge,
    InvalidAttachment,
    NoSuchAttachment,
    UploadOutOfOrder,
)
from services.reports.jobs import delete_expired_reports, expire_attachments
from services.reports.storage import (
    ATTACHMENT_CHUNKS,
    ATTACHMENT_TALLIES,
    ATTACHMENTS,
    INDEXES,
    MESSAGES,
    REPORTS,
)
from services.reports.use_cases.attachments import NewAttachment, put_piece, reserve
from shared.storage.database import Database
from tests.integration.test_reports_jobs import RECEIVED, receive
from tests.support.platform import Infrastructure

NOW = datetime(2026, 1, 9, 12, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)
MAX_BYTES = 3 * PIECE_BYTES


@pytest.fixture
async def db(infra: Infrastructure) -> AsyncIterator[Database]:
    async with infra.scratch_database("reports", INDEXES) as database:
        yield database


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


async def upload(db: Database, org: str, reserved: dict[str, Any], piece: int, data: bytes) -> Any:
    return await db.transact(
        org,
        lambda uow: put_piece(
            uow, reserved["attachment_id"], reserved["upload_secret"], piece, data
        ),
    )


async def count(db: Database, collection: str, org: str, **query: Any) -> int:
    return await db.tenant_collection(org, collection).count(query)


async def test_limits_per_report_hold_also_for_reservations_at_the_same_moment(
    db: Database,
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


async def test_pieces_arrive_in_order_within_the_reservation(db: Database) -> None:
    org, report_id = f"org-{uuid.uuid4().hex[:6]}", str(uuid.uuid4())
    reserved = await reserve_for(db, org, report_id, PIECE_BYTES + 10)
    assert reserved["piece_bytes"] == PIECE_BYTES
    with pytest.raises(NoSuchAttachment):
        await upload(db, org, {**reserved, "upload_secret": "not-it"}, 0, b"x" * PIECE_BYTES)
    with pytest.raises(UploadOutOfOrder, match="expects piece 0"):
        await upload(db, org, reserved, 1, b"x" * 10)
    with pytest.raises(InvalidAttachment, match="Every piece but the last"):
        await upload(db, org, reserved, 0, b"x" * 10)
    assert await upload(db, org, reserved, 0, b"x" * PIECE_BYTES) == {
        "received": PIECE_BYTES,
        "complete": False,
    }
    with pytest.raises(UploadOutOfOrder):
        await upload(db, org, reserved, 0, b"x" * PIECE_BYTES)
    with pytest.raises(AttachmentTooLarge, match="reserved for"):
        await upload(db, org, reserved, 1, b"x" * 11)
    assert (await upload(db, org, reserved, 1, b"y" * 10))["complete"] is True
    with pytest.raises(UploadOutOfOrder, match="in full already"):
        await upload(db, org, reserved, 2, b"z")
    stored = await db.tenant_collection(org, ATTACHMENT_CHUNKS).find(
        {"attachment_id": reserved["attachment_id"]}, sort=[("n", 1)]
    )
    assert b"".join(bytes(c["data"]) for c in stored) == b"x" * PIECE_BYTES + b"y" * 10
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


async def test_uploads_expire_unless_whole_and_their_report_came(db: Database) -> None:
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
    await upload(db, org, whole, 0, b"w" * 10)
    await upload(db, org, half, 0, b"h" * PIECE_BYTES)
    await upload(db, org, orphan, 0, b"o" * 10)
    await db.tenant_collection(org, REPORTS).insert_one(
        {k: v for k, v in report.items() if k not in ("_id", "org_id")}
    )
    with pytest.raises(AlreadyExists, match="received already"):
        await reserve_for(db, org, came, 10)

    assert await expire_attachments(db, NOW + HOUR - timedelta(seconds=1)) == 0
    assert await expire_attachments(db, NOW + HOUR) == 2
    kept = await db.tenant_collection(org, ATTACHMENTS).find({})
    assert [(a["attachment_id"], "expires_at" in a) for a in kept] == [
        (whole["attachment_id"], False)
    ]
    assert await count(db, ATTACHMENT_CHUNKS, org) == 1
    assert await count(db, ATTACHMENT_TALLIES, org, report_id=never) == 0
    assert await expire_attachments(db, NOW + 2 * HOUR) == 0, "the kept one stays"

    # Retention: the closed case goes, and its files with it.
    await db.tenant_collection(org, REPORTS).update_one(
        {"report_id": came}, {"$set": {"delete_after": RECEIVED}}
    )
    assert await delete_expired_reports(db, RECEIVED) == 1
    for collection in (ATTACHMENTS, ATTACHMENT_CHUNKS, ATTACHMENT_TALLIES):
        assert await count(db, collection, org) == 0, collection


async def test_a_vcps_reply_file_is_kept_only_once_the_reply_is_posted(db: Database) -> None:
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
    assert await expire_attachments(db, NOW) == 1
    [kept] = await attachments.find({})
    assert kept["message_id"] == posted and "expires_at" not in kept
