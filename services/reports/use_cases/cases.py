"""A VCP's work on a case: replies, status, and handing the case to another VCP."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from services.reports.case_documents import (
    case_members,
    case_summary,
    keys_held_by,
    load_case_settings,
    recipient_ids,
    sealed_to_any,
    vcp_fingerprints,
    with_next_check,
)
from services.reports.domain.errors import (
    ChangedMeanwhile,
    HandOverNotPossible,
    InvalidSealing,
    NoSuchReport,
    NotInThisCase,
)
from services.reports.domain.retention import delete_after
from services.reports.domain.workflow import CaseStatus, check_transition
from services.reports.storage import (
    CASE_SETTINGS,
    MESSAGES,
    REPORTS,
    VCP_KEY_HISTORY,
    VCPS,
    VCPS_AWAITING_KEY,
)
from services.reports.use_cases.conversation import (
    add_message,
    check_message_envelope,
    check_open,
)
from shared import audit
from shared.crypto import Envelope, PublicKey, Recipient
from shared.crypto.signing import Signature
from shared.events.reports import (
    ReportAcknowledged,
    ReportClosed,
    ReportKeyShared,
    ReportStatusChanged,
)
from shared.storage.tenancy import Document
from shared.storage.unit_of_work import UnitOfWork


class NewMessage(BaseModel):
    model_config = ConfigDict(extra="forbid")

    message_id: UUID
    envelope: Envelope
    # Ed25519 over shared/crypto/signing.signed_text, by the VCP's signing key (docs/api.md,
    # "Signed VCP messages"); the reporter's client checks it, the server only stores it.
    signature: Signature | None = None
    # The signer, if the client names it: it must be the VCP posting (the default).
    signed_by: str | None = Field(default=None, max_length=100)


class StatusChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: Literal["acknowledged", "in_progress", "closed"]


class KeyShare(BaseModel):
    """The content keys of a report and its messages, re-sealed to another VCP."""

    model_config = ConfigDict(extra="forbid")

    vcp_id: str = Field(min_length=1, max_length=100)
    # Left out when the report is already sealed to that VCP (a repeated or partial share).
    report: Recipient | None = None
    # message_id → the message's content key sealed to that VCP.
    messages: dict[str, Recipient] = Field(default_factory=dict, max_length=10_000)


def no_such_report(report_id: str) -> NoSuchReport:
    return NoSuchReport(f"There is no report {report_id}.")


async def readable_by(uow: UnitOfWork, vcp_id: str) -> Document:
    """The query for the reports `vcp_id` may see: those sealed to a key of theirs."""
    held = await keys_held_by(vcp_id, uow.collection(VCP_KEY_HISTORY), uow.collection(VCPS))
    return sealed_to_any(held)


async def load_report(uow: UnitOfWork, report_id: str, vcp_id: str) -> Document:
    """The report, if it is sealed to a key of `vcp_id`; to anyone else it does not exist."""
    query = {**await readable_by(uow, vcp_id), "report_id": report_id}
    report = await uow.collection(REPORTS).find_one(query)
    if report is None:
        raise no_such_report(report_id)
    return report


async def post_message(
    uow: UnitOfWork, report_id: str, message: NewMessage, *, vcp_id: str, at: datetime
) -> str:
    """A VCP's reply, sealed to the reporter's reply key and the case's VCPs; returns its id."""
    message_id = str(message.message_id)
    if message.signed_by is not None and message.signed_by != vcp_id:
        raise InvalidSealing("signed_by must be the VCP who posts the message.")
    report = await load_report(uow, report_id, vcp_id)
    check_open(report)
    reply_key = {PublicKey.model_validate(report["reply_key"]).fingerprint()}
    members = await case_members(report, uow.collection(VCP_KEY_HISTORY), uow.collection(VCPS))
    allowed = await vcp_fingerprints(uow.collection(VCPS))
    check_message_envelope(message.envelope, report, members.keys | reply_key, allowed | reply_key)
    await add_message(
        uow,
        report,
        message_id=message_id,
        sender="vcp",
        envelope=message.envelope,
        at=at,
        vcp_id=vcp_id,
        signature=message.signature,
    )
    return message_id


