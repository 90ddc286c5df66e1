"""Which mails an event sends, to which addresses, with which text: decided from the event
and what notify knows (its read model), without any I/O.

Policy is decided elsewhere: notify only turns events into mails (recipients.MAIL_ROUTES)
and fills in names, titles and the organisation's language.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from services.notify.domain.mail_facts import MailFacts, Recipient, VcpColleague
from services.notify.domain.mail_kinds import MailKind
from services.notify.domain.mail_templates import MailFieldError, render_mail
from services.notify.domain.recipients import mail_routes_for, vcp_colleague_fields
from shared.events import Event
from shared.events.identity import MemberAdded
from shared.events.reports import (
    IncidentReported,
    ReportDeadlineApproaching,
    ReportMessagePosted,
    VCPAppointed,
    VCPKeySet,
)
from shared.events.trainings import (
    TrainingCancelledNotice,
    TrainingChangedNotice,
    TrainingReminderDue,
    TrainingSeatGiven,
)

TRAINING_MAIL_EVENTS = (
    TrainingSeatGiven,
    TrainingReminderDue,
    TrainingCancelledNotice,
    TrainingChangedNotice,
)


@dataclass(frozen=True)
class PlannedMail:
    kind: MailKind
    recipient_role: Recipient
    to: str
    subject: str
    text: str


@dataclass(frozen=True)
class MailPlan:
    mails: tuple[PlannedMail, ...]
    # Why a mail that the routes call for cannot be sent; logged, never raised, so that one
    # unsendable mail does not hold up the event's other effects.
    problems: tuple[str, ...] = ()


def plan_event_mails(
    event: Event, facts: MailFacts, occurred_at: datetime | None = None
) -> MailPlan:
    """`occurred_at`, the event's time, limits a VCP's colleagues to those appointed before
    it: the others hear of it from `plan_owed_colleague_mails` when their own appointment
    arrives. Without it every other VCP is a colleague."""
    mails: list[PlannedMail] = []
    problems: list[str] = []
    for route in mail_routes_for(event):
        if not route.wanted_with(facts, event):
            continue
        language = facts.language
        if route.recipient is Recipient.REGISTRANT and isinstance(event, TRAINING_MAIL_EVENTS):
            # The member of any organisation, at the address and in the language they gave.
            addresses, language = [event.email], event.language
        elif route.recipient is Recipient.OTHER_VCPS:
            addresses = [v.email for v in _colleagues_to_tell(event, facts, occurred_at)]
            if not addresses:
                continue  # The organisation's first VCP has no colleague to tell.
        elif isinstance(event, MemberAdded):
            # A new admin or coordinator is announced to the others, never to themself.
            addresses = [
                address
                for address in _announcement_addresses(route.recipient, event, facts)
                if address != event.email
            ]
            if not addresses:
                continue  # The organisation's first admin has nobody to be announced to.
        elif route.recipient is Recipient.VCP and isinstance(event, IncidentReported):
            addresses = _vcps_sealed_to(_envelope_keys(event), facts) or list(
                facts.addresses(route.recipient)
            )
        elif route.recipient is Recipient.VCP and isinstance(event, ReportDeadlineApproaching):
            # Only the VCPs in the case: one the reporter left out never hears of it. An
            # event from before the reporter chose names no keys: every VCP, as then.
            addresses = _vcps_sealed_to(set(event.sealed_to), facts) or list(
                facts.addresses(route.recipient)
            )
        elif route.recipient is Recipient.VCP and isinstance(event, ReportMessagePosted):
            addresses = _vcps_reading(facts) or list(facts.addresses(route.recipient))
        else:
            addresses = list(facts.addresses(route.recipient))
        if not addresses:
            problems.append(f"no {route.recipient} address known for a {route.kind} mail")
            continue
        try:
            fields = route.fields(event, facts)
        except MailFieldError as exc:
            problems.append(f"a {route.kind} mail cannot be written: {exc}")
            continue
        mails.extend(_render(route.kind, route.recipient, addresses, language, fields))
    return MailPlan(tuple(mails), tuple(problems))


def _announcement_addresses(
    recipient: Recipient, event: MemberAdded, facts: MailFacts
) -> Sequence[str]:
    if recipient in (Recipient.ADMIN, Recipient.COORDINATOR):
        return facts.staff_addresses(recipient, leaving_out=event.member_id)
    return facts.addresses(recipient)


def _envelope_keys(event: IncidentReported) -> set[str]:
    recipients = event.envelope.get("recipients", ())
    return {str(r.get("key_id")) for r in recipients if isinstance(r, Mapping)}


def _vcps_sealed_to(sealed: set[str], facts: MailFacts) -> list[str]:
    """The VCPs the report is sealed to: one the reporter left out is not told of a report
    they cannot open. Empty while notify knows none of the keys (its read model lags behind),
    and then every VCP with a key is told, as before keys were chosen."""
    return [
        v.email for v in facts.vcps if (v.key_fingerprint or v.appointed_with_fingerprint) in sealed
    ]


def _vcps_reading(facts: MailFacts) -> list[str]:
    """The VCPs who can open the case: sealed to by the reporter, or handed it since. A VCP
    the reporter left out is not told that the case goes on. Empty while notify has not
    read the report's own event (then every VCP with a key, as for a new report)."""
    readers = facts.report_readers
    if readers is None:
        return []
    return [
        v.email
        for v in facts.vcps
        if (v.key_fingerprint or v.appointed_with_fingerprint) in readers.fingerprints
        or v.vcp_id in readers.vcp_ids
    ]


