"""What notify knows when it writes a mail: who receives it, and what it remembers of the
event's organisation (names, addresses, language, its VCPs) and of its own settings."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum

from services.notify.domain.mail_templates import MailFieldError


class Recipient(StrEnum):
    APPLICANT = "applicant"
    COORDINATOR = "coordinator"
    # The VCPs with a key: those who can read reports.
    VCP = "vcp"
    # Every VCP of the organisation but the one the event is about, with a key or not yet.
    OTHER_VCPS = "other_vcps"
    # Every VCP of the organisation, with a key or not yet (a new admin's announcement).
    EVERY_VCP = "every_vcp"
    ADMIN = "admin"
    # The regional centre that runs the platform: SAFEHANDS_OPERATOR_EMAILS.
    OPERATOR = "operator"
    # A member registered for one of the centre's trainings: the address the event carries
    # (the one they gave when registering), in the language they registered in.
    REGISTRANT = "registrant"
    # Those invited to comment on the draft code (the event's `invitee_ids`): volunteers,
    # staff and VCPs whose address notify knows.
    INVITEES = "invitees"


@dataclass(frozen=True)
class Volunteer:
    name: str
    email: str
    role_id: str
    # Whether they were admitted until the event being handled: policy also announces
    # AdmissionBlocked when a pending volunteer's missing steps change, which is progress,
    # not a volunteer "back to pending".
    was_admitted: bool = False
    # The code versions they signed (CodeSigned), so nobody is asked to sign what they did.
    signed_versions: frozenset[int] = frozenset()


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


@dataclass(frozen=True)
class StaffMember:
    """An admin or coordinator of the organisation, from identity's MemberAdded."""

    member_id: str
    email: str
    roles: frozenset[str]


# The contact list's kinds, by the recipient they stand in for.
_STAFF_ROLE: Mapping[Recipient, str] = {
    Recipient.ADMIN: "admin",
    Recipient.COORDINATOR: "coordinator",
}


DEFAULT_WEB_URL = "http://127.0.0.1:8080"

# Where mails point to on the web app: straight to the page of what the mail asks to do
# (web/src/lib/router.ts gives each its own address): the admin's toolkit and advice, the
# operator's queue, the VCP's workspace and one case.
TOOLKIT_PAGE = "/admin/toolkit"
ADVICE_ANSWERS_PAGE = "/admin/advice"
ADVICE_QUEUE_PAGE = "/operator#advice"
VCP_PAGE = "/vcp"
# Where the invited read the draft under consultation and comment: their own page.
CONSULTATION_PAGE = "/me#consultation"
# The volunteer's own page, where they sign the code; the admin's webhooks.
MY_PAGE = "/me"
# A member's trainings and registrations (any organisation's member).
TRAININGS_PAGE = "/me#trainings"
WEBHOOKS_PAGE = "/admin/webhooks"
# The admin's page shows the regional centre's news.
NEWS_PAGE = "/admin/news"


def volunteer_page(volunteer_id: str) -> str:
    """The coordinator's detail of one volunteer (contact details, interview, VOG): only
    the id, which carries nothing of the person."""
    return f"/coordinator/volunteers/{volunteer_id}"


def case_page(report_id: str) -> str:
    """A VCP's case: only its id, which the mail names anyway, never anything of the report."""
    return f"{VCP_PAGE}/cases/{report_id}"


@dataclass(frozen=True)
class MailAddressing:
    """What notify knows from its settings rather than from events."""

    operator_emails: Sequence[str] = ()
    web_url: str = DEFAULT_WEB_URL

    def link(self, page: str) -> str:
        return self.web_url.rstrip("/") + page


@dataclass(frozen=True)
class ReportReaders:
    """The keys a report was sealed to (fingerprints) and the VCPs it was handed to."""

    fingerprints: frozenset[str] = frozenset()
    vcp_ids: frozenset[str] = frozenset()


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
    # The contacts list (`PUT …/contacts`): when it names addresses of a kind, those receive
    # that kind's mails instead of the members (a shared club address).
    coordinator_emails: Sequence[str] = ()
    admin_emails: Sequence[str] = ()
    # The organisation's admins and coordinators: the recipients by default.
    staff: Sequence[StaffMember] = ()
    addressing: MailAddressing = field(default_factory=MailAddressing)
    # Who may read the report the event is about (notify's `report_readers`), if known.
    report_readers: ReportReaders | None = None
    # The addresses of the event's `invitee_ids` that notify knows (a consultation's mails).
    invitee_emails: Sequence[str] = ()

    def known_volunteer(self) -> Volunteer:
        """The volunteer the event is about; MailFieldError when notify never saw them apply."""
        if self.volunteer is None:
            raise MailFieldError("the volunteer is unknown to notify (no application seen).")
        return self.volunteer

    def role_title(self, role_id: str) -> str:
        # A role notify has not heard of yet is named by its id: a plain mail beats none.
        return self.role_titles.get(role_id, role_id)

    def vcp_name(self, vcp_id: str) -> str:
        return next((v.name for v in self.vcps if v.vcp_id == vcp_id and v.name), vcp_id)

    def staff_addresses(self, recipient: Recipient, *, leaving_out: str | None = None) -> list[str]:
        """The admins' or coordinators' addresses: the contacts list's when it has any for
        that kind, otherwise the members'; `leaving_out` is a member_id that is not told
        (the new member of an announcement)."""
        role = _STAFF_ROLE[recipient]
        contacts = self.admin_emails if recipient is Recipient.ADMIN else self.coordinator_emails
        if contacts:
            return list(contacts)
        return [m.email for m in self.staff if role in m.roles and m.member_id != leaving_out]

    def addresses(self, recipient: Recipient) -> Sequence[str]:
        if recipient is Recipient.APPLICANT:
            return (self.volunteer.email,) if self.volunteer else ()
        if recipient in _STAFF_ROLE:
            return self.staff_addresses(recipient)
        return {
            Recipient.VCP: self.vcp_emails,
            Recipient.OPERATOR: self.addressing.operator_emails,
            Recipient.OTHER_VCPS: [v.email for v in self.vcps],
            Recipient.EVERY_VCP: [v.email for v in self.vcps],
            # Only the event knows it (mail_planning.plan_event_mails).
            Recipient.REGISTRANT: (),
            Recipient.INVITEES: self.invitee_emails,
        }[recipient]
