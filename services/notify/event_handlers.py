"""notify's event handler: every event of the registry passes through the same three steps,
in the consumer's transaction — remember what mails need, record the mails the event calls
for, record the webhook deliveries of subscriptions that want it. An erasure also reaches
the webhook deliveries."""

from __future__ import annotations

from services.notify.domain.mail_facts import MailAddressing
from services.notify.mail_outbox import record_event_mails
from services.notify.read_model import project
from services.notify.webhook_outbox import (
    erase_volunteer_from_deliveries,
    record_webhook_deliveries,
)
from shared.events import REGISTRY, Event
from shared.events.admission import VolunteerDataErased
from shared.messaging.consumer import Handlers
from shared.settings import Settings
from shared.storage.unit_of_work import UnitOfWork


def mail_addressing(settings: Settings) -> MailAddressing:
    return MailAddressing(operator_emails=sorted(settings.operators), web_url=settings.web_url)


def handlers(settings: Settings) -> Handlers:
    addressing = mail_addressing(settings)

    async def on_event(event: Event, uow: UnitOfWork) -> None:
        # The read model first: a VolunteerApplied's own mails need the applicant's address.
        await project(event, uow)
        await record_event_mails(event, uow, addressing)
        await record_webhook_deliveries(event, uow)
        if isinstance(event, VolunteerDataErased):
            await erase_volunteer_from_deliveries(event, uow)

    return {event: on_event for event in REGISTRY}
