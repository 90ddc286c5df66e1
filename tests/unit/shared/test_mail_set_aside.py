"""identity's mail sender survives any single mail's failure (issue 19, item 5): the mail
is set aside with its reason, never its text, counted and logged, and the next goes out.
On the real SMTP sink and a real service: tests/integration/test_mail_failures.py."""

from __future__ import annotations

import asyncio
import email
import email.policy

import pytest
from prometheus_client import CollectorRegistry

from services.identity.mail_sender import MailSender
from shared.mail.set_aside import SetAsideMails
from shared.mail.smtp import OutgoingMail, SmtpMailer, UnsendableMail


class FakeMailer(SmtpMailer):
    """Writes each mail as the real mailer does, then records it instead of sending; a mail
    whose text says so raises something unexpected."""

    def __init__(self) -> None:
        super().__init__("127.0.0.1", 1, "SafeHands <no-reply@safehands.local>")
        self.sent: list[str] = []

    async def send(self, mail: OutgoingMail) -> None:
        self.message(mail)
        if "explode" in mail.text:
            raise RuntimeError(f"a message that quotes the mail: {mail.text}")
        self.sent.append(mail.subject)


def test_a_subject_with_a_line_break_cannot_be_written() -> None:
    mailer = FakeMailer()
    with pytest.raises(UnsendableMail) as refused:
        mailer.message(OutgoingMail("m", "a@example.org", "Sportclub\nNieuw", "t", "invitation"))
    assert "Sportclub" not in str(refused.value)


@pytest.mark.parametrize(
    "subject",
    [
        "Hockeyclub De Stick heeft een nieuwe vertrouwenscontactpersoon aangesteld",
        "Actie nodig: Anna de Vries-van den Berg is niet meer toegelaten bij de coördinator",
    ],
)
def test_a_long_subject_reads_back_without_leading_or_doubled_spaces(subject: str) -> None:
    written = FakeMailer().message(OutgoingMail("m", "a@example.org", subject, "t", "kind"))
    read = email.message_from_bytes(written.as_bytes(), policy=email.policy.default)
    assert str(read["Subject"]) == subject


async def test_the_sender_sets_a_failing_mail_aside_and_sends_the_next() -> None:
    mailer, registry = FakeMailer(), CollectorRegistry()
    sender = MailSender(mailer, SetAsideMails(registry))
    running = asyncio.create_task(sender.run())
    try:
        sender.send_later(
            "a@example.org", "Uitnodiging voor Sportclub\nNieuw", "link", "invitation"
        )
        sender.send_later("b@example.org", "Je inloglink", "explode #code=secret", "sign_in_link")
        sender.send_later("c@example.org", "Je inloglink", "#code=abc", "sign_in_link")
        for _ in range(100):
            if mailer.sent:
                break
            await asyncio.sleep(0.01)
    finally:
        running.cancel()
    assert mailer.sent == ["Je inloglink"]
    assert not running.done() or running.cancelled()
    assert [(s.kind, s.reason) for s in sender.set_aside] == [
        ("invitation", "the mail cannot be written: a header holds a line break or another "
         "character that mail does not allow"),
        ("sign_in_link", "unexpected RuntimeError while sending"),
    ]  # fmt: skip
    for kind, reason in (("invitation", "unsendable"), ("sign_in_link", "error")):
        counted = registry.get_sample_value(
            "safehands_mails_set_aside_total", {"kind": kind, "reason": reason}
        )
        assert counted == 1.0
