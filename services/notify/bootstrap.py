"""Composition root of notify: mail, webhooks and reminders."""

from services.notify.event_handlers import HANDLERS
from services.notify.storage import INDEXES
from shared.events.notifications import NotificationSent
from shared.runtime.service import ServiceDefinition

DEFINITION = ServiceDefinition(
    name="notify",
    description="E-mail, signed webhooks for integrators, reminders.",
    default_port=8084,
    handlers=HANDLERS,
    publishes=[NotificationSent],
    indexes=INDEXES,
)
