"""Events of notify: what was sent and what a webhook receiver did with it."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from pydantic import ValidationInfo, field_validator

from shared.events.base import REPORT_EVENT_PREFIX, Event, to_the_day

# notify's mails about a report (its MailKind values): sent moments after the report
# arrived or its deadline came, so their moment is the report's, given to the day.
REPORT_MAIL_KINDS = frozenset(
    {"new_report", "reporter_message", "deadline_approaching", "deadline_missed"}
)


class NotificationSent(Event):
    type_name: ClassVar[str] = "nl.safehands.notification.sent.v1"
    key_field: ClassVar[str] = "notification_id"
    notification_id: str
    kind: str
    recipient_role: str
    caused_by_event_id: str
    # To the day for a mail about a report (REPORT_MAIL_KINDS).
    sent_at: datetime

    @field_validator("sent_at")
    @classmethod
    def _report_mails_to_the_day(cls, sent_at: datetime, info: ValidationInfo) -> datetime:
        return to_the_day(sent_at) if info.data.get("kind") in REPORT_MAIL_KINDS else sent_at

    def tells_of_a_report(self) -> bool:
        return self.kind in REPORT_MAIL_KINDS


def _delivers_a_report_event(event_type: str) -> bool:
    return event_type.startswith(REPORT_EVENT_PREFIX)


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

    def tells_of_a_report(self) -> bool:
        return _delivers_a_report_event(self.event_type)


class DeliveryFailed(Event):
    type_name: ClassVar[str] = "nl.safehands.webhook.failed.v1"
    key_field: ClassVar[str] = "delivery_id"
    delivery_id: str
    webhook_id: str
    event_id: str
    attempts: int
    last_error: str
    event_type: str = ""

    def tells_of_a_report(self) -> bool:
        return _delivers_a_report_event(self.event_type)


EVENTS: tuple[type[Event], ...] = (NotificationSent, WebhookDelivered, DeliveryFailed)
