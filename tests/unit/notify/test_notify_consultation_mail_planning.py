"""A consultation round's mails, planned without I/O: to the invitees' addresses notify
knows, each once, with the organisation and the days only; no invitee known, no mail and a
problem named instead."""

from __future__ import annotations

from datetime import date

from services.notify.domain.mail_facts import MailFacts, Recipient
from services.notify.domain.mail_kinds import MailKind
from services.notify.domain.mail_planning import plan_event_mails
from shared.events.consultation import (
    ConsultationClosed,
    ConsultationClosingSoon,
    ConsultationCommented,
    ConsultationOpened,
)

FACTS = MailFacts(
    organisation="De Meeuwen",
    language="nl",
    invitee_emails=("anna@example.org", "cor@example.org", "anna@example.org"),
)
IDS = ["v-1", "cor-1"]


def test_the_invitation_goes_to_each_invitee_once_with_the_closing_day() -> None:
    event = ConsultationOpened(
        org_id="org-a", consultation_id="r", closes_on=date(2026, 12, 20), invitee_ids=IDS
    )
    plan = plan_event_mails(event, FACTS)
    assert sorted(m.to for m in plan.mails) == ["anna@example.org", "cor@example.org"]
    assert {(m.kind, m.recipient_role) for m in plan.mails} == {
        (MailKind.CONSULTATION_INVITED, Recipient.INVITEES)
    }
    assert "20 december 2026" in plan.mails[0].text and "De Meeuwen" in plan.mails[0].subject
    assert "/me#consultation" in plan.mails[0].text


def test_the_reminder_and_the_result() -> None:
    soon = ConsultationClosingSoon(
        org_id="org-a", consultation_id="r", closes_on=date(2026, 12, 20), invitee_ids=IDS
    )
    closed = ConsultationClosed(
        org_id="org-a",
        consultation_id="r",
        closed_on=date(2026, 12, 21),
        people=0,
        comments=0,
        invitee_ids=IDS,
    )
    assert {m.kind for m in plan_event_mails(soon, FACTS).mails} == {
        MailKind.CONSULTATION_CLOSING_SOON
    }
    result = plan_event_mails(closed, FACTS).mails
    assert {m.kind for m in result} == {MailKind.CONSULTATION_CLOSED}
    assert "0 mensen gaven 0 reacties" in result[0].text


def test_a_comment_mails_nobody_and_unknown_invitees_are_a_named_problem() -> None:
    commented = ConsultationCommented(
        org_id="org-a", consultation_id="r", comment_id="c", section="respect"
    )
    assert plan_event_mails(commented, FACTS).mails == ()
    opened = ConsultationOpened(
        org_id="org-a", consultation_id="r", closes_on=date(2026, 12, 20), invitee_ids=IDS
    )
    plan = plan_event_mails(opened, MailFacts(organisation="De Meeuwen", language="nl"))
    assert plan.mails == () and plan.problems
