"""identity's own mails: sign-in links and invitations, sent off the request path.

A sign-in link is a credential, so it never travels on the bus and is never stored: the
database keeps only the code's hash, and the mail waits in this process's memory until the
SMTP server has taken it. Should the process stop before that, the person simply asks for
a new link. The request that queued it answers at once, known address or not.

The sender is a background task (shared/runtime/background.py): the runtime runs and stops it.
"""

from __future__ import annotations

import asyncio
import uuid

from services.identity.domain.mails import Mail
from shared.logs import get_logger
from shared.mail.smtp import OutgoingMail, SmtpMailer, SmtpRefused

log = get_logger(__name__)

ATTEMPTS = 5
FIRST_RETRY_SECONDS = 1.0
QUEUE_LIMIT = 10_000


class MailSender:
    name = "identity-mail-sender"

    def __init__(self, mailer: SmtpMailer) -> None:
        self._mailer = mailer
        self._queue: asyncio.Queue[OutgoingMail] = asyncio.Queue(QUEUE_LIMIT)

    def queue(self, mail: Mail) -> None:
        """Send a mail a use case decided on, once the work that decided it is committed."""
        self.send_later(mail.to, mail.content.subject, mail.content.text, mail.kind)

    def send_later(self, to: str, subject: str, text: str, kind: str) -> None:
        mail = OutgoingMail(mail_id=str(uuid.uuid4()), to=to, subject=subject, text=text, kind=kind)
        try:
            self._queue.put_nowait(mail)
        except asyncio.QueueFull:
            log.error("mail queue full, a mail is dropped", kind=kind, mail_id=mail.mail_id)

    async def run(self) -> None:
        while True:
            mail = await self._queue.get()
            await self._deliver(mail)

    async def _deliver(self, mail: OutgoingMail) -> None:
        delay = FIRST_RETRY_SECONDS
        for attempt in range(1, ATTEMPTS + 1):
            try:
                await self._mailer.send(mail)
                log.info("mail sent", kind=mail.kind, mail_id=mail.mail_id)
                return
            except SmtpRefused as exc:
                log.warning(
                    "mail not sent",
                    kind=mail.kind,
                    mail_id=mail.mail_id,
                    attempt=attempt,
                    reason=str(exc),
                    smtp_code=exc.code,
                )
                if exc.code is not None and 500 <= exc.code < 600:
                    return
            await asyncio.sleep(delay)
            delay *= 4
        log.error("mail given up", kind=mail.kind, mail_id=mail.mail_id)

    async def close(self) -> None:
        """Mails still queued are dropped: their links are asked for again (see above)."""
