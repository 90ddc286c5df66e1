import dataclasses
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from services.notify.domain.mail_facts import (
    MailAddressing,
    MailFacts,
    Recipient,
    StaffMember,
    VcpColleague,
    Volunteer,
)
from services.notify.domain.mail_kinds import MailKind
from services.notify.domain.mail_planning import plan_event_mails
from services.notify.domain.mail_templates import VCP_MAIL_KINDS, render_mail
from services.notify.domain.recipients import (
    MAIL_KINDS_SENT_WITHOUT_EVENT,
    MAIL_ROUTES,
    MailRoute,
    mail_routes_for,
)
from shared.events import REGISTRY, Event
from shared.events.admission import InterviewRecorded, ResignRequired, VolunteerApplied
from shared.events.advice import AdviceAnswered
from shared.events.identity import MemberAdded
from shared.events.reports import (
    ReportDeadlineApproaching,
    ReportMessagePosted,
    VCPAppointed,
    VCPKeySet,
)
from shared.events.trainings import TrainingReminderDue
from tests.support.contract import ADDITIONS, API_MD_TYPES
from tests.support.sample_events import SAMPLE_TIME, sample_event

API_EVENT_TYPES = API_MD_TYPES | ADDITIONS
ROOT = Path(__file__).resolve().parents[3]


def test_routes_only_name_real_event_types() -> None:
    assert {event.type_name for event in MAIL_ROUTES} <= API_EVENT_TYPES
    assert all(REGISTRY.current_model(event.type_name) is event for event in MAIL_ROUTES)


def test_every_mail_kind_is_sent_somehow() -> None:
    routed = {route.kind for routes in MAIL_ROUTES.values() for route in routes}
    assert routed | set(MAIL_KINDS_SENT_WITHOUT_EVENT) == set(MailKind)
    assert not routed & set(MAIL_KINDS_SENT_WITHOUT_EVENT)


def test_vcp_mails_go_to_vcps_and_only_vcp_mails_do() -> None:
    for routes in MAIL_ROUTES.values():
        for route in routes:
            assert (route.recipient is Recipient.VCP) == (route.kind in VCP_MAIL_KINDS)


def test_mails_to_other_vcps_are_only_about_a_vcp_appointed_or_keyed() -> None:
    # Their addresses leave out the VCP the event names, and its time picks the colleagues.
    about_colleagues = {
        event
        for event, routes in MAIL_ROUTES.items()
        if any(route.recipient is Recipient.OTHER_VCPS for route in routes)
    }
    assert about_colleagues == {VCPAppointed, VCPKeySet}


# Everything any mail may need, so that each entry can be written.
EVERYTHING_KNOWN = MailFacts(
    organisation="Sportclub",
    language="en",
    code_version=4,
    volunteer=Volunteer("Anna de Vries", "anna@example.org", "coach", was_admitted=True),
    role_titles={"coach": "Youth coach"},
    vcp_emails=("v@example.org",),
    vcps=(VcpColleague("vcp-1", "Vera Visser", "v@example.org"),),
    coordinator_emails=("c@example.org",),
    admin_emails=("admin@example.org",),
    addressing=MailAddressing(operator_emails=("centre@example.org",)),
)


# Beside the sample event of each class, those its entries' `when` tell apart.
VARIANTS: dict[type[Event], list[dict[str, Any]]] = {
    AdviceAnswered: [{"appointment": SAMPLE_TIME}],
    ReportDeadlineApproaching: [{"missed": True}],
    VCPAppointed: [{"fingerprint": ""}],
    MemberAdded: [{"name": "Bram Bakker", "roles": ["admin", "coordinator"]}],
    ResignRequired: [{"resign_before": date(2027, 1, 6)}],
    TrainingReminderDue: [{"reminder": "day"}],
}


def samples_of(event_class: type[Event]) -> list[Event]:
    return [sample_event(event_class, **fields) for fields in [{}, *VARIANTS.get(event_class, [])]]


@pytest.mark.parametrize(
    "route",
    [route for routes in MAIL_ROUTES.values() for route in routes],
    ids=lambda route: f"{route.event.__name__}-{route.kind}",
)
def test_every_entry_writes_its_mail_for_an_event_of_its_class(route: MailRoute[Any]) -> None:
    # A field the entry reads that the event lacks raises here, and a template field it
    # names wrongly or fills with the wrong type fails to render.
    event = next(e for e in samples_of(route.event) if route.applies_to(e))
    fields = route.fields(event, EVERYTHING_KNOWN)
    for language in ("nl", "en"):
        rendered = render_mail(route.kind, language, **fields)
        assert rendered.subject and rendered.text


def mypy(tmp_path: Path, when: str, fields: str) -> subprocess.CompletedProcess[str]:
    entry = tmp_path / "an_entry.py"
    entry.write_text(
        "from services.notify.domain.mail_facts import Recipient\n"
        "from services.notify.domain.mail_kinds import MailKind\n"
        "from services.notify.domain.recipients import On\n"
        "from shared.events.admission import InterviewRecorded\n"
        "\n"
        "ENTRY = On(InterviewRecorded).mail(\n"
        "    Recipient.APPLICANT,\n"
        "    MailKind.PLEASE_SIGN_CODE,\n"
        f"    when=lambda e: {when},\n"
        f"    fields=lambda e, facts: {fields},\n"
        ")\n"
    )
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml"), str(entry)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
    )


