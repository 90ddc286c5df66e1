"""Which events reach which webhook subscription, and what of them.

notify consumes its own topics too (NotificationSent, WebhookDelivered, DeliveryFailed),
and integrators may subscribe to them. Two rules keep that from looping:

1. A webhook.* event is never delivered to the subscription it reports on: that receiver
   knows already, and its delivery would report on itself again.
2. A webhook.* event that reports on the delivery of another webhook.* event is delivered
   nowhere. Without it, two subscriptions to webhook.delivered would report each other's
   deliveries to each other for ever.

So a chain stops after one step: event → its delivery report → (not forwarded).

And the organisation's board never learns when a reporter acted (issue 19): an event that
tells of a report (`Event.tells_of_a_report`: every report event, a mail about a report, a
delivery of a report event) reaches webhooks only while the organisation's VCPs have turned
that on (ReportWebhooksSet); its times are given to the day, and who wrote a message is
left out.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

WEBHOOK_EVENT_PREFIX = "nl.safehands.webhook."

# A webhook subscriber is an organisation's admin, who may not read reports: the sealed
# report and the reporter's mailbox travel on Kafka for the reports service, not to them.
WITHHELD_FROM_WEBHOOKS: Mapping[str, frozenset[str]] = {
    "nl.safehands.report.received.v1": frozenset({"envelope", "mailbox_lookup", "reply_key"}),
    # Whether the reporter or a VCP wrote: with the day, it says on which days the reporter
    # was active, which no subscriber needs (the VCPs read it in reports).
    "nl.safehands.report.message_posted.v1": frozenset({"sender"}),
    # A staff member's, a VCP's and a training registrant's address is for notify's mails;
    # a subscriber needs who, not where. The registrants are other organisations' people,
    # and these notices exist only to be mailed. (An application keeps its address: the
    # applicant is the organisation's own, and their address is what its volunteer system
    # needs of them.)
    "nl.safehands.member.added.v1": frozenset({"email"}),
    "nl.safehands.vcp.appointed.v1": frozenset({"email"}),
    "nl.safehands.training.seat_given.v1": frozenset({"email"}),
    "nl.safehands.training.reminder_due.v1": frozenset({"email"}),
    "nl.safehands.training.cancelled_notice.v1": frozenset({"email"}),
    "nl.safehands.training.changed_notice.v1": frozenset({"email"}),
}


def forwards_to_organisation(tells_of_a_report: bool, report_events_forwarded: bool) -> bool:
    """Whether an event may reach the organisation's webhooks at all: one that tells of a
    report only while its VCPs let report events through (off by default)."""
    return report_events_forwarded or not tells_of_a_report


def forwards_to_subscription(event_type: str, data: Mapping[str, Any], webhook_id: str) -> bool:
    if not event_type.startswith(WEBHOOK_EVENT_PREFIX):
        return True
    if data.get("webhook_id") == webhook_id:
        return False
    reported_type = str(data.get("event_type") or "")
    # Without the reported type (events written before it existed) we cannot rule a loop out.
    return bool(reported_type) and not reported_type.startswith(WEBHOOK_EVENT_PREFIX)


def webhook_data(event_type: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """The event data as a webhook carries it: everything but the withheld fields."""
    withheld = WITHHELD_FROM_WEBHOOKS.get(event_type, frozenset())
    return {name: value for name, value in data.items() if name not in withheld}
