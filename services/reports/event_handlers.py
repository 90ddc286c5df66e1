"""reports' event handlers: store what intake received, still encrypted."""

from __future__ import annotations

from services.reports.storage import REPORTS
from shared.events.reports import IncidentReported
from shared.messaging.consumer import Handlers
from shared.storage.unit_of_work import UnitOfWork


async def on_incident_reported(event: IncidentReported, uow: UnitOfWork) -> None:
    await uow.collection(REPORTS).update_one(
        {"report_id": event.report_id},
        {
            "$setOnInsert": {
                "envelope": event.envelope,
                "mailbox_lookup": event.mailbox_lookup,
                "reply_key": event.reply_key,
                "received_at": event.received_at,
                "status": "received",
            }
        },
        upsert=True,
    )


HANDLERS: Handlers = {IncidentReported: on_incident_reported}
