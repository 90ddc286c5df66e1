"""Sending one mail over SMTP with aiosmtplib (notify's mails, identity's sign-in links)."""

from __future__ import annotations

import asyncio
import email.policy
from dataclasses import dataclass
from email.errors import MessageError
from email.message import EmailMessage
from email.utils import formatdate
from typing import Any

import aiosmtplib

from shared.settings import Settings

# aiosmtplib's timeout bounds each read and write, not the exchange: a server that answers
# a byte at a time would hold a send (and its mail claim) for as long as it likes. The
# deadline bounds the whole send, and is well within the claim (services/notify/mail/delivery.py, CLAIM_LEASE)
# so that no other instance takes the mail over while this one may still send it.
SMTP_TIMEOUT_SECONDS = 20
SMTP_SEND_DEADLINE_SECONDS = 45.0


# Headers are folded at SMTP's limit (998), not at the 78 recommended: Python's folder put a
# subject with a long word ("vertrouwenscontactpersoon") on the next line, which readers then
# showed with a leading space (issue 21 item 6).
_MAIL_POLICY = email.policy.default.clone(max_line_length=998)


@dataclass(frozen=True)
class OutgoingMail:
    mail_id: str
    to: str
    subject: str
    text: str
    kind: str


class UnsendableMail(Exception):
    """The mail cannot be written at all (a header Python's `email` refuses, such as a
    subject with a line break): sending it again would fail the same way, so it is set aside.
    The sentence names no part of the mail."""


CANNOT_BE_WRITTEN = (
    "the mail cannot be written: a header holds a line break or another character that mail "
    "does not allow"
)


class SmtpRefused(Exception):
    """The SMTP server did not take the mail; `code` is its reply code, if it gave one."""

    def __init__(self, description: str, code: int | None) -> None:
        super().__init__(description)
        self.code = code


class SmtpMailer:
    def __init__(
        self,
        host: str,
        port: int,
        sender: str,
        deadline_seconds: float = SMTP_SEND_DEADLINE_SECONDS,
        *,
        starttls: bool = False,
        login: tuple[str, str] | None = None,
    ) -> None:
        self._host = host
        self._port = port
        self._sender = sender
        self._deadline_seconds = deadline_seconds
        # A relay: STARTTLS required (a server that does not offer it, or whose certificate
        # does not verify, gets no mail: links and names never cross the network in the
        # clear), then the login. Without it, the local sink: STARTTLS only if offered.
        self._tls: dict[str, Any] = {"start_tls": True} if starttls else {}
        if login is not None:
            self._tls.update(username=login[0], password=login[1])

    @classmethod
    def from_settings(cls, settings: Settings) -> SmtpMailer:
        return cls(
            settings.smtp_host,
            settings.smtp_port,
            settings.smtp_sender,
            starttls=settings.smtp_starttls,
            login=settings.smtp_login,
        )

    def message(self, mail: OutgoingMail) -> EmailMessage:
        try:
            return self._message(mail)
        except (ValueError, TypeError, LookupError, MessageError):
            raise UnsendableMail(CANNOT_BE_WRITTEN) from None

    def _message(self, mail: OutgoingMail) -> EmailMessage:
        message = EmailMessage(policy=_MAIL_POLICY)
        message["From"] = self._sender
        message["To"] = mail.to
        message["Subject"] = mail.subject
        message["Date"] = formatdate(localtime=False, usegmt=True)
        # The same id on every attempt: should a crash after sending make us send again,
        # mail clients and servers can recognise the copy.
        message["Message-ID"] = f"<{mail.mail_id}@safehands>"
        message["X-SafeHands-Kind"] = mail.kind
        message.set_content(mail.text)
        return message

    async def send(self, mail: OutgoingMail) -> None:
        try:
            async with asyncio.timeout(self._deadline_seconds):
                await self._exchange(mail)
        except TimeoutError:
            raise SmtpRefused(
                f"the SMTP exchange did not finish within {self._deadline_seconds:g} s", None
            ) from None

    async def _exchange(self, mail: OutgoingMail) -> None:
        try:
            await aiosmtplib.send(
                self.message(mail),
                hostname=self._host,
                port=self._port,
                timeout=SMTP_TIMEOUT_SECONDS,
                **self._tls,
            )
        except aiosmtplib.SMTPRecipientsRefused as exc:
            codes = [refusal.code for refusal in exc.recipients]
            raise SmtpRefused("the recipient was refused", max(codes, default=None)) from None
        except aiosmtplib.SMTPResponseException as exc:
            raise SmtpRefused(f"the server answered {exc.code}", exc.code) from None
        except (aiosmtplib.SMTPException, OSError) as exc:
            raise SmtpRefused(type(exc).__name__, None) from None
