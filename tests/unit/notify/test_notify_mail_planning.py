"""From an event and what notify knows to the mails it sends: addresses, language, fields."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from services.notify.domain.mail_kinds import MailKind
from services.notify.domain.mail_planning import MailFacts, Volunteer, plan_event_mails
from services.notify.domain.recipients import Recipient

ANNA = Volunteer("Anna de Vries", "anna@example.org", "coach")
FACTS = MailFacts(
    organisation="Sportclub",
    language="en",
    code_version=4,
    volunteer=ANNA,
    role_titles={"coach": "Youth coach"},
    vcp_emails=("v1@example.org", "v2@example.org"),
    coordinator_emails=("c@example.org",),
)


def plan(event_type: str, facts: MailFacts = FACTS, **data: Any) -> Any:
    return plan_event_mails(f"nl.safehands.{event_type}", {"org_id": "org-a", **data}, facts)


def test_an_application_mails_applicant_and_coordinators_in_the_orgs_language() -> None:
    result = plan("volunteer.applied.v1", volunteer_id="v", role_id="coach")
    assert [(m.to, m.kind, m.recipient_role) for m in result.mails] == [
        ("anna@example.org", MailKind.APPLICATION_RECEIVED, Recipient.APPLICANT),
        ("c@example.org", MailKind.NEW_APPLICATION, Recipient.COORDINATOR),
    ]
    assert result.mails[0].subject == "We have received your application"
    assert "Youth coach" in result.mails[0].text and "Sportclub" in result.mails[0].text
    dutch = plan("volunteer.applied.v1", MailFacts(**{**FACTS.__dict__, "language": "nl"}))
    assert dutch.mails[0].subject == "We hebben je aanmelding ontvangen"


def test_the_first_request_to_sign_names_the_current_code_and_a_resign_its_own_version() -> None:
    (first,) = plan("volunteer.interviewed.v1", outcome="proceed").mails
    assert "(version 4)" in first.subject
    (again,) = plan("volunteer.resign_required.v1", version=5).mails
    assert "(version 5)" in again.subject
    assert plan("volunteer.interviewed.v1", outcome="doubt").mails == ()


def test_a_mail_that_cannot_be_written_is_named_as_a_problem_not_raised() -> None:
    unknown_volunteer = MailFacts(organisation="S", language="nl", coordinator_emails=("c@x.org",))
    result = plan("volunteer.vog_received.v1", unknown_volunteer)
    assert result.mails == ()
    assert "unknown" in result.problems[0]
    no_code = MailFacts(**{**FACTS.__dict__, "code_version": None})
    result = plan("volunteer.interviewed.v1", no_code, outcome="proceed")
    assert result.mails == () and "code of conduct" in result.problems[0]
    no_coordinators = MailFacts(**{**FACTS.__dict__, "coordinator_emails": ()})
    result = plan("volunteer.vog_received.v1", no_coordinators)
    assert result.mails == () and "coordinator" in result.problems[0]


def test_an_unknown_role_is_named_by_its_id() -> None:
    (mail,) = plan("volunteer.vog_requested.v1", role_id="driver", screening_aspects=[84]).mails
    assert "driver" in mail.subject and "84" in mail.text


def test_vcp_mails_hold_the_report_id_and_deadline_and_nothing_else_of_the_event() -> None:
    report_id = str(uuid.uuid4())
    result = plan(
        "report.received.v1",
        report_id=report_id,
        envelope={"ciphertext": "SECRET-CIPHERTEXT"},
        mailbox_lookup="SECRET-LOOKUP",
        received_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
    assert [m.to for m in result.mails] == ["v1@example.org", "v2@example.org"]
    for mail in result.mails:
        assert report_id in mail.text and "SECRET" not in mail.subject + mail.text
    (missed_one, _) = plan(
        "report.deadline_approaching.v1",
        report_id=report_id,
        deadline="feedback",
        due_at=datetime(2026, 4, 30, 23, 30, tzinfo=UTC),
        missed=True,
    ).mails
    assert missed_one.kind is MailKind.DEADLINE_MISSED
    # 23:30 UTC on 30 April is 1 May in the Netherlands, where the VCP reads it.
    assert "1 May 2026" in missed_one.text


def test_the_renewal_mail_names_the_date_and_a_rejection_the_role() -> None:
    (renewal,) = plan("volunteer.vog_expiring.v1", renewal_due=date(2029, 2, 20)).mails
    assert "20 February 2029" in renewal.text
    (rejected,) = plan("volunteer.rejected.v1").mails
    assert rejected.kind is MailKind.REJECTED and "Youth coach" in rejected.text


def test_the_same_address_twice_gets_one_mail() -> None:
    doubled = MailFacts(**{**FACTS.__dict__, "vcp_emails": ("v@example.org", "v@example.org")})
    result = plan("report.received.v1", doubled, report_id=str(uuid.uuid4()))
    assert [m.to for m in result.mails] == ["v@example.org"]


def test_back_to_pending_is_mailed_only_for_a_volunteer_who_was_admitted() -> None:
    progress = plan("volunteer.blocked.v1", missing=["code_signature", "vog"])
    assert progress.mails == () and progress.problems == ()
    lapsed = MailFacts(
        **{**FACTS.__dict__, "volunteer": Volunteer("Anna", "a@x.org", "coach", True)}
    )
    (mail,) = plan("volunteer.blocked.v1", lapsed, missing=["vog"]).mails
    assert mail.to == "c@example.org" and mail.kind is MailKind.VOLUNTEER_BACK_TO_PENDING
    assert "a valid VOG" in mail.text
