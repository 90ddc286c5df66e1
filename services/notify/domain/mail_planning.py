"""Which mails an event sends, to which addresses, with which text: decided from the event
and what notify knows (its read model), without any I/O.

Policy is decided elsewhere: notify only turns events into mails (MAIL_ROUTES) and fills in
names, titles and the organisation's language.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from services.notify.domain.mail_kinds import MailKind
from services.notify.domain.mail_templates import MailFieldError, render_mail
from services.notify.domain.recipients import Recipient, mail_routes_for


@dataclass(frozen=True)
class Volunteer:
    name: str
    email: str
    role_id: str
    # Whether they were admitted until the event being handled: policy also announces
    # AdmissionBlocked when a pending volunteer's missing steps change, which is progress,
    # not a volunteer "back to pending".
    was_admitted: bool = False


# Records kept before notify remembered appointment times count as the earliest.
_LONG_AGO = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True)
class VcpColleague:
    """A VCP of the organisation as notify knows them, with a key or not yet.

    The appointment and the latest key, each with its time and event id, let every VCP hear
    of each colleague appointed after them whichever event notify reads first: two VCPs'
    events travel on different partitions, so their order on arrival is not the order in
    which reports appointed them."""

    vcp_id: str
    name: str
    email: str
    appointed_at: datetime | None = None
    appointment_event_id: str = ""
    appointed_with_fingerprint: str = ""
    key_set_at: datetime | None = None
    key_set_event_id: str = ""
    key_fingerprint: str = ""

    @property
    def seniority(self) -> tuple[datetime, str]:
        """Who was appointed first; the id breaks a tie of equal times."""
        return (self.appointed_at or _LONG_AGO, self.vcp_id)

    def appointed_by(self, moment: datetime) -> bool:
        return (self.appointed_at or _LONG_AGO) <= moment


DEFAULT_WEB_URL = "http://127.0.0.1:8080"

# Where mails point to on the web app: the admin's toolkit and advice, the operator's queue.
TOOLKIT_PAGE = "/admin#toolkit"
ADVICE_ANSWERS_PAGE = "/admin#advice"
ADVICE_QUEUE_PAGE = "/operator#advice"
VCP_PAGE = "/vcp"


@dataclass(frozen=True)
class MailAddressing:
    """What notify knows from its settings rather than from events."""

    operator_emails: Sequence[str] = ()
    web_url: str = DEFAULT_WEB_URL

    def link(self, page: str) -> str:
        return self.web_url.rstrip("/") + page


@dataclass(frozen=True)
class MailFacts:
    """What notify knows of the event's organisation when the event arrives."""

    organisation: str
    language: str
    code_version: int | None = None
    volunteer: Volunteer | None = None
    role_titles: Mapping[str, str] = field(default_factory=dict)
    # The VCPs with a key, who can read reports; `vcps` are all of them.
    vcp_emails: Sequence[str] = ()
    vcps: Sequence[VcpColleague] = ()
    coordinator_emails: Sequence[str] = ()
    admin_emails: Sequence[str] = ()
    addressing: MailAddressing = field(default_factory=MailAddressing)

    def role_title(self, role_id: str) -> str:
        # A role notify has not heard of yet is named by its id: a plain mail beats none.
        return self.role_titles.get(role_id, role_id)

    def vcp_name(self, vcp_id: str) -> str:
        return next((v.name for v in self.vcps if v.vcp_id == vcp_id and v.name), vcp_id)

    def addresses(self, recipient: Recipient) -> Sequence[str]:
        if recipient is Recipient.APPLICANT:
            return (self.volunteer.email,) if self.volunteer else ()
        return {
            Recipient.VCP: self.vcp_emails,
            Recipient.COORDINATOR: self.coordinator_emails,
            Recipient.ADMIN: self.admin_emails,
            Recipient.OPERATOR: self.addressing.operator_emails,
            Recipient.OTHER_VCPS: [v.email for v in self.vcps],
        }[recipient]


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
    event_type: str,
    data: Mapping[str, Any],
    facts: MailFacts,
    occurred_at: datetime | None = None,
) -> MailPlan:
    """`occurred_at`, the event's time, limits a VCP's colleagues to those appointed before
    it: the others hear of it from `plan_owed_colleague_mails` when their own appointment
    arrives. Without it every other VCP is a colleague."""
    mails: list[PlannedMail] = []
    problems: list[str] = []
    for route in mail_routes_for(event_type, data):
        if route.kind is MailKind.VOLUNTEER_BACK_TO_PENDING and not (
            facts.volunteer and facts.volunteer.was_admitted
        ):
            continue
        if route.kind is MailKind.CODE_PUBLISHED_WITHOUT_VCP and (facts.vcp_emails or facts.vcps):
            continue
        if route.recipient is Recipient.OTHER_VCPS:
            addresses = [v.email for v in _colleagues_to_tell(event_type, data, facts, occurred_at)]
            if not addresses:
                continue  # The organisation's first VCP has no colleague to tell.
        else:
            addresses = list(facts.addresses(route.recipient))
        if not addresses:
            problems.append(f"no {route.recipient} address known for a {route.kind} mail")
            continue
        try:
            fields = mail_fields(route.kind, data, facts)
        except (KeyError, MailFieldError) as exc:
            problems.append(f"a {route.kind} mail cannot be written: {exc}")
            continue
        mails.extend(_render(route.kind, route.recipient, addresses, facts.language, fields))
    return MailPlan(tuple(mails), tuple(problems))


