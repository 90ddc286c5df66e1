"""Which event sends which mail to whom: one table to scan.

Event type names are those of docs/api.md ("Event types"); data field names are those of the
event models in `shared/events`. A route with a condition applies only when the event's
data matches it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from services.notify.domain.mail_kinds import MailKind


class Recipient(StrEnum):
    APPLICANT = "applicant"
    COORDINATOR = "coordinator"
    # The VCPs with a key: those who can read reports.
    VCP = "vcp"
    # Every VCP of the organisation but the one the event is about, with a key or not yet.
    OTHER_VCPS = "other_vcps"
    ADMIN = "admin"
    # The regional centre that runs the platform: SAFEHANDS_OPERATOR_EMAILS.
    OPERATOR = "operator"


@dataclass(frozen=True)
class FieldEquals:
    """A route condition: the event data's `field` holds `value`."""

    field: str
    value: object

    def __call__(self, data: Mapping[str, object]) -> bool:
        return data.get(self.field) == self.value


@dataclass(frozen=True)
class FieldIsSet:
    """A route condition: the event data's `field` holds a value (not None)."""

    field: str

    def __call__(self, data: Mapping[str, object]) -> bool:
        return data.get(self.field) is not None


@dataclass(frozen=True)
class FieldIsFilled:
    """A route condition: the event data's `field` holds a non-empty value."""

    field: str

    def __call__(self, data: Mapping[str, object]) -> bool:
        return bool(data.get(self.field))


@dataclass(frozen=True)
class MailRoute:
    recipient: Recipient
    kind: MailKind
    when: FieldEquals | FieldIsSet | FieldIsFilled | None = None

    def applies_to(self, data: Mapping[str, object]) -> bool:
        return self.when is None or self.when(data)


MAIL_ROUTES: Mapping[str, tuple[MailRoute, ...]] = {
    "nl.safehands.volunteer.applied.v1": (
        MailRoute(Recipient.APPLICANT, MailKind.APPLICATION_RECEIVED),
        MailRoute(Recipient.COORDINATOR, MailKind.NEW_APPLICATION),
    ),
    # The first request to sign comes once the intake interview says "go ahead".
    "nl.safehands.volunteer.interviewed.v1": (
        MailRoute(
            Recipient.APPLICANT, MailKind.PLEASE_SIGN_CODE, when=FieldEquals("outcome", "proceed")
        ),
    ),
    "nl.safehands.volunteer.resign_required.v1": (
        MailRoute(Recipient.APPLICANT, MailKind.PLEASE_SIGN_CODE),
    ),
    "nl.safehands.volunteer.vog_requested.v1": (
        MailRoute(Recipient.APPLICANT, MailKind.VOG_NEEDED),
    ),
    "nl.safehands.volunteer.vog_received.v1": (
        MailRoute(Recipient.COORDINATOR, MailKind.VOG_RECEIVED),
    ),
    "nl.safehands.volunteer.vog_expiring.v1": (
        MailRoute(Recipient.APPLICANT, MailKind.VOG_RENEWAL_APPROACHING),
    ),
    "nl.safehands.volunteer.admitted.v1": (MailRoute(Recipient.APPLICANT, MailKind.ADMITTED),),
    "nl.safehands.volunteer.blocked.v1": (
        MailRoute(Recipient.COORDINATOR, MailKind.VOLUNTEER_BACK_TO_PENDING),
    ),
    "nl.safehands.volunteer.rejected.v1": (MailRoute(Recipient.APPLICANT, MailKind.REJECTED),),
    "nl.safehands.report.received.v1": (MailRoute(Recipient.VCP, MailKind.NEW_REPORT),),
    # A VCP appointed without a key has an empty fingerprint until VCPKeySet.
    "nl.safehands.vcp.appointed.v1": (
        MailRoute(
            Recipient.OTHER_VCPS,
            MailKind.VCP_COLLEAGUE_APPOINTED,
            when=FieldIsFilled("fingerprint"),
        ),
        MailRoute(
            Recipient.OTHER_VCPS,
            MailKind.VCP_COLLEAGUE_INVITED,
            when=FieldEquals("fingerprint", ""),
        ),
    ),
    "nl.safehands.vcp.key_set.v1": (
        MailRoute(Recipient.OTHER_VCPS, MailKind.VCP_COLLEAGUE_KEY_SET),
    ),
    # Only while notify knows no VCP of the organisation: the mail points to the VCP profile.
    "nl.safehands.code.published.v1": (
        MailRoute(Recipient.ADMIN, MailKind.CODE_PUBLISHED_WITHOUT_VCP),
    ),
    "nl.safehands.advice.requested.v1": (MailRoute(Recipient.OPERATOR, MailKind.ADVICE_REQUESTED),),
    "nl.safehands.advice.answered.v1": (
        MailRoute(Recipient.ADMIN, MailKind.ADVICE_ANSWERED, when=FieldEquals("appointment", None)),
        MailRoute(
            Recipient.ADMIN, MailKind.ADVICE_APPOINTMENT_PROPOSED, when=FieldIsSet("appointment")
        ),
    ),
    "nl.safehands.report.deadline_approaching.v1": (
        MailRoute(Recipient.VCP, MailKind.DEADLINE_APPROACHING, when=FieldEquals("missed", False)),
        MailRoute(Recipient.VCP, MailKind.DEADLINE_MISSED, when=FieldEquals("missed", True)),
    ),
}

# Mails notify decides on itself rather than in answer to another service's event.
MAIL_KINDS_SENT_WITHOUT_EVENT: Mapping[MailKind, Recipient] = {
    # After SUBSCRIPTION_DISABLE_AFTER_CONSECUTIVE_FAILED_DELIVERIES failed deliveries in a row.
    MailKind.WEBHOOK_SUBSCRIPTION_DISABLED: Recipient.ADMIN,
}


def mail_routes_for(event_type: str, data: Mapping[str, object]) -> tuple[MailRoute, ...]:
    """The mails an event of `event_type` with `data` sends; none for events we do not mail."""
    return tuple(route for route in MAIL_ROUTES.get(event_type, ()) if route.applies_to(data))
