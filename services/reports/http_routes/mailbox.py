"""The reporter's side: their mailbox, found by the hash of the mailbox secret alone.

The secret is derived from the receipt on the reporter's device; the server stores only
its SHA-256 (`lookup`), so neither a database copy nor the operator can open a mailbox.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Depends, HTTPException, status
from pydantic import BaseModel, ConfigDict, Field

from services.reports.case_documents import message_view, vcp_fingerprints
from services.reports.http_routes.conversation import (
    add_message,
    check_message_envelope,
    check_open,
)
from services.reports.storage import MESSAGES, REPORTS, VCPS
from shared.crypto import Envelope
from shared.http.openapi import errors
from shared.runtime.rate_limit import rate_limited
from shared.runtime.runtime import Runtime, runtime_of
from shared.storage.unit_of_work import UnitOfWork

router = APIRouter(prefix="/v1/orgs/{org}/mailbox", tags=["mailbox (reporter)"])

NO_SUCH_MAILBOX = "No report belongs to this mailbox secret."
SECRET = Field(pattern=r"^[0-9a-fA-F]{64}$", description="The 32-byte mailbox secret, in hex.")


def _lookup(secret: str) -> str:
    return hashlib.sha256(bytes.fromhex(secret)).hexdigest()


class MailboxAccess(BaseModel):
    model_config = ConfigDict(extra="forbid")

    secret: str = SECRET


class ReporterMessage(BaseModel):
    model_config = ConfigDict(extra="forbid")

    secret: str = SECRET
    message_id: UUID
    envelope: Envelope


@router.post(
    "",
    summary="The reporter's report status and conversation (the reporter; rate-limited).",
    dependencies=[Depends(rate_limited("mailbox"))],
    responses=errors(404),
)
async def open_mailbox(
    org: str, body: MailboxAccess, runtime: Runtime = Depends(runtime_of)
) -> dict[str, Any]:
    report = await runtime.db.tenant_collection(org, REPORTS).find_one(
        {"mailbox_lookup": _lookup(body.secret)},
        projection={"report_id": 1, "status": 1, "acknowledge_by": 1, "feedback_by": 1},
    )
    if report is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, NO_SUCH_MAILBOX)
    messages = await runtime.db.tenant_collection(org, MESSAGES).find(
        {"report_id": report["report_id"]}, sort=[("at", 1), ("message_id", 1)]
    )
    return {
        "report_id": report["report_id"],
        "status": report["status"],
        # The deadlines are the reporter's too: they see by when the VCP must answer.
        "acknowledge_by": report["acknowledge_by"],
        "feedback_by": report["feedback_by"],
        "messages": [message_view(m) for m in messages],
    }


@router.post(
    "/messages",
    status_code=status.HTTP_201_CREATED,
    summary="Answer the VCP, sealed to every VCP key (the reporter; rate-limited).",
    dependencies=[Depends(rate_limited("mailbox-messages"))],
    responses=errors(404, 409),
)
async def post_reporter_message(
    org: str, body: ReporterMessage, runtime: Runtime = Depends(runtime_of)
) -> dict[str, str]:
    message_id = str(body.message_id)

    async def work(uow: UnitOfWork) -> dict[str, str]:
        report = await uow.collection(REPORTS).find_one({"mailbox_lookup": _lookup(body.secret)})
        if report is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, NO_SUCH_MAILBOX)
        check_open(report)
        expected = await vcp_fingerprints(uow.collection(VCPS))
        check_message_envelope(body.envelope, report, expected, "every VCP key")
        await add_message(
            uow,
            report,
            message_id=message_id,
            sender="reporter",
            envelope=body.envelope,
            at=datetime.now(UTC),
        )
        return {"message_id": message_id}

    # Lost a write conflict to a concurrent request: run again from the start.
    return await runtime.transact(org, work)
