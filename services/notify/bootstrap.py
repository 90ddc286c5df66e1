"""Composition root of notify: mail, webhooks and reminders."""

from services.notify.contacts_routes import router as contacts_router
from services.notify.event_handlers import handlers
from services.notify.storage import INDEXES
from services.notify.webhook_routes import router as webhook_router
from services.notify.workers import start_workers
from shared.events.notifications import DeliveryFailed, NotificationSent, WebhookDelivered
from shared.runtime.definition import ServiceDefinition

DEFINITION = ServiceDefinition(
    name="notify",
    description=(
        "E-mail to applicants, coordinators and VCPs; signed webhooks for integrators;"
        " reminders that other services schedule."
    ),
    default_port=8084,
    routers=[webhook_router, contacts_router],
    handlers_from_settings=handlers,
    publishes=[NotificationSent, WebhookDelivered, DeliveryFailed],
    indexes=INDEXES,
    extensions=start_workers,
)
