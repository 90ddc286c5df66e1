"""The reporter's side of a case, found by the hash of the mailbox secret alone.

The secret is derived from the receipt on the reporter's device; the server stores only
its SHA-256 (`lookup`), so neither a database copy nor the operator can open a mailbox.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from services.reports.case_documents import case_members, vcp_fingerprints
from services.reports.domain.errors import NoSuchReport
from services.reports.storage import REPORTS, VCP_KEY_HISTORY, VCPS
from services.reports.use_cases.conversation import (
    add_message,
    check_message_envelope,
    check_open,
)
from shared.crypto import Envelope
from shared.storage.unit_of_work import UnitOfWork

NO_SUCH_MAILBOX = "No report belongs to this mailbox secret."
SECRET = Field(pattern=r"^[0-9a-fA-F]{64}$", description="The 32-byte mailbox secret, in hex.")


def mailbox_lookup(secret: str) -> str:
    return hashlib.sha256(bytes.fromhex(secret)).hexdigest()


class MailboxAccess(BaseModel):
    model_config = ConfigDict(extra="forbid")

    secret: str = SECRET


class ReporterMessage(BaseModel):
    model_config = ConfigDict(extra="forbid")

    secret: str = SECRET
    message_id: UUID
    envelope: Envelope


async def post_reporter_message(uow: UnitOfWork, message: ReporterMessage, *, at: datetime) -> str:
    """The reporter's answer, sealed to the case's VCPs; returns its id."""
    message_id = str(message.message_id)
    report = await uow.collection(REPORTS).find_one(
        {"mailbox_lookup": mailbox_lookup(message.secret)}
    )
    if report is None:
        raise NoSuchReport(NO_SUCH_MAILBOX)
    check_open(report)
    members = await case_members(report, uow.collection(VCP_KEY_HISTORY), uow.collection(VCPS))
    allowed = await vcp_fingerprints(uow.collection(VCPS))
    check_message_envelope(message.envelope, report, members.keys, allowed)
    await add_message(
        uow,
        report,
        message_id=message_id,
        sender="reporter",
        envelope=message.envelope,
        at=at,
    )
    return message_id
