"""The outbox of mails: a mail is recorded in the same transaction as the event that causes
it, under a unique (event id, recipient, kind) key, and the mail worker sends it later.

A redelivered event finds its mails recorded already (the upsert changes nothing), and two
notify instances share one collection, so no mail is recorded — or sent — twice.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime

from services.notify.domain.mail_facts import MailAddressing, MailFacts
from services.notify.domain.mail_planning import (
    PlannedMail,
    plan_event_mails,
    plan_owed_colleague_mails,
)
from services.notify.domain.recipients import mail_routes_for
from services.notify.read_model import load_facts
from services.notify.storage import MAILS
from shared import trace_context
from shared.events import Event
from shared.events.reports import VCPAppointed
from shared.logs import get_logger
from shared.storage.tenancy import Document
from shared.storage.unit_of_work import UnitOfWork

log = get_logger(__name__)

PENDING = "pending"
SENDING = "sending"
SENT = "sent"
FAILED = "failed"


async def record_event_mails(event: Event, uow: UnitOfWork, addressing: MailAddressing) -> None:
    routes = mail_routes_for(event)
    if not routes:
        return
    # Not every event is about a volunteer; those that are name them in `volunteer_id`.
    volunteer_id = getattr(event, "volunteer_id", None)
    facts = await load_facts(
        uow,
        {route.recipient for route in routes},
        volunteer_id,
        addressing,
        invitee_ids=getattr(event, "invitee_ids", ()),
    )
    occurred_at = uow.causation.time if uow.causation else None
    plan = plan_event_mails(event, facts, occurred_at)
    for problem in plan.problems:
        # The problem names a mail kind and a missing fact, never a person or content.
        log.warning("mail not sent", problem=problem)
    await record_mails(uow, plan.mails, uow.causation_id or "", volunteer_id)
    if isinstance(event, VCPAppointed):
        await record_owed_colleague_mails(uow, event.vcp_id, facts)


async def record_owed_colleague_mails(uow: UnitOfWork, vcp_id: str, facts: MailFacts) -> None:
    """The mails about colleagues that the VCP did not get when their events were read
    (domain/mail_planning.py), each under its cause's event id, so never a second copy."""
    for owed in plan_owed_colleague_mails(vcp_id, facts):
        await record_mails(uow, [owed.mail], owed.cause_event_id, None)


async def record_mails(
    uow: UnitOfWork, mails: Iterable[PlannedMail], event_id: str, volunteer_id: str | None
) -> None:
    for query, update in mail_upserts(mails, event_id, volunteer_id):
        await uow.collection(MAILS).update_one(query, update, upsert=True)
        uow.wake_after_commit(MAILS)


def mail_upserts(
    mails: Iterable[PlannedMail], event_id: str, volunteer_id: str | None
) -> list[tuple[Document, Document]]:
    """(filter, update) of each mail's upsert: recorded once per (event, recipient, kind)."""
    now = datetime.now(UTC)
    return [
        (
            {"event_id": event_id, "to": mail.to, "kind": str(mail.kind)},
            {
                "$setOnInsert": {
                    "_id": str(uuid.uuid4()),
                    "recipient_role": str(mail.recipient_role),
                    "subject": mail.subject,
                    "text": mail.text,
                    "volunteer_id": volunteer_id,
                    "status": PENDING,
                    "attempts": 0,
                    "next_attempt_at": now,
                    "created_at": now,
                    # The mail worker sends it in the trace of the event it is about.
                    **trace_context.current(),
                }
            },
        )
        for mail in mails
    ]
