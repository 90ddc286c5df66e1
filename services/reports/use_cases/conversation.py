"""Adding a message to a case's conversation, the same for the VCP and the reporter.

The server cannot read a message; it checks what it can without a key (suite and
recipients) and keeps the conversation closed once the case is.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Literal

from pymongo.errors import DuplicateKeyError

from services.reports.case_documents import with_next_check
from services.reports.domain.deadlines import gives_feedback
from services.reports.domain.errors import (
    AlreadyExists,
    CaseClosed,
    ChangedMeanwhile,
    InvalidSealing,
)
from services.reports.domain.recipients import recipients_problem
from services.reports.domain.workflow import CaseStatus, accepts_messages
from services.reports.storage import MESSAGES, REPORTS
from shared.crypto import Envelope
from shared.events.reports import ReportMessagePosted
from shared.storage.tenancy import Document
from shared.storage.unit_of_work import UnitOfWork


def check_open(report: Document) -> CaseStatus:
    """The case's status; CaseClosed once it is closed, when nobody adds to the conversation."""
    case_status = CaseStatus(report["status"])
    if not accepts_messages(case_status):
        raise CaseClosed("The report is closed.")
    return case_status


def check_message_envelope(
    envelope: Envelope, report: Mapping[str, Any], required: set[str], allowed: set[str]
) -> None:
    """InvalidSealing unless `envelope` uses the report's suite and is sealed to every key in
    `required` (the case's VCPs, plus the reply key for a VCP's reply) and to nothing outside
    `allowed` (domain/recipients.py)."""
    suite = report["envelope"]["suite"]
    if envelope.suite != suite:
        raise InvalidSealing(f"The envelope must use the report's suite {suite}.")
    problem = recipients_problem({r.key_id for r in envelope.recipients}, required, allowed)
    if problem:
        raise InvalidSealing(
            f"The message {problem}: seal it to the keys in the case's case_keys (and a reply "
            "to the reporter's reply key)."
        )


async def add_message(
    uow: UnitOfWork,
    report: Document,
    *,
    message_id: str,
    sender: Literal["vcp", "reporter"],
    envelope: Envelope,
    at: datetime,
    vcp_id: str | None = None,
    signature: str | None = None,
) -> None:
    """Store the message and announce it (ReportMessagePosted), in the caller's transaction.

    The report is updated on the condition that its status is still the one read, so a
    message and a concurrent status change cannot both win.
    """
    case_status = check_open(report)
    report_id = report["report_id"]
    message: Document = {
        "report_id": report_id,
        "message_id": message_id,
        "from": sender,
        "at": at,
        "envelope": envelope.model_dump(),
    }
    if vcp_id is not None:
        message["vcp_id"] = vcp_id
    if signature is not None:
        message["signature"] = signature
    try:
        await uow.collection(MESSAGES).insert_one(message)
    except DuplicateKeyError:
        raise AlreadyExists(f"A message {message_id} already exists.") from None
    fields: Document = {"last_message_at": at}
    if sender == "reporter":
        # The VCPs' inbox shows the case unread until each opens it again (case_reads).
        fields["reporter_last_at"] = at
    if sender == "vcp" and gives_feedback(case_status):
        fields["feedback_given"] = True
    updated = await uow.collection(REPORTS).update_one(
        {"report_id": report_id, "status": case_status.value},
        {"$set": with_next_check(fields, report)},
    )
    if updated.matched_count != 1:
        raise ChangedMeanwhile()
    uow.publish(
        ReportMessagePosted(
            org_id=uow.org_id,
            report_id=report_id,
            message_id=message_id,
            sender=sender,
            posted_at=at,
        )
    )
