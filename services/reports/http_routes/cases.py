"""A VCP's side of a case: inbox, the encrypted report and conversation, replies, status,
and handing the case to another VCP (services/reports/use_cases/cases.py decides)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Depends, status

from services.reports import queries
from services.reports.appointments import require_vcp_with_key
from services.reports.case_documents import (
    case_summary,
    mark_read,
    message_view,
)
from services.reports.use_cases import cases
from services.reports.use_cases.cases import KeyShare, NewMessage, StatusChange
from shared.auth.tokens import Principal
from shared.http.openapi import errors
from shared.runtime.runtime import Runtime, runtime_of

router = APIRouter(prefix="/v1/orgs/{org}/reports", tags=["cases (VCP)"])
vcp_only = require_vcp_with_key()


@router.get("", summary="The reports sealed to the VCP, overdue ones first (vcp).")
async def list_reports(
    org: str,
    vcp: Principal = Depends(vcp_only),
    runtime: Runtime = Depends(runtime_of),
) -> list[dict[str, Any]]:
    return await queries.inbox_rows(runtime.db, org, vcp.sub, datetime.now(UTC))


@router.get("/{report_id}", summary="One report, still encrypted, with its conversation (vcp).")
async def get_report(
    org: str,
    report_id: str,
    vcp: Principal = Depends(vcp_only),
    runtime: Runtime = Depends(runtime_of),
) -> dict[str, Any]:
    # Taken before reading: a reporter's message that lands meanwhile stays unread.
    opened_at = datetime.now(UTC)
    report = await queries.readable_report(runtime.db, org, vcp.sub, report_id)
    messages = await queries.conversation(runtime.db, org, report_id)
    # Opened: read up to now, for this VCP (not an action on the case, so not audited).
    await mark_read(runtime.db, org, vcp.sub, report_id, opened_at)
    members = await queries.members_of(runtime.db, org, report)
    return {
        **case_summary(report, datetime.now(UTC)),
        "envelope": report["envelope"],
        # The VCP's client seals replies to this key and to `case_keys`.
        "reply_key": report["reply_key"],
        # The current keys of the VCPs in the case (whom the reporter chose, and whom it was
        # handed to): the conversation is sealed to these, and to no VCP left out.
        "case_keys": sorted(members.keys),
        "case_vcps": sorted(members.vcp_ids),
        # The VCPs the reporter chose not to write to: the case is never handed to them.
        "left_out": sorted(members.left_out),
        "messages": [message_view(m, with_author=True) for m in messages],
    }


@router.post(
    "/{report_id}/messages",
    status_code=status.HTTP_201_CREATED,
    summary="Reply to the reporter, sealed to their reply key and the case's VCPs (vcp).",
    responses=errors(409),
)
async def post_message(
    org: str,
    report_id: str,
    body: NewMessage,
    vcp: Principal = Depends(vcp_only),
    runtime: Runtime = Depends(runtime_of),
) -> dict[str, str]:
    # Lost a write conflict to a concurrent request: run again from the start.
    message_id = await runtime.transact(
        org,
        lambda uow: cases.post_message(uow, report_id, body, vcp_id=vcp.sub, at=datetime.now(UTC)),
    )
    return {"message_id": message_id}


@router.post(
    "/{report_id}/status", summary="Move the case to its next step (vcp).", responses=errors(409)
)
async def change_status(
    org: str,
    report_id: str,
    body: StatusChange,
    vcp: Principal = Depends(vcp_only),
    runtime: Runtime = Depends(runtime_of),
) -> dict[str, Any]:
    now = datetime.now(UTC)
    # Lost a write conflict to a concurrent request: run again from the start.
    return await runtime.transact(
        org, lambda uow: cases.change_status(uow, report_id, body, vcp_id=vcp.sub, now=now)
    )


@router.post(
    "/{report_id}/keys",
    status_code=status.HTTP_201_CREATED,
    summary="Hand the case to another VCP: add their sealed content keys (vcp).",
    responses=errors(409),
)
async def share_keys(
    org: str,
    report_id: str,
    body: KeyShare,
    vcp: Principal = Depends(vcp_only),
    runtime: Runtime = Depends(runtime_of),
) -> dict[str, Any]:
    # Lost a write conflict to a concurrent request: run again from the start.
    return await runtime.transact(
        org, lambda uow: cases.share_keys(uow, report_id, body, shared_by=vcp.sub)
    )
