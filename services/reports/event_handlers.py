"""reports' event handlers: store what intake received, still encrypted, as a new case.

A batch of reports reads the organisations' case settings with one query and stores every
new case with one bulk write."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from services.reports.case_documents import case_settings_from, with_next_check
from services.reports.domain.case_settings import CaseSettings
from services.reports.domain.deadlines import Deadline, deadlines_for, moment_of_receipt
from services.reports.domain.workflow import CaseStatus
from services.reports.storage import CASE_SETTINGS, REPORTS
from shared.events.reports import IncidentReported
from shared.messaging.batches import BatchHandler, BatchOutcome, BatchState, EventBatch
from shared.messaging.consumer import Handlers


async def on_incidents_reported(batch: EventBatch, state: BatchState) -> BatchOutcome:
    organisations = {event.org_id for event in batch.events}
    stored = {
        doc["org_id"]: doc for doc in await state.load_organisations(CASE_SETTINGS, organisations)
    }
    outcome = BatchOutcome()
    now = datetime.now(UTC)
    for event in batch.events:
        assert isinstance(event, IncidentReported), "registered for IncidentReported only"
        settings = case_settings_from(stored.get(event.org_id))
        received_at = moment_of_receipt(event.received_at, now)
        # $setOnInsert: a second event for the same report_id (only possible from outside
        # intake, which refuses reused ids) never overwrites the case.
        outcome.update(
            REPORTS,
            event.org_id,
            {"report_id": event.report_id},
            {"$setOnInsert": new_case(event, settings, received_at)},
            upsert=True,
        )
    return outcome


def new_case(
    event: IncidentReported, settings: CaseSettings, received_at: datetime
) -> Mapping[str, Any]:
    """The case as reports keeps it; `received_at` is the moment (moment_of_receipt), where
    the event gives only the day."""
    deadlines = deadlines_for(received_at, settings)
    case = {
        "report_id": event.report_id,
        "envelope": event.envelope,
        "mailbox_lookup": event.mailbox_lookup,
        "reply_key": event.reply_key,
        "received_at": received_at,
        "status": CaseStatus.RECEIVED.value,
        "acknowledge_by": deadlines[Deadline.ACKNOWLEDGE],
        "feedback_by": deadlines[Deadline.FEEDBACK],
        "feedback_given": False,
        "announced": [],
    }
    return with_next_check(case, case)


HANDLERS: Handlers = {IncidentReported: BatchHandler(on_incidents_reported)}
