"""reports' event handlers: store what intake received, still encrypted, as a new case."""

from __future__ import annotations

from services.reports.case_documents import load_case_settings, with_next_check
from services.reports.domain.deadlines import Deadline, deadlines_for
from services.reports.domain.workflow import CaseStatus
from services.reports.storage import CASE_SETTINGS, REPORTS
from shared.events.reports import IncidentReported
from shared.messaging.consumer import Handlers
from shared.storage.unit_of_work import UnitOfWork


async def on_incident_reported(event: IncidentReported, uow: UnitOfWork) -> None:
    settings = await load_case_settings(uow.collection(CASE_SETTINGS))
    deadlines = deadlines_for(event.received_at, settings)
    case = {
        "report_id": event.report_id,
        "envelope": event.envelope,
        "mailbox_lookup": event.mailbox_lookup,
        "reply_key": event.reply_key,
        "received_at": event.received_at,
        "status": CaseStatus.RECEIVED.value,
        "acknowledge_by": deadlines[Deadline.ACKNOWLEDGE],
        "feedback_by": deadlines[Deadline.FEEDBACK],
        "feedback_given": False,
        "announced": [],
    }
    # $setOnInsert: a second event for the same report_id (only possible from outside
    # intake, which refuses reused ids) never overwrites the case.
    await uow.collection(REPORTS).update_one(
        {"report_id": event.report_id},
        {"$setOnInsert": with_next_check(case, case)},
        upsert=True,
    )


HANDLERS: Handlers = {IncidentReported: on_incident_reported}
