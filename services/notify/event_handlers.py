"""notify's event handlers: decide who hears of an event, record it, hand it to delivery."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from services.notify.storage import NOTIFICATIONS
from shared.events.admission import VolunteerApplied
from shared.events.notifications import NotificationSent
from shared.messaging.consumer import Handlers
from shared.storage.unit_of_work import UnitOfWork


async def on_volunteer_applied(event: VolunteerApplied, uow: UnitOfWork) -> None:
    notification_id = str(uuid.uuid4())
    now = datetime.now(UTC)
    await uow.collection(NOTIFICATIONS).insert_one(
        {
            "notification_id": notification_id,
            "kind": "application_received",
            "recipient_role": "applicant",
            "to": event.email,
            "caused_by_event_id": uow.causation_id,
            "created_at": now,
        }
    )
    uow.publish(
        NotificationSent(
            org_id=event.org_id,
            notification_id=notification_id,
            kind="application_received",
            recipient_role="applicant",
            caused_by_event_id=uow.causation_id or "",
            sent_at=now,
        )
    )


HANDLERS: Handlers = {VolunteerApplied: on_volunteer_applied}