def _colleagues_to_tell(
    event: Event, facts: MailFacts, occurred_at: datetime | None
) -> list[VcpColleague]:
    if not isinstance(event, VCPAppointed | VCPKeySet):
        # A mistake in MAIL_ROUTES, which tests/unit/notify/test_notify_recipients.py rules out.
        raise TypeError(f"{event.type_name} names no VCP whose colleagues to tell.")
    others = [v for v in facts.vcps if v.vcp_id != event.vcp_id]
    if occurred_at is None:
        return others
    if isinstance(event, VCPAppointed):
        return [v for v in others if v.seniority < (occurred_at, event.vcp_id)]
    return [v for v in others if v.appointed_by(occurred_at)]


@dataclass(frozen=True)
class OwedMail:
    """A mail about an earlier event that its recipient was not known for yet."""

    cause_event_id: str
    mail: PlannedMail


def plan_owed_colleague_mails(newcomer_id: str, facts: MailFacts) -> tuple[OwedMail, ...]:
    """What a VCP whose appointment notify reads only now is owed: the colleagues appointed
    after them, and the keys set after it, which notify read first and told them nothing of.
    Each is keyed by its own event, so the mail is the one the colleague's event would have
    sent, never a second one."""
    newcomer = next((v for v in facts.vcps if v.vcp_id == newcomer_id), None)
    if newcomer is None or newcomer.appointed_at is None:
        return ()
    owed: list[OwedMail] = []
    for later in facts.vcps:
        if later.vcp_id == newcomer_id:
            continue
        if later.appointment_event_id and later.seniority > newcomer.seniority:
            fingerprint = later.appointed_with_fingerprint
            kind, fields = (
                (
                    MailKind.VCP_COLLEAGUE_APPOINTED,
                    vcp_colleague_fields(facts, later.vcp_id, fingerprint),
                )
                if fingerprint
                else (
                    MailKind.VCP_COLLEAGUE_INVITED,
                    vcp_colleague_fields(facts, later.vcp_id, None),
                )
            )
            owed.extend(_owed(later.appointment_event_id, kind, newcomer, fields, facts))
        if (
            later.key_set_event_id
            and later.key_set_at is not None
            and later.key_set_at >= newcomer.appointed_at
        ):
            fields = vcp_colleague_fields(facts, later.vcp_id, later.key_fingerprint)
            owed.extend(
                _owed(
                    later.key_set_event_id, MailKind.VCP_COLLEAGUE_KEY_SET, newcomer, fields, facts
                )
            )
    return tuple(owed)


def _owed(
    cause_event_id: str,
    kind: MailKind,
    to: VcpColleague,
    fields: Mapping[str, object],
    facts: MailFacts,
) -> tuple[OwedMail, ...]:
    return tuple(
        OwedMail(cause_event_id, mail)
        for mail in _render(kind, Recipient.OTHER_VCPS, [to.email], facts.language, fields)
    )


def plan_mail(
    kind: MailKind, recipient: Recipient, facts: MailFacts, **fields: object
) -> tuple[PlannedMail, ...]:
    """A mail notify sends of its own accord (e.g. a disabled webhook), to every address."""
    return _render(kind, recipient, facts.addresses(recipient), facts.language, fields)


def _render(
    kind: MailKind,
    recipient: Recipient,
    addresses: Sequence[str],
    language: str,
    fields: Mapping[str, object],
) -> tuple[PlannedMail, ...]:
    rendered = render_mail(kind, language, **fields)
    return tuple(
        PlannedMail(kind, recipient, address, rendered.subject, rendered.text)
        for address in dict.fromkeys(addresses)
    )
