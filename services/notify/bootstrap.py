"""Composition root of notify: mail, webhooks and reminders."""

from services.notify.event_handlers import handlers
from services.notify.http_routes import ERROR_STATUSES, ROUTERS
from services.notify.jobs import JOBS
from services.notify.storage import INDEXES
from services.notify.workers import workers
from shared.events.notifications import DeliveryFailed, NotificationSent, WebhookDelivered
from shared.runtime.definition import ServiceDefinition

DEFINITION = ServiceDefinition(
    name="notify",
    description=(
        "E-mail to applicants, coordinators and VCPs; signed webhooks for integrators;"
        " reminders that other services schedule."
    ),
    routers=ROUTERS,
    handlers_from_settings=handlers,
    publishes=[NotificationSent, WebhookDelivered, DeliveryFailed],
    indexes=INDEXES,
    jobs=JOBS,
    error_statuses=ERROR_STATUSES,
    background=workers,
)
