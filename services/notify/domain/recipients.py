"""Which event sends which mail to whom, with which fields: one table to scan.

Every entry is typed by its event class: `On(InterviewRecorded).mail(...)` hands its `when`
and its `fields` the event itself, so mypy checks each attribute a mail reads. A renamed
event field fails `make lint` instead of silently dropping a mail at run time. The names of
a mail's template fields are checked when it is written (mail_templates.MAIL_FIELDS), and
tests/unit/notify/test_notify_recipients.py writes every entry for an event of its class.

`when` decides from the event alone (notify then loads only the facts the mails need);
`provided` decides from what notify knows of the organisation.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Generic, TypeVar

from services.notify.domain.mail_facts import (
    ADVICE_ANSWERS_PAGE,
    ADVICE_QUEUE_PAGE,
    CONSULTATION_PAGE,
    MY_PAGE,
    NEWS_PAGE,
    TOOLKIT_PAGE,
    TRAININGS_PAGE,
    VCP_PAGE,
    MailFacts,
    Recipient,
    case_page,
    volunteer_page,
)
from services.notify.domain.mail_kinds import MailKind
from services.notify.domain.mail_templates import MailFieldError
from shared.events import Event
from shared.events.admission import (
    AdmissionBlocked,
    CodeOfConductPublished,
    InterviewRecorded,
    ResignRequired,
    VOGExpiring,
    VOGReceived,
    VOGRequested,
    VolunteerAdmitted,
    VolunteerApplied,
    VolunteerRejected,
)
from shared.events.advice import AdviceAnswered, AdviceRequested
from shared.events.consultation import (
    ConsultationClosed,
    ConsultationClosingSoon,
    ConsultationOpened,
)
from shared.events.identity import MemberAdded
from shared.events.region import NewsDigestDue
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

__all__ = [
    "MAIL_KINDS_SENT_WITHOUT_EVENT",
    "MAIL_ROUTES",
    "MailRoute",
    "On",
    "Recipient",
    "mail_routes_for",
    "vcp_colleague_fields",
]

E = TypeVar("E", bound=Event)
# A mail's template fields (mail_templates.MAIL_FIELDS names them per kind).
Fields = Mapping[str, object]


@dataclass(frozen=True)
class MailRoute(Generic[E]):
    """One mail an event of class `event` sends: to whom, which kind, with which fields."""

    event: type[E]
    recipient: Recipient
    kind: MailKind
    fields: Callable[[E, MailFacts], Fields]
    when: Callable[[E], bool] | None = None
    provided: Callable[[MailFacts], bool] | None = None
    # Decides from the event and what notify knows (a signature already given, say).
    unless: Callable[[E, MailFacts], bool] | None = None

    def applies_to(self, event: E) -> bool:
        return self.when is None or self.when(event)

    def wanted_with(self, facts: MailFacts, event: E | None = None) -> bool:
        if self.unless is not None and event is not None and self.unless(event, facts):
            return False
        return self.provided is None or self.provided(facts)


@dataclass(frozen=True)
class On(Generic[E]):
    """The mails of one event class: `On(VolunteerApplied).mail(...).mail(...)`."""

    event: type[E]
    routes: tuple[MailRoute[E], ...] = ()

    def mail(
        self,
        recipient: Recipient,
        kind: MailKind,
        *,
        fields: Callable[[E, MailFacts], Fields],
        when: Callable[[E], bool] | None = None,
        provided: Callable[[MailFacts], bool] | None = None,
        unless: Callable[[E, MailFacts], bool] | None = None,
    ) -> On[E]:
        route = MailRoute(self.event, recipient, kind, fields, when, provided, unless)
        return On(self.event, (*self.routes, route))


def _table(*entries: On[Any]) -> Mapping[type[Event], tuple[MailRoute[Any], ...]]:
    table: dict[type[Event], tuple[MailRoute[Any], ...]] = {}
    for entry in entries:
        if entry.event in table:
            raise ValueError(f"{entry.event.__name__} has two entries; give it one.")
        table[entry.event] = entry.routes
    return table


# The fields mails share, from what notify knows rather than from the event.


def _applicant(facts: MailFacts) -> dict[str, object]:
    return {"name": facts.known_volunteer().name, "organisation": facts.organisation}


def _applicant_in_role(facts: MailFacts, role_id: str | None = None) -> dict[str, object]:
    """`role_id` from the event when it names one, else the role they applied for."""
    role = role_id if role_id is not None else facts.known_volunteer().role_id
    return {**_applicant(facts), "role_title": facts.role_title(role)}


def _please_sign(facts: MailFacts, version: int | None) -> dict[str, object]:
    applicant = _applicant(facts)
    if version is None:
        raise MailFieldError("no code of conduct has been published yet.")
    return {**applicant, "version": version, "link": facts.addressing.link(MY_PAGE)}


def _volunteer_link(facts: MailFacts, volunteer_id: str) -> str:
    return facts.addressing.link(volunteer_page(volunteer_id))


def _last_day_before(day: date | None) -> date:
    if day is None:
        raise MailFieldError("the grace period has no end.")
    return day - timedelta(days=1)


def vcp_colleague_fields(facts: MailFacts, vcp_id: str, fingerprint: str | None) -> Fields:
    """Who was appointed or set a key, and the key's fingerprint, not what they can read.
    Also for the mails a VCP is owed (mail_planning.plan_owed_colleague_mails)."""
    fields: dict[str, object] = {
        "organisation": facts.organisation,
        "vcp_name": facts.vcp_name(vcp_id),
        "link": facts.addressing.link(VCP_PAGE),
    }
    if fingerprint is not None:
        fields["fingerprint"] = fingerprint
    return fields


def _report_deadline(event: ReportDeadlineApproaching, facts: MailFacts) -> Fields:
    return {
        "report_id": event.report_id,
        "deadline": event.deadline,
        "due_on": event.due_at,
        "link": facts.addressing.link(case_page(event.report_id)),
    }


def _advice_answered(event: AdviceAnswered, facts: MailFacts) -> dict[str, object]:
    return {
        "organisation": facts.organisation,
        "advice_topic": event.advice_topic,
        "link": facts.addressing.link(ADVICE_ANSWERS_PAGE),
    }


def _training_fields(title: str, starts_at: date, facts: MailFacts) -> Fields:
    return {
        "training_title": title,
        "starts_at": starts_at,
        "link": facts.addressing.link(TRAININGS_PAGE),
    }


def _consultation(facts: MailFacts, closes_on: date) -> dict[str, object]:
    return {
        "organisation": facts.organisation,
        "closes_on": closes_on,
        "link": facts.addressing.link(CONSULTATION_PAGE),
    }


STAFF_ROLES = ("admin", "coordinator")


def _new_staff(event: MemberAdded) -> bool:
    """An admin or coordinator invited (or given another role) in identity; VCPs and
    volunteers are announced by their own events, and events from before `name` travelled
    cannot be written."""
    return event.name is not None and any(role in STAFF_ROLES for role in event.roles)


def _staff_fields(event: MemberAdded, facts: MailFacts) -> Fields:
    return {
        "organisation": facts.organisation,
        "member_name": event.name,
        "staff_roles": [role for role in STAFF_ROLES if role in event.roles],
    }


def _no_vcp_yet(facts: MailFacts) -> bool:
    return not (facts.vcp_emails or facts.vcps)


def _has_signed(facts: MailFacts, version: int | None) -> bool:
    """Whether the volunteer signed `version` already: the "please sign" mail is not sent to
    someone who just signed (before the interview, on paper, or the new version at once)."""
    return (
        version is not None
        and facts.volunteer is not None
        and version in facts.volunteer.signed_versions
    )


def _was_admitted(facts: MailFacts) -> bool:
    return facts.volunteer is not None and facts.volunteer.was_admitted


MAIL_ROUTES = _table(
    On(VolunteerApplied)
    .mail(
        Recipient.APPLICANT,
        MailKind.APPLICATION_RECEIVED,
        fields=lambda e, facts: _applicant_in_role(facts, e.role_id),
    )
    .mail(
        Recipient.COORDINATOR,
        MailKind.NEW_APPLICATION,
        fields=lambda e, facts: {
            "volunteer_name": facts.known_volunteer().name,
            "role_title": facts.role_title(facts.known_volunteer().role_id),
            "link": _volunteer_link(facts, e.volunteer_id),
        },
    ),
    # The first request to sign comes once the intake interview says "go ahead".
    On(InterviewRecorded).mail(
        Recipient.APPLICANT,
        MailKind.PLEASE_SIGN_CODE,
        when=lambda e: e.outcome == "proceed",
        unless=lambda e, facts: _has_signed(facts, facts.code_version),
        fields=lambda e, facts: _please_sign(facts, facts.code_version),
    ),
    # A new version: during its grace period (and the reminder before it ends) the mail names
    # the last day to sign; without one the signature is missing already.
    On(ResignRequired)
    .mail(
        Recipient.APPLICANT,
        MailKind.PLEASE_SIGN_CODE,
        when=lambda e: e.resign_before is None,
        unless=lambda e, facts: _has_signed(facts, e.version),
        fields=lambda e, facts: _please_sign(facts, e.version),
    )
    .mail(
        Recipient.APPLICANT,
        MailKind.PLEASE_SIGN_NEW_CODE,
        when=lambda e: e.resign_before is not None,
        unless=lambda e, facts: _has_signed(facts, e.version),
        fields=lambda e, facts: {
            **_please_sign(facts, e.version),
            "sign_by": _last_day_before(e.resign_before),
        },
    ),
    On(VOGRequested).mail(
        Recipient.APPLICANT,
        MailKind.VOG_NEEDED,
        fields=lambda e, facts: {
            **_applicant_in_role(facts, e.role_id),
            "screening_aspects": list(e.screening_aspects),
        },
    ),
    On(VOGReceived).mail(
        Recipient.COORDINATOR,
        MailKind.VOG_RECEIVED,
        fields=lambda e, facts: {
            "volunteer_name": facts.known_volunteer().name,
            "link": _volunteer_link(facts, e.volunteer_id),
        },
    ),
    On(VOGExpiring).mail(
        Recipient.APPLICANT,
        MailKind.VOG_RENEWAL_APPROACHING,
        fields=lambda e, facts: {**_applicant(facts), "renewal_date": e.renewal_due},
    ),
    On(VolunteerAdmitted).mail(
        Recipient.APPLICANT,
        MailKind.ADMITTED,
        fields=lambda e, facts: _applicant_in_role(facts, e.role_id),
    ),
    # Policy also announces AdmissionBlocked when a pending volunteer's missing steps
    # change: progress, not a volunteer back to pending, and no mail.
    On(AdmissionBlocked).mail(
        Recipient.COORDINATOR,
        MailKind.VOLUNTEER_BACK_TO_PENDING,
        provided=_was_admitted,
        fields=lambda e, facts: {
            "volunteer_name": facts.known_volunteer().name,
            "missing": list(e.missing),
            "link": _volunteer_link(facts, e.volunteer_id),
        },
    ),
    On(VolunteerRejected).mail(
        Recipient.APPLICANT,
        MailKind.REJECTED,
        fields=lambda e, facts: _applicant_in_role(facts),
    ),
    # Only the report id (and the link to the VCP's workspace): nothing else of a report
    # event reaches a VCP's mail.
    On(IncidentReported).mail(
        Recipient.VCP,
        MailKind.NEW_REPORT,
        fields=lambda e, facts: {
            "report_id": e.report_id,
            "link": facts.addressing.link(case_page(e.report_id)),
        },
    ),
    # A reporter's message, to the VCPs who can read the case (mail_planning): only the
    # report id and the link, like a new report. A VCP's own reply is no news to them.
    On(ReportMessagePosted).mail(
        Recipient.VCP,
        MailKind.REPORTER_MESSAGE,
        when=lambda e: e.sender == "reporter",
        fields=lambda e, facts: {
            "report_id": e.report_id,
            "link": facts.addressing.link(case_page(e.report_id)),
        },
    ),
    On(ReportDeadlineApproaching)
    .mail(
        Recipient.VCP,
        MailKind.DEADLINE_APPROACHING,
        when=lambda e: not e.missed,
        fields=_report_deadline,
    )
    .mail(
        Recipient.VCP,
        MailKind.DEADLINE_MISSED,
        when=lambda e: e.missed,
        fields=_report_deadline,
    ),
    # A VCP appointed without a key has an empty fingerprint until VCPKeySet.
    On(VCPAppointed)
    .mail(
        Recipient.OTHER_VCPS,
        MailKind.VCP_COLLEAGUE_APPOINTED,
        when=lambda e: bool(e.fingerprint),
        fields=lambda e, facts: vcp_colleague_fields(facts, e.vcp_id, e.fingerprint),
    )
    .mail(
        Recipient.OTHER_VCPS,
        MailKind.VCP_COLLEAGUE_INVITED,
        when=lambda e: e.fingerprint == "",
        fields=lambda e, facts: vcp_colleague_fields(facts, e.vcp_id, None),
    ),
    On(VCPKeySet).mail(
        Recipient.OTHER_VCPS,
        MailKind.VCP_COLLEAGUE_KEY_SET,
        fields=lambda e, facts: vcp_colleague_fields(facts, e.vcp_id, e.fingerprint),
    ),
    # A new admin or coordinator, to the admins (notify's contacts: no event carries their
    # addresses) and every VCP: who and which roles, nothing more.
    On(MemberAdded)
    .mail(Recipient.ADMIN, MailKind.STAFF_MEMBER_ADDED, when=_new_staff, fields=_staff_fields)
    .mail(Recipient.EVERY_VCP, MailKind.STAFF_MEMBER_ADDED, when=_new_staff, fields=_staff_fields),
    # Only while notify knows no VCP of the organisation: the mail points to the VCP profile.
    On(CodeOfConductPublished).mail(
        Recipient.ADMIN,
        MailKind.CODE_PUBLISHED_WITHOUT_VCP,
        provided=_no_vcp_yet,
        fields=lambda e, facts: {
            "organisation": facts.organisation,
            "version": e.version,
            "link": facts.addressing.link(TOOLKIT_PAGE),
        },
    ),
    # Advice mails say that there is a question or an answer, and where to read it: the
    # events carry no text, and neither do the mails (an "incident" question may hold what
    # belongs with a VCP).
    On(AdviceRequested).mail(
        Recipient.OPERATOR,
        MailKind.ADVICE_REQUESTED,
        fields=lambda e, facts: {
            "organisation": facts.organisation,
            "advice_topic": e.advice_topic,
            "link": facts.addressing.link(ADVICE_QUEUE_PAGE),
        },
    ),
    On(AdviceAnswered)
    .mail(
        Recipient.ADMIN,
        MailKind.ADVICE_ANSWERED,
        when=lambda e: e.appointment is None,
        fields=_advice_answered,
    )
    .mail(
        Recipient.ADMIN,
        MailKind.ADVICE_APPOINTMENT_PROPOSED,
        when=lambda e: e.appointment is not None,
        fields=lambda e, facts: {**_advice_answered(e, facts), "appointment": e.appointment},
    ),
    # The centre's trainings: to the member, at the address they registered with; the
    # title and start only (nothing of their organisation).
    On(TrainingSeatGiven).mail(
        Recipient.REGISTRANT,
        MailKind.TRAINING_SEAT_GIVEN,
        fields=lambda e, facts: _training_fields(e.title, e.starts_at, facts),
    ),
    On(TrainingCancelledNotice).mail(
        Recipient.REGISTRANT,
        MailKind.TRAINING_CANCELLED,
        fields=lambda e, facts: _training_fields(e.title, e.starts_at, facts),
    ),
    # What changed and the training as it is now; the calendar file on the page linked.
    On(TrainingChangedNotice).mail(
        Recipient.REGISTRANT,
        MailKind.TRAINING_CHANGED,
        fields=lambda e, facts: {
            **_training_fields(e.title, e.starts_at, facts),
            "ends_at": e.ends_at,
            "training_where": [where for where in (e.place, e.online_link) if where],
            "training_changes": e.changed,
        },
    ),
    On(TrainingReminderDue)
    .mail(
        Recipient.REGISTRANT,
        MailKind.TRAINING_REMINDER_WEEK,
        when=lambda e: e.reminder == "week",
        fields=lambda e, facts: _training_fields(e.title, e.starts_at, facts),
    )
    .mail(
        Recipient.REGISTRANT,
        MailKind.TRAINING_REMINDER_DAY,
        when=lambda e: e.reminder == "day",
        fields=lambda e, facts: _training_fields(e.title, e.starts_at, facts),
    ),
    # A consultation on the draft code, to those invited: the organisation's name and the
    # days (and the result's counts), never the draft or a comment.
    On(ConsultationOpened).mail(
        Recipient.INVITEES,
        MailKind.CONSULTATION_INVITED,
        fields=lambda e, facts: _consultation(facts, e.closes_on),
    ),
    On(ConsultationClosingSoon).mail(
        Recipient.INVITEES,
        MailKind.CONSULTATION_CLOSING_SOON,
        fields=lambda e, facts: _consultation(facts, e.closes_on),
    ),
    On(ConsultationClosed).mail(
        Recipient.INVITEES,
        MailKind.CONSULTATION_CLOSED,
        fields=lambda e, facts: {
            **_consultation(facts, e.closed_on),
            "people": e.people,
            "comments": e.comments,
        },
    ),
    # The weekly digest of the centre's news, to the admins of an organisation that asked for
    # it: the titles and the admin's page, where the items are read after signing in.
    On(NewsDigestDue).mail(
        Recipient.ADMIN,
        MailKind.NEWS_DIGEST,
        fields=lambda e, facts: {
            "organisation": facts.organisation,
            "news_titles": [headline.title for headline in e.headlines],
            "link": facts.addressing.link(NEWS_PAGE),
        },
    ),
)

# Mails notify decides on itself rather than in answer to another service's event.
MAIL_KINDS_SENT_WITHOUT_EVENT: Mapping[MailKind, Recipient] = {
    # After SUBSCRIPTION_DISABLE_AFTER_CONSECUTIVE_FAILED_DELIVERIES failed deliveries in a row.
    MailKind.WEBHOOK_SUBSCRIPTION_DISABLED: Recipient.ADMIN,
}


def mail_routes_for(event: Event) -> tuple[MailRoute[Any], ...]:
    """The mails `event` sends by itself; none for events we do not mail."""
    return tuple(route for route in MAIL_ROUTES.get(type(event), ()) if route.applies_to(event))
