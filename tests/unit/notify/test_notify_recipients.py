import pytest

from services.notify.domain.mail_kinds import MailKind
from services.notify.domain.mail_templates import VCP_MAIL_KINDS
from services.notify.domain.recipients import (
    MAIL_KINDS_SENT_WITHOUT_EVENT,
    MAIL_ROUTES,
    Recipient,
    mail_routes_for,
)
from tests.support.contract import ADDITIONS, API_MD_TYPES

API_EVENT_TYPES = API_MD_TYPES | ADDITIONS


def test_routes_only_name_real_event_types() -> None:
    assert set(MAIL_ROUTES) <= API_EVENT_TYPES


def test_every_mail_kind_is_sent_somehow() -> None:
    routed = {route.kind for routes in MAIL_ROUTES.values() for route in routes}
    assert routed | set(MAIL_KINDS_SENT_WITHOUT_EVENT) == set(MailKind)
    assert not routed & set(MAIL_KINDS_SENT_WITHOUT_EVENT)


def test_vcp_mails_go_to_vcps_and_only_vcp_mails_do() -> None:
    for routes in MAIL_ROUTES.values():
        for route in routes:
            assert (route.recipient is Recipient.VCP) == (route.kind in VCP_MAIL_KINDS)


def test_an_application_mails_the_applicant_and_the_coordinator() -> None:
    routes = mail_routes_for("nl.safehands.volunteer.applied.v1", {"name": "Sanne"})
    assert [(route.recipient, route.kind) for route in routes] == [
        (Recipient.APPLICANT, MailKind.APPLICATION_RECEIVED),
        (Recipient.COORDINATOR, MailKind.NEW_APPLICATION),
    ]


@pytest.mark.parametrize(("outcome", "mails"), [("proceed", 1), ("reject", 0), ("doubt", 0)])
def test_the_first_request_to_sign_follows_a_positive_interview(outcome: str, mails: int) -> None:
    routes = mail_routes_for("nl.safehands.volunteer.interviewed.v1", {"outcome": outcome})
    assert [route.kind for route in routes] == [MailKind.PLEASE_SIGN_CODE] * mails


@pytest.mark.parametrize(
    ("missed", "kind"),
    [(False, MailKind.DEADLINE_APPROACHING), (True, MailKind.DEADLINE_MISSED)],
)
def test_a_deadline_event_mails_approaching_or_missed(missed: bool, kind: MailKind) -> None:
    routes = mail_routes_for("nl.safehands.report.deadline_approaching.v1", {"missed": missed})
    assert [(route.recipient, route.kind) for route in routes] == [(Recipient.VCP, kind)]


def test_events_without_mails_route_nowhere() -> None:
    assert mail_routes_for("nl.safehands.report.message_posted.v1", {}) == ()
    assert mail_routes_for("nl.safehands.unknown.v9", {}) == ()
