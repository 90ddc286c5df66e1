"""Accepting an anonymous, encrypted report.

intake checks what it can without a key — the envelope's shape, its suite, that it is sealed
to some of the organisation's current VCP keys and to nothing else, that the report id and mailbox are new — and
passes the ciphertext on in IncidentReported.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field
from pymongo.errors import DuplicateKeyError

from services.intake.domain.errors import AlreadyRecorded, InvalidSubmission, NoReportRecipient
from services.intake.known_facts import KnownFacts
from services.intake.read_model import current_vcp_keys
from services.intake.storage import RECEIVED_REPORTS
from shared.crypto import Envelope, PublicKey
from shared.events.reports import IncidentReported
from shared.storage.unit_of_work import UnitOfWork


class Mailbox(BaseModel):
    model_config = ConfigDict(extra="forbid")

    lookup: str = Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the mailbox secret.")
    reply_key: PublicKey


class ReportSubmission(BaseModel):
    model_config = ConfigDict(extra="forbid")

    report_id: UUID
    envelope: Envelope
    mailbox: Mailbox


SUBMITTED_BEFORE = (
    "This report or its mailbox was already submitted; start over with a new receipt."
)


class ReportAccepted(BaseModel):
    """The answer to a submitted report: its id, nothing else."""

    report_id: str


async def submit_report(
    uow: UnitOfWork,
    submission: ReportSubmission,
    *,
    received_at: datetime,
    known: KnownFacts | None = None,
) -> str:
    """Check the sealed report, remember its id and mailbox, announce it; returns its id."""
    org = uow.org_id
    report_id = str(submission.report_id)
    envelope = submission.envelope
    chosen = [r.key_id for r in envelope.recipients]
    keys = await current_vcp_keys(uow, known, including=frozenset(chosen))
    if not keys:
        raise NoReportRecipient(
            f"Organisation {org} has no confidential contact person to receive reports."
        )
    suites = set(keys.values())
    if envelope.suite not in suites:
        raise InvalidSubmission(
            f"The envelope must use the suite of the organisation's VCP keys "
            f"({', '.join(sorted(suites))})."
        )
    # The reporter may leave a VCP out (one they write about, say), but every recipient must
    # be a current VCP key: a stranger's key would let someone outside the organisation read.
    strangers = sorted(set(chosen) - set(keys))
    if strangers:
        raise InvalidSubmission(
            f"The report is sealed to {strangers[0]}, which is none of the organisation's "
            f"current VCP keys (GET /v1/orgs/{org}/vcp-keys on reports); fetch them again "
            "and re-seal to some or all of them."
        )
    if len(set(chosen)) != len(chosen):
        raise InvalidSubmission("The report names the same VCP key twice among its recipients.")
    if submission.mailbox.reply_key.suite != envelope.suite:
        raise InvalidSubmission("The reply key must use the same suite as the envelope.")
    received = uow.collection(RECEIVED_REPORTS)
    if await received.find_one({"report_id": report_id}) is not None:
        raise AlreadyRecorded(f"A report {report_id} was already submitted.")
    try:
        await received.insert_one(
            {"report_id": report_id, "mailbox_lookup": submission.mailbox.lookup}
        )
    except DuplicateKeyError:
        raise AlreadyRecorded(SUBMITTED_BEFORE) from None
    uow.publish(
        IncidentReported(
            org_id=org,
            report_id=report_id,
            envelope=envelope.model_dump(),
            mailbox_lookup=submission.mailbox.lookup,
            reply_key=submission.mailbox.reply_key.model_dump(),
            received_at=received_at,
        )
    )
    return report_id
