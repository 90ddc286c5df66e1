"""The reporter's side: their mailbox, found by the hash of the mailbox secret alone
(services/reports/use_cases/mailbox.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Depends, status

from services.reports import queries
from services.reports.case_documents import message_view
from services.reports.domain.errors import NoSuchReport
from services.reports.use_cases import mailbox
from services.reports.use_cases.mailbox import (
    NO_SUCH_MAILBOX,
    MailboxAccess,
    ReporterMessage,
)
from shared.http.openapi import errors
from shared.runtime.rate_limit import rate_limited
from shared.runtime.runtime import Runtime, runtime_of

router = APIRouter(prefix="/v1/orgs/{org}/mailbox", tags=["mailbox (reporter)"])


@router.post(
    "",
    summary="The reporter's report status and conversation (the reporter; rate-limited).",
    dependencies=[Depends(rate_limited("mailbox"))],
    responses=errors(404),
)
async def open_mailbox(
    org: str, body: MailboxAccess, runtime: Runtime = Depends(runtime_of)
) -> dict[str, Any]:
    report = await queries.mailbox_report(
        runtime.db,
        org,
        body.secret,
        {
            "report_id": 1,
            "status": 1,
            "acknowledge_by": 1,
            "feedback_by": 1,
            "received_at": 1,
            "envelope.recipients.key_id": 1,
        },
    )
    if report is None:
        raise NoSuchReport(NO_SUCH_MAILBOX)
    messages = await queries.conversation(runtime.db, org, report["report_id"])
    members = await queries.members_of(runtime.db, org, report)
    return {
        "report_id": report["report_id"],
        "status": report["status"],
        # The deadlines are the reporter's too: they see by when the VCP must answer.
        "acknowledge_by": report["acknowledge_by"],
        "feedback_by": report["feedback_by"],
        "messages": [message_view(m) for m in messages],
        # The keys of the VCPs in the case (those the reporter chose, and those it was handed
        # to): the reporter's answer is sealed to these.
        "case_keys": sorted(members.keys),
    }


@router.post(
    "/messages",
    status_code=status.HTTP_201_CREATED,
    summary="Answer the VCPs, sealed to the case's VCP keys (the reporter; rate-limited).",
    dependencies=[Depends(rate_limited("mailbox-messages"))],
    responses=errors(404, 409),
)
async def post_reporter_message(
    org: str, body: ReporterMessage, runtime: Runtime = Depends(runtime_of)
) -> dict[str, str]:
    # Lost a write conflict to a concurrent request: run again from the start.
    message_id = await runtime.transact(
        org, lambda uow: mailbox.post_reporter_message(uow, body, at=datetime.now(UTC))
    )
    return {"message_id": message_id}
