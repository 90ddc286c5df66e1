"""A VCP's side of a case: inbox, the encrypted report and conversation, replies, status,
and handing the case to another VCP."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, HTTPException, status
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from services.reports.appointments import require_vcp_with_key
from services.reports.case_documents import (
    case_summary,
    load_case_settings,
    message_view,
    recipient_ids,
    vcp_fingerprints,
    with_next_check,
)
from services.reports.domain.retention import delete_after
from services.reports.domain.workflow import (
    CaseStatus,
    InvalidTransition,
    check_transition,
)
from services.reports.http_routes.conversation import (
    CHANGED_MEANWHILE,
    add_message,
    check_message_envelope,
    check_open,
)
from services.reports.storage import CASE_SETTINGS, MESSAGES, REPORTS, VCPS, VCPS_AWAITING_KEY
from shared.auth.tokens import Principal
from shared.crypto import Envelope, PublicKey, Recipient
from shared.events.reports import (
    ReportAcknowledged,
    ReportClosed,
    ReportKeyShared,
    ReportStatusChanged,
)
from shared.http.openapi import errors
from shared.runtime.runtime import Runtime, runtime_of
from shared.storage.tenancy import Document
from shared.storage.unit_of_work import UnitOfWork

router = APIRouter(prefix="/v1/orgs/{org}/reports", tags=["cases (VCP)"])
vcp_only = require_vcp_with_key()


def _not_found(report_id: str) -> HTTPException:
    return HTTPException(status.HTTP_404_NOT_FOUND, f"There is no report {report_id}.")


async def _report(uow: UnitOfWork, report_id: str) -> Document:
    report = await uow.collection(REPORTS).find_one({"report_id": report_id})
    if report is None:
        raise _not_found(report_id)
    return report


@router.get("", summary="The organisation's reports, overdue ones first (vcp).")
async def list_reports(
    org: str,
    _vcp: Principal = Depends(vcp_only),
    runtime: Runtime = Depends(runtime_of),
) -> list[dict[str, Any]]:
    now = datetime.now(UTC)
    reports = await runtime.db.tenant_collection(org, REPORTS).find(
        {}, projection={"envelope": 0, "reply_key": 0, "mailbox_lookup": 0}
    )
    rows = [case_summary(report, now) for report in reports]
    far_future = datetime.max.replace(tzinfo=UTC)
    rows.sort(key=lambda r: (not r["overdue"], r["next_deadline"] or far_future, r["received_at"]))
    return rows


@router.get("/{report_id}", summary="One report, still encrypted, with its conversation (vcp).")
async def get_report(
    org: str,
    report_id: str,
    _vcp: Principal = Depends(vcp_only),
    runtime: Runtime = Depends(runtime_of),
) -> dict[str, Any]:
    report = await runtime.db.tenant_collection(org, REPORTS).find_one({"report_id": report_id})
    if report is None:
        raise _not_found(report_id)
    messages = await runtime.db.tenant_collection(org, MESSAGES).find(
        {"report_id": report_id}, sort=[("at", 1), ("message_id", 1)]
    )
    return {
        **case_summary(report, datetime.now(UTC)),
        "envelope": report["envelope"],
        # The VCP's client seals replies to this key (as well as to every VCP key).
        "reply_key": report["reply_key"],
        "messages": [message_view(m, with_author=True) for m in messages],
    }


class NewMessage(BaseModel):
    model_config = ConfigDict(extra="forbid")

    message_id: UUID
    envelope: Envelope


@router.post(
    "/{report_id}/messages",
    status_code=status.HTTP_201_CREATED,
    summary="Reply to the reporter, sealed to their reply key and every VCP key (vcp).",
    responses=errors(409),
)
async def post_message(
    org: str,
    report_id: str,
    body: NewMessage,
    vcp: Principal = Depends(vcp_only),
    runtime: Runtime = Depends(runtime_of),
) -> dict[str, str]:
    message_id = str(body.message_id)

    async def work(uow: UnitOfWork) -> dict[str, str]:
        report = await _report(uow, report_id)
        check_open(report)
        reply_key = PublicKey.model_validate(report["reply_key"])
        expected = await vcp_fingerprints(uow.collection(VCPS)) | {reply_key.fingerprint()}
        check_message_envelope(
            body.envelope, report, expected, "the reporter's reply key and every VCP key"
        )
        await add_message(
            uow,
            report,
            message_id=message_id,
            sender="vcp",
            envelope=body.envelope,
            at=datetime.now(UTC),
            vcp_id=vcp.sub,
        )
        return {"message_id": message_id}

    # Lost a write conflict to a concurrent request: run again from the start.
    return await runtime.transact(org, work)


class StatusChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: Literal["acknowledged", "in_progress", "closed"]


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
    target, now = CaseStatus(body.status), datetime.now(UTC)

    async def work(uow: UnitOfWork) -> dict[str, Any]:
        report = await _report(uow, report_id)
        current = CaseStatus(report["status"])
        try:
            check_transition(current, target)
        except InvalidTransition as exc:
            raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from None
        fields: Document = {"status": target.value}
        if target == CaseStatus.ACKNOWLEDGED:
            fields["acknowledged_at"] = now
        if target == CaseStatus.CLOSED:
            settings = await load_case_settings(uow.collection(CASE_SETTINGS))
            fields["closed_at"] = now
            fields["delete_after"] = delete_after(now, settings.retention_months)
        fields = with_next_check(fields, report)
        updated = await uow.collection(REPORTS).update_one(
            {"report_id": report_id, "status": current.value}, {"$set": fields}
        )
        if updated.matched_count != 1:
            raise HTTPException(status.HTTP_409_CONFLICT, CHANGED_MEANWHILE)
        uow.publish(
            ReportStatusChanged(
                org_id=org,
                report_id=report_id,
                status=target.value,
                previous_status=current.value,
                changed_at=now,
            )
        )
        if target == CaseStatus.ACKNOWLEDGED:
            uow.publish(
                ReportAcknowledged(
                    org_id=org, report_id=report_id, vcp_id=vcp.sub, acknowledged_at=now
                )
            )
        if target == CaseStatus.CLOSED:
            uow.publish(ReportClosed(org_id=org, report_id=report_id, closed_at=now))
        return case_summary({**report, **fields}, now)

    # Lost a write conflict to a concurrent request: run again from the start.
    return await runtime.transact(org, work)


class KeyShare(BaseModel):
    """The content keys of a report and its messages, re-sealed to another VCP."""

    model_config = ConfigDict(extra="forbid")

    vcp_id: str = Field(min_length=1, max_length=100)
    # Left out when the report is already sealed to that VCP (a repeated or partial share).
    report: Recipient | None = None
    # message_id → the message's content key sealed to that VCP.
    messages: dict[str, Recipient] = Field(default_factory=dict, max_length=10_000)


def _add_recipient(envelope: Document, recipient: Recipient, what: str) -> Document:
    try:
        return Envelope.model_validate(envelope).with_recipient(recipient).model_dump()
    except ValidationError as exc:
        problem = exc.errors()[0]["msg"] if exc.errors() else "invalid"
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            f"The sealed key for {what} is invalid: {problem}.",
        ) from None


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
    async def work(uow: UnitOfWork) -> dict[str, Any]:
        report = await _report(uow, report_id)
        target = await uow.collection(VCPS).find_one({"vcp_id": body.vcp_id})
        if target is None and await uow.collection(VCPS_AWAITING_KEY).find_one(
            {"vcp_id": body.vcp_id}
        ):
            raise HTTPException(
                status.HTTP_409_CONFLICT,
                f"VCP {body.vcp_id} has not set a key yet: share the case once they have.",
            )
        if target is None:
            raise HTTPException(
                status.HTTP_422_UNPROCESSABLE_CONTENT,
                f"There is no VCP {body.vcp_id} in this organisation.",
            )
        key_id = target["fingerprint"]
        given = [body.report] if body.report else []
        if any(r.key_id != key_id for r in (*given, *body.messages.values())):
            raise HTTPException(
                status.HTTP_422_UNPROCESSABLE_CONTENT,
                f"Every sealed key must be for VCP {body.vcp_id}'s key {key_id}.",
            )
        messages = await uow.collection(MESSAGES).find(
            {"report_id": report_id}, projection={"message_id": 1, "envelope": 1}
        )
        unknown = set(body.messages) - {m["message_id"] for m in messages}
        if unknown:
            raise HTTPException(
                status.HTTP_422_UNPROCESSABLE_CONTENT,
                f"The report has no message {sorted(unknown)[0]}.",
            )

        updates: list[tuple[str, Document, Document]] = []  # (collection, filter, envelope)
        if key_id not in recipient_ids(report["envelope"]):
            if body.report is None:
                raise HTTPException(
                    status.HTTP_422_UNPROCESSABLE_CONTENT,
                    "The report's own content key, sealed to the new VCP, is missing.",
                )
            envelope = _add_recipient(report["envelope"], body.report, "the report")
            updates.append((REPORTS, {"report_id": report_id}, envelope))
        for message in messages:
            if key_id in recipient_ids(message["envelope"]):
                continue
            recipient = body.messages.get(message["message_id"])
            if recipient is None:
                raise HTTPException(
                    status.HTTP_409_CONFLICT,
                    "The conversation has messages this hand-over does not cover; "
                    "fetch the report again and share it anew.",
                )
            what = f"message {message['message_id']}"
            envelope = _add_recipient(message["envelope"], recipient, what)
            updates.append((MESSAGES, {"message_id": message["message_id"]}, envelope))

        for collection, query, envelope in updates:
            # Only if nobody added a recipient meanwhile: the count is the version.
            count = len(envelope["recipients"]) - 1
            guarded = {**query, "envelope.recipients": {"$size": count}}
            updated = await uow.collection(collection).update_one(
                guarded, {"$set": {"envelope.recipients": envelope["recipients"]}}
            )
            if updated.matched_count != 1:
                raise HTTPException(status.HTTP_409_CONFLICT, CHANGED_MEANWHILE)
        if updates:
            uow.publish(
                ReportKeyShared(
                    org_id=org, report_id=report_id, vcp_id=body.vcp_id, shared_by=vcp.sub
                )
            )
        return {
            "report_id": report_id,
            "vcp_id": body.vcp_id,
            "report_shared": any(collection == REPORTS for collection, _, _ in updates),
            "messages_shared": [q["message_id"] for c, q, _ in updates if c == MESSAGES],
        }

    # Lost a write conflict to a concurrent request: run again from the start.
    return await runtime.transact(org, work)