async def change_status(
    uow: UnitOfWork, report_id: str, change: StatusChange, *, vcp_id: str, now: datetime
) -> dict[str, Any]:
    """Move the case to its next step; returns its summary as it is now."""
    target = CaseStatus(change.status)
    report = await load_report(uow, report_id, vcp_id)
    current = CaseStatus(report["status"])
    check_transition(current, target)
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
        raise ChangedMeanwhile()
    org = uow.org_id
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
            ReportAcknowledged(org_id=org, report_id=report_id, vcp_id=vcp_id, acknowledged_at=now)
        )
    if target == CaseStatus.CLOSED:
        uow.publish(ReportClosed(org_id=org, report_id=report_id, closed_at=now))
    return case_summary({**report, **fields}, now)


def _add_recipient(envelope: Document, recipient: Recipient, what: str) -> Document:
    try:
        return Envelope.model_validate(envelope).with_recipient(recipient).model_dump()
    except ValidationError as exc:
        problem = exc.errors()[0]["msg"] if exc.errors() else "invalid"
        raise InvalidSealing(f"The sealed key for {what} is invalid: {problem}.") from None


async def share_keys(
    uow: UnitOfWork, report_id: str, share: KeyShare, *, shared_by: str
) -> dict[str, Any]:
    """Hand the case to another VCP: add their sealed content keys to the report and to
    every message not yet sealed to them."""
    report = await load_report(uow, report_id, shared_by)
    target = await uow.collection(VCPS).find_one({"vcp_id": share.vcp_id})
    if target is None and await uow.collection(VCPS_AWAITING_KEY).find_one(
        {"vcp_id": share.vcp_id}
    ):
        raise HandOverNotPossible(
            f"VCP {share.vcp_id} has not set a key yet: share the case once they have."
        )
    if target is None:
        raise NotInThisCase(f"There is no VCP {share.vcp_id} in this organisation.")
    members = await case_members(report, uow.collection(VCP_KEY_HISTORY), uow.collection(VCPS))
    if share.vcp_id in members.left_out:
        # The reporter's choice holds for the whole case: they may have left this VCP out
        # because they are close to the person reported.
        raise HandOverNotPossible(
            f"The reporter chose not to send this report to VCP {share.vcp_id}: "
            "the case cannot be handed to them."
        )
    key_id = target["fingerprint"]
    given = [share.report] if share.report else []
    if any(r.key_id != key_id for r in (*given, *share.messages.values())):
        raise InvalidSealing(f"Every sealed key must be for VCP {share.vcp_id}'s key {key_id}.")
    messages = await uow.collection(MESSAGES).find(
        {"report_id": report_id}, projection={"message_id": 1, "envelope": 1}
    )
    unknown = set(share.messages) - {m["message_id"] for m in messages}
    if unknown:
        raise NotInThisCase(f"The report has no message {sorted(unknown)[0]}.")

    updates: list[tuple[str, Document, Document]] = []  # (collection, filter, envelope)
    if key_id not in recipient_ids(report["envelope"]):
        if share.report is None:
            raise InvalidSealing("The report's own content key, sealed to the new VCP, is missing.")
        envelope = _add_recipient(report["envelope"], share.report, "the report")
        updates.append((REPORTS, {"report_id": report_id}, envelope))
    for message in messages:
        if key_id in recipient_ids(message["envelope"]):
            continue
        recipient = share.messages.get(message["message_id"])
        if recipient is None:
            raise HandOverNotPossible(
                "The conversation has messages this hand-over does not cover; "
                "fetch the report again and share it anew."
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
            raise ChangedMeanwhile()
    if updates:
        # Names the VCP who received the case, not the report: admins read this log.
        await audit.record(uow, "vcp.case_handed_over", "vcp", share.vcp_id)
        uow.publish(
            ReportKeyShared(
                org_id=uow.org_id, report_id=report_id, vcp_id=share.vcp_id, shared_by=shared_by
            )
        )
    return {
        "report_id": report_id,
        "vcp_id": share.vcp_id,
        "report_shared": any(collection == REPORTS for collection, _, _ in updates),
        "messages_shared": [q["message_id"] for c, q, _ in updates if c == MESSAGES],
    }
