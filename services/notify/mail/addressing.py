"""What every mail notify writes needs from the settings: the operators' addresses and the
platform's address (for links). Shared by the event handlers and the sweeps."""

from __future__ import annotations

from services.notify.domain.mail_facts import MailAddressing
from shared.settings import Settings


def mail_addressing(settings: Settings) -> MailAddressing:
    return MailAddressing(operator_emails=sorted(settings.operators), web_url=settings.web_url)
