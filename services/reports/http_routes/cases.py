"""A VCP's side of a case: inbox, the encrypted report and conversation, replies, status,
and handing the case to another VCP (services/reports/use_cases/cases.py decides)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Depends, status

from services.reports.appointments import require_vcp_with_key
from services.reports.case_documents import (
    case_members,
    case_summary,
    is_unread,
    keys_held_by,
    message_view,
    sealed_to_any,
)
from services.reports.storage import CASE_READS, MESSAGES, REPORTS, VCP_KEY_HISTORY, VCPS
from services.reports.use_cases import cases
from services.reports.use_cases.cases import KeyShare, NewMessage, StatusChange, no_such_report
from shared.auth.tokens import Principal
from shared.http.openapi import errors
from shared.runtime.runtime import Runtime, runtime_of

router = APIRouter(prefix="/v1/orgs/{org}/reports", tags=["cases (VCP)"])
vcp_only = require_vcp_with_key()


async def _readable_by(runtime: Runtime, org: str, vcp_id: str) -> dict[str, Any]:
    """Only the VCPs a report is sealed to see it; to the others it does not exist (404)."""
    held = await keys_held_by(
        vcp_id,
        runtime.db.tenant_collection(org, VCP_KEY_HISTORY),
        runtime.db.tenant_collection(org, VCPS),
    )
    return sealed_to_any(held)


async def readable_report(
    runtime: Runtime, org: str, vcp_id: str, report_id: str
) -> dict[str, Any]:
    """The report, if it is sealed to a key `vcp_id` ever held; 404 to anyone else."""
    query = {**await _readable_by(runtime, org, vcp_id), "report_id": report_id}
    report = await runtime.db.tenant_collection(org, REPORTS).find_one(query)
    if report is None:
        raise no_such_report(report_id)
    return report


@router.get("", summary="The reports sealed to the VCP, overdue ones first (vcp).")
async def list_reports(
    org: str,
    vcp: Principal = Depends(vcp_only),
    runtime: Runtime = Depends(runtime_of),
) -> list[dict[str, Any]]:
    return await inbox_rows(runtime, org, vcp.sub, datetime.now(UTC))


async def inbox_rows(
    runtime: Runtime, org: str, vcp_id: str, now: datetime
) -> list[dict[str, Any]]:
    """The VCP's inbox in `org`: the reports sealed to a key they held, overdue first.
    Also the rows of one organisation in the grouped inbox (http_routes/vcp_cases.py)."""
    reports = await runtime.db.tenant_collection(org, REPORTS).find(
        await _readable_by(runtime, org, vcp_id),
        projection={"envelope": 0, "reply_key": 0, "mailbox_lookup": 0},
    )
    reads = await runtime.db.tenant_collection(org, CASE_READS).find({"vcp_id": vcp_id})
    read_at = {read["report_id"]: read["at"] for read in reads}
    rows = [
        {**case_summary(report, now), "unread": is_unread(report, read_at.get(report["report_id"]))}
        for report in reports
    ]
    far_future = datetime.max.replace(tzinfo=UTC)
    rows.sort(key=lambda r: (not r["overdue"], r["next_deadline"] or far_future, r["received_at"]))
    return rows


@router.get("/{report_id}", summary="One report, still encrypted, with its conversation (vcp).")
async def get_report(
    org: str,
    report_id: str,
    vcp: Principal = Depends(vcp_only),
    runtime: Runtime = Depends(runtime_of),
) -> dict[str, Any]:
    # Taken before reading: a reporter's message that lands meanwhile stays unread.
    opened_at = datetime.now(UTC)
    report = await readable_report(runtime, org, vcp.sub, report_id)
    messages = await runtime.db.tenant_collection(org, MESSAGES).find(
        {"report_id": report_id}, sort=[("at", 1), ("message_id", 1)]
    )
    # Opened: read up to now, for this VCP (not an action on the case, so not audited).
    await runtime.db.tenant_collection(org, CASE_READS).update_one(
        {"vcp_id": vcp.sub, "report_id": report_id}, {"$max": {"at": opened_at}}, upsert=True
    )
    members = await case_members(
        report,
        runtime.db.tenant_collection(org, VCP_KEY_HISTORY),
        runtime.db.tenant_collection(org, VCPS),
    )
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
