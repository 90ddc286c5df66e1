"""The mail and webhook workers of one notify process: background tasks that the runtime
starts once it is connected and stops with the process."""

from __future__ import annotations

from collections.abc import Sequence

from services.notify.mail.delivery import MailWorker
from services.notify.webhooks.delivery import WebhookWorker
from services.notify.webhooks.sender import WebhookSender
from shared.mail.set_aside import SetAsideMails
from shared.mail.smtp import SmtpMailer
from shared.runtime.background import BackgroundTask
from shared.runtime.runtime import Runtime


def workers(runtime: Runtime) -> Sequence[BackgroundTask]:
    settings = runtime.settings
    return (
        MailWorker(
            runtime.db,
            SmtpMailer.from_settings(settings),
            runtime.instance_id,
            poll_seconds=settings.outbox_poll_seconds,
            retry_scale=settings.notify_retry_scale,
            set_aside_mails=SetAsideMails(runtime.metrics),
            registry=runtime.metrics,
        ),
        WebhookWorker(
            runtime.db,
            runtime.instance_id,
            sender=WebhookSender(
                allow_private_networks=settings.webhooks_allow_private_networks,
                deadline_seconds=settings.webhook_attempt_deadline_seconds,
            ),
            poll_seconds=settings.outbox_poll_seconds,
            retry_scale=settings.notify_retry_scale,
            deliveries_per_org=settings.webhook_deliveries_per_org,
            metrics=runtime.metrics,
        ),
    )
