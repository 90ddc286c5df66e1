"""Mails given up on: set aside with their reason, counted and logged, so that one bad mail
never stops the ones after it (issue 19: a line break in an organisation's name killed
identity's mail task, and every later sign-in link was dropped without a word).

The reason is a sentence of ours or an exception's type, never the exception's message: that
could quote the mail, and a sign-in mail's text is a credential.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter

from shared.logs import get_logger
from shared.mail.smtp import SmtpRefused, UnsendableMail

log = get_logger(__name__)

# The metric's `reason` label, a few values only.
UNSENDABLE = "unsendable"
REFUSED = "refused"
ERROR = "error"


def reason_of(error: BaseException) -> tuple[str, str]:
    """(the metric's reason label, the sentence kept with the mail)."""
    if isinstance(error, UnsendableMail):
        return UNSENDABLE, str(error)
    if isinstance(error, SmtpRefused):
        return REFUSED, str(error)
    return ERROR, f"unexpected {type(error).__name__} while sending"


class SetAsideMails:
    """`safehands_mails_set_aside_total{kind, reason}` and the log line of each; beside it,
    for the dashboard and the alert on failing mail (deploy/prometheus/alerts.yml), the mails
    sent and the attempts the SMTP server turned down for now (to be tried again)."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        registry = registry if registry is not None else CollectorRegistry()
        self.counter = Counter(
            "safehands_mails_set_aside_total",
            "Mails given up on and set aside (not sent), by mail kind and reason.",
            ["kind", "reason"],
            registry=registry,
        )
        self.sent = Counter(
            "safehands_mails_sent_total",
            "Mails the SMTP server took, by mail kind.",
            ["kind"],
            registry=registry,
        )
        self.deferred = Counter(
            "safehands_mail_attempts_failed_total",
            "Attempts to send a mail that failed for now and are tried again, by mail kind.",
            ["kind"],
            registry=registry,
        )

    def record(self, *, mail_id: str, kind: str, error: BaseException) -> str:
        """Count and log one mail set aside; returns the sentence to keep with it."""
        label, reason = reason_of(error)
        self.counter.labels(kind, label).inc()
        log.error("mail set aside", mail_id=mail_id, kind=kind, reason=reason)
        return reason
