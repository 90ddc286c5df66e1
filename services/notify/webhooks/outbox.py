"""Recording webhook deliveries in the transaction of the event they deliver.

Every active subscription of the event's organisation whose `event_types` name the event
gets one delivery, keyed (webhook id, event id) so that a redelivered event adds none.
The body is fixed now — every retry sends the same bytes — and the webhook worker sends it.

A delivery about a volunteer records their id, so that VolunteerDataErased can take the
body (which may hold their name and e-mail) out of every delivery about them, sent or not.
Delivery records expire (storage.DELIVERY_RECORDS_KEPT) 30 days after the retry window.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime

from services.notify.domain.cloudevent_body import structured_event
from services.notify.domain.webhook_forwarding import (
    forwards_to_organisation,
    forwards_to_subscription,
    webhook_data,
)
from services.notify.storage import DELIVERIES, ORGANISATIONS, REPORT_WEBHOOKS_FIELD, WEBHOOKS
from shared import trace_context
from shared.events import Event
from shared.events.admission import VolunteerDataErased
from shared.events.cloudevents import ReceivedEvent
from shared.storage.tenancy import Document
from shared.storage.unit_of_work import UnitOfWork

PENDING = "pending"
DELIVERING = "delivering"
DELIVERED = "delivered"
FAILED = "failed"
CANCELLED = "cancelled"

ACTIVE = "active"
DISABLED = "disabled"


async def record_webhook_deliveries(event: Event, uow: UnitOfWork) -> None:
    causation = uow.causation
    if causation is None:
        return
    subscriptions = await uow.collection(WEBHOOKS).find(
        {"status": ACTIVE, "event_types": event.type_name}, projection={"webhook_id": 1}
    )
    if not subscriptions:
        return
    forwarded = event.tells_of_a_report() and report_events_forwarded(
        await uow.collection(ORGANISATIONS).find_one()
    )
    for query, update in delivery_upserts(
        event, causation, subscriptions, report_events_forwarded=forwarded
    ):
        await uow.collection(DELIVERIES).update_one(query, update, upsert=True)
        uow.wake_after_commit(DELIVERIES)


def report_events_forwarded(organisation: Document | None) -> bool:
    """The organisation's VCPs' choice (ReportWebhooksSet, read_model.project): off unless
    they turned it on."""
    return bool(organisation and organisation.get(REPORT_WEBHOOKS_FIELD))


def wants(subscription: Document, event: Event) -> bool:
    """An active subscription that names the event's type (as the per-event query asks)."""
    return subscription.get("status") == ACTIVE and event.type_name in subscription.get(
        "event_types", ()
    )


def delivery_upserts(
    event: Event,
    causation: ReceivedEvent,
    subscriptions: Iterable[Document],
    *,
    report_events_forwarded: bool,
) -> list[tuple[Document, Document]]:
    """(filter, update) of each delivery of `event` to the subscriptions that want it; none
    of an event that tells of a report unless the organisation's VCPs let those through."""
    about_a_report = event.tells_of_a_report()
    if not forwards_to_organisation(about_a_report, report_events_forwarded):
        return []
    data = event.model_dump(mode="json")
    targets = [
        sub["webhook_id"]
        for sub in subscriptions
        if forwards_to_subscription(event.type_name, data, sub["webhook_id"])
    ]
    if not targets:
        return []
    body = structured_event(
        event_id=causation.id,
        event_type=event.type_name,
        source=causation.source,
        time=causation.time,
        tenant_id=event.org_id,
        data=webhook_data(event.type_name, data),
    )
    now = datetime.now(UTC)
    volunteer_id = data.get("volunteer_id")
    return [
        (
            {"webhook_id": webhook_id, "event_id": causation.id},
            {
                "$setOnInsert": {
                    "_id": str(uuid.uuid4()),
                    "event_type": event.type_name,
                    **({"volunteer_id": volunteer_id} if volunteer_id else {}),
                    # Its times are shown to the day (http_routes/webhooks.py, deliveries).
                    **({"about_a_report": True} if about_a_report else {}),
                    "body": body.decode(),
                    "status": PENDING,
                    "attempts": [],
                    "next_attempt_at": now,
                    "created_at": now,
                    # The worker delivers it in the trace of the event it carries.
                    **trace_context.current(),
                }
            },
        )
        for webhook_id in targets
    ]


async def erase_volunteer_from_deliveries(event: VolunteerDataErased, uow: UnitOfWork) -> None:
    """Take the bodies out of every delivery about the erased volunteer, and cancel those not
    yet sent: an event that had their name and e-mail must not go out after the erasure.
    The admin's deliveries log (attempts, status codes, times) stays."""
    about_them = {
        "$or": [
            {"volunteer_id": event.volunteer_id},
            # Recorded before deliveries named their volunteer: found in the body.
            {
                "volunteer_id": {"$exists": False},
                "body": {"$regex": re.escape(f'"volunteer_id":{json.dumps(event.volunteer_id)}')},
            },
        ]
    }
    await uow.collection(DELIVERIES).update_many(
        {"$and": [about_them, {"status": {"$in": [PENDING, DELIVERING]}}]},
        {"$set": {"status": CANCELLED}, "$unset": {"next_attempt_at": "", "lease_until": ""}},
    )
    await uow.collection(DELIVERIES).update_many(
        about_them, {"$unset": {"body": ""}, "$set": {"erased_at": datetime.now(UTC)}}
    )
