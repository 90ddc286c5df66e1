"""Encrypted attachments (issue 24 item 3): reserving one for a report about to be sent,
taking its ciphertext piece by piece, and the sweep of uploads whose report never came.

Nothing here sees a name, a type or a key: the ciphertext is all there is, and the envelope
of the report says what it is. Uploads are anonymous like the report (no audit entry, which
would time the reporter); the upload secret binds the pieces to whoever reserved the file.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from pydantic import BaseModel, ConfigDict, Field

from services.reports.attachment_store import AttachmentStore
from services.reports.domain.attachments import (
    PIECE_BYTES,
    Progress,
    accept_piece,
    check_reservation,
)
from services.reports.domain.errors import AlreadyExists, NoSuchAttachment
from services.reports.storage import (
    ATTACHMENT_TALLIES,
    ATTACHMENTS,
    MESSAGES,
    REPORTS,
)
from services.reports.use_cases.cases import load_report
from services.reports.use_cases.conversation import check_open
from shared.storage.unit_of_work import UnitOfWork


class NewAttachment(BaseModel):
    model_config = ConfigDict(extra="forbid")

    report_id: UUID
    # The ciphertext's length in bytes (padded, so it says little about the file).
    size: int = Field(ge=1, le=1 << 30, strict=True)


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def no_such_attachment(attachment_id: str) -> NoSuchAttachment:
    return NoSuchAttachment(
        f"There is no attachment {attachment_id} here (or the upload secret is not its own)."
    )


class NewReplyAttachment(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # The reply it is for, not yet posted (the client chooses message ids).
    message_id: UUID
    size: int = Field(ge=1, le=1 << 30, strict=True)


async def reserve(
    uow: UnitOfWork,
    body: NewAttachment,
    *,
    now: datetime,
    max_files: int,
    max_bytes: int,
    expiry: timedelta,
) -> dict[str, Any]:
    """A new attachment for a report not yet received; its id and upload secret."""
    report_id = str(body.report_id)
    if await uow.collection(REPORTS).find_one({"report_id": report_id}) is not None:
        raise AlreadyExists(
            f"Report {report_id} was received already; attach files before sending the report."
        )
    return await _reserve(
        uow,
        report_id,
        None,
        body.size,
        now,
        max_files=max_files,
        max_bytes=max_bytes,
        expiry=expiry,
    )


async def reserve_for_reply(
    uow: UnitOfWork,
    report_id: str,
    body: NewReplyAttachment,
    *,
    vcp_id: str,
    now: datetime,
    max_files: int,
    max_bytes: int,
    expiry: timedelta,
) -> dict[str, Any]:
    """A new attachment for a VCP's reply not yet posted, in a case of theirs still open."""
    report = await load_report(uow, report_id, vcp_id)
    check_open(report)
    message_id = str(body.message_id)
    if await uow.collection(MESSAGES).find_one({"message_id": message_id}) is not None:
        raise AlreadyExists(
            f"Message {message_id} was posted already; attach files before posting it."
        )
    return await _reserve(
        uow,
        report_id,
        message_id,
        body.size,
        now,
        max_files=max_files,
        max_bytes=max_bytes,
        expiry=expiry,
    )


async def _reserve(
    uow: UnitOfWork,
    report_id: str,
    message_id: str | None,
    size: int,
    now: datetime,
    *,
    max_files: int,
    max_bytes: int,
    expiry: timedelta,
) -> dict[str, Any]:
    # The limits hold per report (the reporter's files) and per reply (a VCP's).
    batch = {"report_id": report_id, "message_id": message_id}
    attachments = uow.collection(ATTACHMENTS)
    reserved = await attachments.find(batch, projection={"size": 1})
    check_reservation([a["size"] for a in reserved], size, max_files=max_files, max_bytes=max_bytes)
    # Concurrent reservations for one report all write this document: one wins, the others
    # are run again and see it (so the limits hold however many arrive at once).
    await uow.collection(ATTACHMENT_TALLIES).update_one(
        batch,
        {"$inc": {"reserved": 1}, "$setOnInsert": {"expires_at": now + expiry}},
        upsert=True,
    )
    attachment_id = str(uuid4())
    upload_secret = secrets.token_urlsafe(32)
    expires_at = now + expiry
    await attachments.insert_one(
        {
            "attachment_id": attachment_id,
            **batch,
            "size": size,
            "next_piece": 0,
            "received": 0,
            "upload_secret": secret_hash(upload_secret),
            "expires_at": expires_at,
        }
    )
    return {
        "attachment_id": attachment_id,
        "upload_secret": upload_secret,
        "piece_bytes": PIECE_BYTES,
        "expires_at": expires_at,
    }


async def put_piece(
    uow: UnitOfWork,
    store: AttachmentStore,
    attachment_id: str,
    secret: str,
    piece: int,
    data: bytes,
) -> dict[str, Any]:
    """Store one piece of the ciphertext, in order and within the reserved size."""
    attachments = uow.collection(ATTACHMENTS)
    attachment = await attachments.find_one({"attachment_id": attachment_id})
    if attachment is None or not hmac.compare_digest(
        attachment["upload_secret"], secret_hash(secret)
    ):
        raise no_such_attachment(attachment_id)
    progress = accept_piece(
        Progress(attachment["size"], attachment["next_piece"], attachment["received"]),
        piece,
        len(data),
    )
    # Checked before a byte is stored: a refused piece leaves nothing behind.
    await store.put(uow, attachment_id, piece, data)
    await attachments.update_one(
        {"attachment_id": attachment_id, "next_piece": piece},
        {"$set": {"next_piece": progress.next_piece, "received": progress.received}},
    )
    return {"received": progress.received, "complete": progress.complete}


async def delete_attachments_of(
    uow: UnitOfWork, store: AttachmentStore, report_id: str, now: datetime
) -> None:
    """A report's attachments, with their ciphertext (retention, erasure, expiry)."""
    attachments = uow.collection(ATTACHMENTS)
    ids = [a["attachment_id"] for a in await attachments.find({"report_id": report_id})]
    if ids:
        await store.discard(uow, ids, now)
    await attachments.delete_many({"report_id": report_id})
    await uow.collection(ATTACHMENT_TALLIES).delete_many({"report_id": report_id})


async def settle_expired(
    uow: UnitOfWork, store: AttachmentStore, report_id: str, now: datetime
) -> int:
    """At the end of its wait: an upload in full whose report came is kept (its `expires_at`
    removed); every other one of this report id is deleted with its pieces. Returns how many
    were deleted."""
    attachments = uow.collection(ATTACHMENTS)
    report = await uow.collection(REPORTS).find_one({"report_id": report_id})
    due = await attachments.find({"report_id": report_id, "expires_at": {"$lte": now}})
    deleted = 0
    for attachment in due:
        # Taken: a reporter's file whose report came, a VCP's whose reply was posted.
        message_id = attachment.get("message_id")
        taken = report is not None and (
            message_id is None
            or await uow.collection(MESSAGES).find_one({"message_id": message_id}) is not None
        )
        if taken and attachment["received"] == attachment["size"]:
            await attachments.update_one(
                {"attachment_id": attachment["attachment_id"]}, {"$unset": {"expires_at": ""}}
            )
            continue
        await store.discard(uow, [attachment["attachment_id"]], now)
        await attachments.delete_one({"attachment_id": attachment["attachment_id"]})
        deleted += 1
    if report is None and not await attachments.find({"report_id": report_id}):
        await uow.collection(ATTACHMENT_TALLIES).delete_many({"report_id": report_id})
    return deleted