def _colleagues_to_tell(
    event_type: str, data: Mapping[str, Any], facts: MailFacts, occurred_at: datetime | None
) -> list[VcpColleague]:
    subject = data.get("vcp_id")
    others = [v for v in facts.vcps if v.vcp_id != subject]
    if occurred_at is None:
        return others
    if event_type == APPOINTED:
        return [v for v in others if v.seniority < (occurred_at, str(subject))]
    return [v for v in others if v.appointed_by(occurred_at)]


APPOINTED = "nl.safehands.vcp.appointed.v1"


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
            kind = (
                MailKind.VCP_COLLEAGUE_APPOINTED
                if later.appointed_with_fingerprint
                else MailKind.VCP_COLLEAGUE_INVITED
            )
            data = {"vcp_id": later.vcp_id, "fingerprint": later.appointed_with_fingerprint}
            owed.extend(_owed(later.appointment_event_id, kind, newcomer, data, facts))
        if (
            later.key_set_event_id
            and later.key_set_at is not None
            and later.key_set_at >= newcomer.appointed_at
        ):
            data = {"vcp_id": later.vcp_id, "fingerprint": later.key_fingerprint}
            owed.extend(
                _owed(later.key_set_event_id, MailKind.VCP_COLLEAGUE_KEY_SET, newcomer, data, facts)
            )
    return tuple(owed)


def _owed(
    cause_event_id: str,
    kind: MailKind,
    to: VcpColleague,
    data: Mapping[str, Any],
    facts: MailFacts,
) -> tuple[OwedMail, ...]:
    fields = mail_fields(kind, data, facts)
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


