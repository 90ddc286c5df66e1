"""identity's own mails: sign-in links and invitations, sent off the request path.

A sign-in link is a credential, so it never travels on the bus and is never stored: the
database keeps only the code's hash, and the mail waits in this process's memory until the
SMTP server has taken it. Should the process stop before that, the person simply asks for
a new link. The request that queued it answers at once, known address or not.

The sender is a background task (shared/runtime/background.py): the runtime runs and stops it.
No single mail stops it: a mail that cannot be sent (one that cannot even be written, say,
or one the SMTP server keeps refusing) is set aside, with its reason but without its text,
counted in `safehands_mails_set_aside_total` and logged, and the next mail goes out.
"""

from __future__ import annotations

import asyncio
import uuid
from collections import deque
from dataclasses import dataclass
from datetime import UTC, datetime

from services.identity.domain.mails import Mail
from shared.cancellation import raise_if_cancelled
from shared.logs import get_logger
from shared.mail.set_aside import SetAsideMails
from shared.mail.smtp import OutgoingMail, SmtpMailer, SmtpRefused, UnsendableMail

log = get_logger(__name__)

ATTEMPTS = 5
FIRST_RETRY_SECONDS = 1.0
QUEUE_LIMIT = 10_000
# The latest mails set aside, for a look from a debugger or a test; never their text.
SET_ASIDE_KEPT = 1_000


@dataclass(frozen=True)
class SetAside:
    mail_id: str
    kind: str
    reason: str
    at: datetime


class MailSender:
    name = "identity-mail-sender"

    def __init__(self, mailer: SmtpMailer, set_aside_mails: SetAsideMails | None = None) -> None:
        self._mailer = mailer
        self._queue: asyncio.Queue[OutgoingMail] = asyncio.Queue(QUEUE_LIMIT)
        self._set_aside_mails = set_aside_mails or SetAsideMails()
        self.set_aside: deque[SetAside] = deque(maxlen=SET_ASIDE_KEPT)

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
            raise_if_cancelled()  # a cancellation a client lost (shared/cancellation.py)
            mail = await self._queue.get()
            try:
                await self._deliver(mail)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                self._set_aside(mail, exc)

    def _set_aside(self, mail: OutgoingMail, error: BaseException) -> None:
        reason = self._set_aside_mails.record(mail_id=mail.mail_id, kind=mail.kind, error=error)
        self.set_aside.append(SetAside(mail.mail_id, mail.kind, reason, datetime.now(UTC)))

    async def _deliver(self, mail: OutgoingMail) -> None:
        """Send with retries; raise what made the mail be given up."""
        delay = FIRST_RETRY_SECONDS
        refusal: SmtpRefused | None = None
        for attempt in range(1, ATTEMPTS + 1):
            try:
                await self._mailer.send(mail)
                self._set_aside_mails.sent.labels(mail.kind).inc()
                log.info("mail sent", kind=mail.kind, mail_id=mail.mail_id)
                return
            except UnsendableMail:
                # Written the same way again it fails again: no retry.
                raise
            except SmtpRefused as exc:
                refusal = exc
                self._set_aside_mails.deferred.labels(mail.kind).inc()
                log.warning(
                    "mail not sent",
                    kind=mail.kind,
                    mail_id=mail.mail_id,
                    attempt=attempt,
                    reason=str(exc),
                    smtp_code=exc.code,
                )
                if exc.code is not None and 500 <= exc.code < 600:
                    raise
            if attempt < ATTEMPTS:
                await asyncio.sleep(delay)
                delay *= 4
        assert refusal is not None, "only a refusal leads here"
        raise refusal

    async def close(self) -> None:
        """Mails still queued are dropped: their links are asked for again (see above)."""
