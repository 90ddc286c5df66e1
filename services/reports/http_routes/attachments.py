"""Encrypted attachments (services/reports/use_cases/attachments.py decides): the reporter
reserves and uploads each file before sending the report, anonymously; the VCPs the report
is sealed to download the ciphertext and decrypt it on their own device. A VCP in the case
attaches files to a reply the same way, and the reporter downloads them with the mailbox
secret."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import APIRouter, Depends, Header, HTTPException, Path, Request, status
from fastapi.responses import StreamingResponse

from services.reports import queries
from services.reports.attachment_store import AttachmentStore, attachment_store_of
from services.reports.domain.attachments import PIECE_BYTES
from services.reports.domain.errors import AttachmentTooLarge, NoSuchReport
from services.reports.http_routes.cases import vcp_only
from services.reports.use_cases import attachments
from services.reports.use_cases.attachments import (
    NewAttachment,
    NewReplyAttachment,
    no_such_attachment,
)
from services.reports.use_cases.mailbox import NO_SUCH_MAILBOX, MailboxAccess
from shared.auth.tokens import Principal
from shared.http.openapi import errors
from shared.runtime.rate_limit import rate_limited
from shared.runtime.runtime import Runtime, runtime_of

router = APIRouter(prefix="/v1/orgs/{org}", tags=["attachments"])


async def attachment_store(runtime: Runtime = Depends(runtime_of)) -> AttachmentStore:
    store = attachment_store_of(runtime)
    if store is None:
        raise HTTPException(
            status.HTTP_503_SERVICE_UNAVAILABLE,
            "reports is still starting; please try again in a moment.",
            headers={"Retry-After": "2"},
        )
    return store


_OCTETS = {"content": {"application/octet-stream": {"schema": {"type": "string"}}}}


@router.post(
    "/attachments",
    status_code=status.HTTP_201_CREATED,
    summary="Reserve an encrypted attachment for a report about to be sent (anyone; rate-limited).",
    dependencies=[Depends(rate_limited("attachments"))],
    responses=errors(409, 413),
)
async def reserve_attachment(
    org: str, body: NewAttachment, runtime: Runtime = Depends(runtime_of)
) -> dict[str, Any]:
    settings = runtime.settings
    now = datetime.now(UTC)
    return await runtime.transact(
        org,
        lambda uow: attachments.reserve(
            uow,
            body,
            now=now,
            max_files=settings.attachments_max_files,
            max_bytes=settings.attachments_max_bytes,
            expiry=timedelta(seconds=settings.attachment_expiry_seconds),
        ),
    )


@router.post(
    "/reports/{report_id}/attachments",
    status_code=status.HTTP_201_CREATED,
    summary="Reserve an encrypted attachment for a reply not yet posted (vcp).",
    responses=errors(409, 413),
)
async def reserve_reply_attachment(
    org: str,
    report_id: str,
    body: NewReplyAttachment,
    vcp: Principal = Depends(vcp_only),
    runtime: Runtime = Depends(runtime_of),
) -> dict[str, Any]:
    settings = runtime.settings
    now = datetime.now(UTC)
    return await runtime.transact(
        org,
        lambda uow: attachments.reserve_for_reply(
            uow,
            report_id,
            body,
            vcp_id=vcp.sub,
            now=now,
            max_files=settings.attachments_max_files,
            max_bytes=settings.attachments_max_bytes,
            expiry=timedelta(seconds=settings.attachment_expiry_seconds),
        ),
    )


async def _piece(request: Request) -> bytes:
    # Counted while it streams: a piece past PIECE_BYTES is refused before the rest is read.
    data = bytearray()
    async for part in request.stream():
        data += part
        if len(data) > PIECE_BYTES:
            raise AttachmentTooLarge(
                f"A piece of an attachment is at most {PIECE_BYTES} bytes; send it in pieces."
            )
    return bytes(data)


@router.put(
    "/attachments/{attachment_id}/pieces/{piece}",
    summary="Upload the next piece of an attachment's ciphertext, with its upload secret "
    "(anyone holding it).",
    responses=errors(404, 409, 413),
    openapi_extra={"requestBody": {"required": True, **_OCTETS}},
)
async def upload_piece(
    org: str,
    attachment_id: str,
    request: Request,
    # The most pieces the largest size a reservation may state (1 GiB) makes.
    piece: int = Path(ge=0, le=(1 << 30) // PIECE_BYTES),
    upload_secret: str = Header(alias="X-SafeHands-Upload", min_length=1, max_length=100),
    runtime: Runtime = Depends(runtime_of),
    store: AttachmentStore = Depends(attachment_store),
) -> dict[str, Any]:
    data = await _piece(request)
    return await runtime.transact(
        org,
        lambda uow: attachments.put_piece(uow, store, attachment_id, upload_secret, piece, data),
    )


@router.get(
    "/reports/{report_id}/attachments/{attachment_id}",
    summary="An attachment's ciphertext, for the VCPs the report is sealed to (vcp).",
    response_class=StreamingResponse,
    responses={200: _OCTETS, **errors(404)},
)
async def download_attachment(
    org: str,
    report_id: str,
    attachment_id: str,
    vcp: Principal = Depends(vcp_only),
    runtime: Runtime = Depends(runtime_of),
    store: AttachmentStore = Depends(attachment_store),
) -> StreamingResponse:
    await queries.readable_report(runtime.db, org, vcp.sub, report_id)
    return await _ciphertext(runtime, store, org, report_id, attachment_id)


@router.post(
    "/mailbox/attachments/{attachment_id}",
    summary="An attachment of the reporter's case (a VCP's reply's), its ciphertext "
    "(the reporter; rate-limited).",
    dependencies=[Depends(rate_limited("mailbox-attachments"))],
    response_class=StreamingResponse,
    responses={200: _OCTETS, **errors(404)},
)
async def download_mailbox_attachment(
    org: str,
    attachment_id: str,
    body: MailboxAccess,
    runtime: Runtime = Depends(runtime_of),
    store: AttachmentStore = Depends(attachment_store),
) -> StreamingResponse:
    report = await queries.mailbox_report(runtime.db, org, body.secret, {"report_id": 1})
    if report is None:
        raise NoSuchReport(NO_SUCH_MAILBOX)
    return await _ciphertext(runtime, store, org, report["report_id"], attachment_id)


async def _ciphertext(
    runtime: Runtime, store: AttachmentStore, org: str, report_id: str, attachment_id: str
) -> StreamingResponse:
    """The ciphertext of one of the report's attachments, uploaded in full; 404 otherwise."""
    found = await queries.uploaded_attachment(runtime.db, org, report_id, attachment_id)
    if found is None:
        raise no_such_attachment(attachment_id)
    pieces = found["next_piece"]
    # The first piece before the answer starts: a store that is away answers 503, not a
    # download that breaks off.
    first = await queries.attachment_piece(runtime.db, org, attachment_id, 0)
    if first is None:
        raise no_such_attachment(attachment_id)
    head = await store.get(first)

    async def ciphertext() -> AsyncIterator[bytes]:
        yield head
        # One piece at a time: a 20 MiB file never sits in memory whole.
        for n in range(1, pieces):
            chunk = await queries.attachment_piece(runtime.db, org, attachment_id, n)
            if chunk is None:  # deleted meanwhile (retention): end short, the tags refuse it
                return
            yield await store.get(chunk)

    return StreamingResponse(
        ciphertext(),
        media_type="application/octet-stream",
        headers={"Content-Length": str(found["size"]), "Cache-Control": "no-store"},
    )