def mail_fields(kind: MailKind, data: Mapping[str, Any], facts: MailFacts) -> dict[str, object]:
    """The template fields of a `kind` mail about an event with `data`.

    Raises MailFieldError when notify lacks something the mail needs.
    """
    if kind in _VCP_FIELDS:
        return {**_VCP_FIELDS[kind](data), "link": facts.addressing.link(VCP_PAGE)}
    if kind in _VCP_COLLEAGUE_KINDS:
        fields: dict[str, object] = {
            "organisation": facts.organisation,
            "vcp_name": facts.vcp_name(data["vcp_id"]),
            "link": facts.addressing.link(VCP_PAGE),
        }
        if kind is not MailKind.VCP_COLLEAGUE_INVITED:
            fields["fingerprint"] = data["fingerprint"]
        return fields
    if kind in _ORGANISATION_KINDS:
        return _organisation_fields(kind, data, facts)
    volunteer = facts.volunteer
    if volunteer is None:
        raise MailFieldError("the volunteer is unknown to notify (no application seen).")
    if kind is MailKind.NEW_APPLICATION:
        return {"volunteer_name": volunteer.name, "role_title": facts.role_title(volunteer.role_id)}
    if kind is MailKind.VOG_RECEIVED:
        return {"volunteer_name": volunteer.name}
    if kind is MailKind.VOLUNTEER_BACK_TO_PENDING:
        return {"volunteer_name": volunteer.name, "missing": list(data["missing"])}
    applicant: dict[str, object] = {"name": volunteer.name, "organisation": facts.organisation}
    if kind is MailKind.PLEASE_SIGN_CODE:
        version = data.get("version", facts.code_version)
        if version is None:
            raise MailFieldError("no code of conduct has been published yet.")
        return {**applicant, "version": version}
    if kind is MailKind.VOG_NEEDED:
        return {
            **applicant,
            "role_title": facts.role_title(data["role_id"]),
            "screening_aspects": list(data["screening_aspects"]),
        }
    if kind is MailKind.VOG_RENEWAL_APPROACHING:
        return {**applicant, "renewal_date": data["renewal_due"]}
    if kind in (MailKind.ADMITTED, MailKind.REJECTED, MailKind.APPLICATION_RECEIVED):
        role_id = data.get("role_id", volunteer.role_id)
        return {**applicant, "role_title": facts.role_title(role_id)}
    raise MailFieldError(f"notify does not write {kind} mails in answer to events.")


_ORGANISATION_KINDS = frozenset(
    {
        MailKind.CODE_PUBLISHED_WITHOUT_VCP,
        MailKind.ADVICE_REQUESTED,
        MailKind.ADVICE_ANSWERED,
        MailKind.ADVICE_APPOINTMENT_PROPOSED,
    }
)


def _organisation_fields(
    kind: MailKind, data: Mapping[str, Any], facts: MailFacts
) -> dict[str, object]:
    """Mails between an organisation and the regional centre. Advice mails say that there is
    a question or an answer, and where to read it: the events carry no text, and neither do
    the mails (an "incident" question may hold what belongs with a VCP)."""
    addressing = facts.addressing
    if kind is MailKind.CODE_PUBLISHED_WITHOUT_VCP:
        return {
            "organisation": facts.organisation,
            "version": data["version"],
            "link": addressing.link(TOOLKIT_PAGE),
        }
    advice: dict[str, object] = {
        "organisation": facts.organisation,
        "advice_topic": data["advice_topic"],
    }
    if kind is MailKind.ADVICE_REQUESTED:
        return {**advice, "link": addressing.link(ADVICE_QUEUE_PAGE)}
    answered = {**advice, "link": addressing.link(ADVICE_ANSWERS_PAGE)}
    if kind is MailKind.ADVICE_APPOINTMENT_PROPOSED:
        return {**answered, "appointment": data["appointment"]}
    return answered


_VCP_COLLEAGUE_KINDS = frozenset(
    {
        MailKind.VCP_COLLEAGUE_APPOINTED,
        MailKind.VCP_COLLEAGUE_INVITED,
        MailKind.VCP_COLLEAGUE_KEY_SET,
    }
)

# Only the report id and the deadline (and the link to the VCP's workspace): nothing else
# of a report event reaches a VCP's mail.
_VCP_FIELDS = {
    MailKind.NEW_REPORT: lambda data: {"report_id": data["report_id"]},
    MailKind.DEADLINE_APPROACHING: lambda data: {
        "report_id": data["report_id"],
        "deadline": data["deadline"],
        "due_on": data["due_at"],
    },
    MailKind.DEADLINE_MISSED: lambda data: {
        "report_id": data["report_id"],
        "deadline": data["deadline"],
        "due_on": data["due_at"],
    },
}