def test_mypy_refuses_an_entry_that_reads_a_field_its_event_lacks(tmp_path: Path) -> None:
    right = mypy(tmp_path, 'e.outcome == "proceed"', '{"recorded_by": e.recorded_by}')
    assert right.returncode == 0, right.stdout

    wrong = mypy(tmp_path, 'e.result == "proceed"', '{"version": e.version}')
    assert wrong.returncode == 1, wrong.stdout
    assert '"InterviewRecorded" has no attribute "result"' in wrong.stdout
    assert '"InterviewRecorded" has no attribute "version"' in wrong.stdout


def test_an_application_mails_the_applicant_and_the_coordinator() -> None:
    routes = mail_routes_for(sample_event(VolunteerApplied))
    assert [(route.recipient, route.kind) for route in routes] == [
        (Recipient.APPLICANT, MailKind.APPLICATION_RECEIVED),
        (Recipient.COORDINATOR, MailKind.NEW_APPLICATION),
    ]


@pytest.mark.parametrize(("outcome", "mails"), [("proceed", 1), ("reject", 0), ("doubt", 0)])
def test_the_first_request_to_sign_follows_a_positive_interview(outcome: str, mails: int) -> None:
    routes = mail_routes_for(sample_event(InterviewRecorded, outcome=outcome))
    assert [route.kind for route in routes] == [MailKind.PLEASE_SIGN_CODE] * mails


@pytest.mark.parametrize(
    ("missed", "kind"),
    [(False, MailKind.DEADLINE_APPROACHING), (True, MailKind.DEADLINE_MISSED)],
)
def test_a_deadline_event_mails_approaching_or_missed(missed: bool, kind: MailKind) -> None:
    routes = mail_routes_for(sample_event(ReportDeadlineApproaching, missed=missed))
    assert [(route.recipient, route.kind) for route in routes] == [(Recipient.VCP, kind)]


def test_events_without_mails_route_nowhere() -> None:
    assert mail_routes_for(sample_event(ReportMessagePosted, sender="vcp")) == ()


def test_a_new_admin_or_coordinator_is_announced_to_the_admins_and_every_vcp() -> None:
    """Every VCP, keyless ones too, and the admins notify knows: who and which roles, with
    no link; a VCP's or a volunteer's membership (no name, their own events) sends none."""
    facts = dataclasses.replace(
        EVERYTHING_KNOWN,
        vcps=(
            VcpColleague("vcp-1", "Vera Visser", "v@example.org"),
            VcpColleague("vcp-2", "Karel Keyless", "k@example.org"),
        ),
    )
    event = sample_event(MemberAdded, name="Bram Bakker", roles=["admin", "coordinator"])
    plan = plan_event_mails(event, facts)
    assert sorted((m.to, m.kind) for m in plan.mails) == [
        ("admin@example.org", MailKind.STAFF_MEMBER_ADDED),
        ("k@example.org", MailKind.STAFF_MEMBER_ADDED),
        ("v@example.org", MailKind.STAFF_MEMBER_ADDED),
    ]
    mail = plan.mails[0]
    assert mail.subject == "Bram Bakker is now administrator and coordinator of Sportclub"
    assert "http" not in mail.text
    for other in (
        sample_event(MemberAdded, sub="vera", roles=["vcp"]),
        sample_event(MemberAdded, sub="v-1", roles=["volunteer"]),
        # From before the name travelled: nothing to write.
        sample_event(MemberAdded, roles=["admin"]),
    ):
        assert plan_event_mails(other, facts).mails == ()


# Two admins (one of them also coordinator) and a coordinator, as identity announced them.
ROSTER = (
    StaffMember("m-ada", "ada@example.org", frozenset({"admin"})),
    StaffMember("m-bram", "bram@example.org", frozenset({"admin", "coordinator"})),
    StaffMember("m-cor", "cor@example.org", frozenset({"coordinator"})),
)


def test_admins_and_coordinators_are_the_members_unless_the_contacts_list_names_some() -> None:
    """Members by default; a kind the contacts list names goes to its addresses instead
    (a shared club address), each kind on its own."""
    members_only = dataclasses.replace(
        EVERYTHING_KNOWN, admin_emails=(), coordinator_emails=(), staff=ROSTER
    )
    assert members_only.addresses(Recipient.ADMIN) == ["ada@example.org", "bram@example.org"]
    assert members_only.addresses(Recipient.COORDINATOR) == [
        "bram@example.org",
        "cor@example.org",
    ]
    club_admin = dataclasses.replace(members_only, admin_emails=("bestuur@example.org",))
    assert club_admin.addresses(Recipient.ADMIN) == ["bestuur@example.org"]
    assert club_admin.addresses(Recipient.COORDINATOR) == ["bram@example.org", "cor@example.org"]
    applied = plan_event_mails(sample_event(VolunteerApplied), members_only)
    assert {m.to for m in applied.mails if m.recipient_role is Recipient.COORDINATOR} == {
        "bram@example.org",
        "cor@example.org",
    }


def test_a_new_member_is_announced_to_the_other_admins_not_to_themself() -> None:
    facts = dataclasses.replace(
        EVERYTHING_KNOWN, admin_emails=(), coordinator_emails=(), staff=ROSTER
    )
    # notify's roster holds the new member already: it is projected before the mails.
    event = sample_event(
        MemberAdded,
        member_id="m-bram",
        name="Bram Bakker",
        roles=["admin", "coordinator"],
        email="bram@example.org",
    )
    plan = plan_event_mails(event, facts)
    assert sorted(m.to for m in plan.mails) == ["ada@example.org", "v@example.org"]
    assert plan.problems == ()
    # The organisation's first admin has no one to be told: no mail, and no problem either.
    first = dataclasses.replace(facts, staff=ROSTER[1:2], vcps=())
    alone = plan_event_mails(event, first)
    assert (alone.mails, alone.problems) == ((), ())
