"""Events of notify: what was sent and what a webhook receiver did with it."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from shared.events.base import Event


class NotificationSent(Event):
    type_name: ClassVar[str] = "nl.safehands.notification.sent.v1"
    key_field: ClassVar[str] = "notification_id"
    notification_id: str
    kind: str
    recipient_role: str
    caused_by_event_id: str
    sent_at: datetime


class WebhookDelivered(Event):
    type_name: ClassVar[str] = "nl.safehands.webhook.delivered.v1"
    key_field: ClassVar[str] = "delivery_id"
    delivery_id: str
    webhook_id: str
    event_id: str
    status_code: int
    attempts: int
    # The type of the delivered event (added in v1, hence the default): notify forwards no
    # report about the delivery of another report, so that webhooks cannot loop.
    event_type: str = ""


class DeliveryFailed(Event):
    type_name: ClassVar[str] = "nl.safehands.webhook.failed.v1"
    key_field: ClassVar[str] = "delivery_id"
    delivery_id: str
    webhook_id: str
    event_id: str
    attempts: int
    last_error: str
    event_type: str = ""


EVENTS: tuple[type[Event], ...] = (NotificationSent, WebhookDelivered, DeliveryFailed)
