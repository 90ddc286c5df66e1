"""Webhook forwarding (no loops, withheld report material), subscription vetting, the
structured CloudEvents body and the mail retry backoff."""

from __future__ import annotations

import base64
import json
from datetime import datetime, timedelta, timezone

import pytest

from services.notify.domain.attempt_outcomes import shown_error, status_error
from services.notify.domain.cloudevent_body import structured_event
from services.notify.domain.mail_retry import is_permanent_smtp_refusal, mail_retry_delay
from services.notify.domain.webhook_forwarding import forwards_to_subscription, webhook_data
from services.notify.domain.webhook_subscriptions import SubscriptionRefused, vet_subscription
from shared.events import REGISTRY

DELIVERED = "nl.safehands.webhook.delivered.v1"
APPLIED = "nl.safehands.volunteer.applied.v1"
SECRET = "whsec_" + base64.b64encode(b"k" * 32).decode()


def test_ordinary_events_go_to_every_matching_subscription() -> None:
    assert forwards_to_subscription(APPLIED, {"volunteer_id": "v"}, "w1")


def test_a_delivery_report_never_goes_to_the_subscription_it_is_about() -> None:
    report = {"webhook_id": "w1", "event_type": APPLIED}
    assert not forwards_to_subscription(DELIVERED, report, "w1")
    assert forwards_to_subscription(DELIVERED, report, "w2")


def test_a_report_about_delivering_a_report_goes_nowhere_so_two_subscriptions_cannot_loop() -> None:
    report_of_report = {"webhook_id": "w1", "event_type": DELIVERED}
    assert not forwards_to_subscription(DELIVERED, report_of_report, "w2")
    assert not forwards_to_subscription(
        "nl.safehands.webhook.failed.v1", {"webhook_id": "w1"}, "w2"
    )


def test_the_sealed_report_and_mailbox_are_withheld_from_webhooks() -> None:
    data = {"org_id": "o", "report_id": "r", "envelope": {}, "mailbox_lookup": "l", "reply_key": {}}
    assert webhook_data("nl.safehands.report.received.v1", data) == {
        "org_id": "o",
        "report_id": "r",
    }
    assert webhook_data(APPLIED, {"name": "Anna"}) == {"name": "Anna"}


def test_a_staff_members_address_is_withheld_from_webhooks() -> None:
    """MemberAdded carries an admin's or coordinator's address for notify's mails only."""
    data = {"member_id": "m", "name": "Bram", "email": "bram@example.org"}
    assert webhook_data("nl.safehands.member.added.v1", data) == {"member_id": "m", "name": "Bram"}


def test_no_address_reaches_a_webhook_but_the_applicants() -> None:
    """Every event that carries an address for notify's mails (staff, VCPs, the centre's
    training registrants, who belong to other organisations) reaches a webhook without it;
    a new such event fails here until it is listed. Only an application keeps its
    applicant's address."""
    carrying = {event.type_name for event in REGISTRY if "email" in event.model_fields}
    forwarded = {
        name
        for name in carrying
        if "email" in webhook_data(name, {"email": "someone@example.org", "training_id": "t"})
    }
    assert APPLIED in carrying
    assert "nl.safehands.training.seat_given.v1" in carrying
    assert forwarded == {APPLIED}


def vet(url: str = "https://hooks.example.org/in", **overrides: object) -> list[str]:
    arguments: dict[str, object] = {
        "event_types": [APPLIED, APPLIED],
        "secret": SECRET,
        "known_types": REGISTRY,
        "allow_private_networks": False,
        "resolve": lambda host: ["93.184.215.14"],
        **overrides,
    }
    return vet_subscription(url, **arguments)  # type: ignore[arg-type]


def test_a_good_subscription_passes_with_its_types_once() -> None:
    assert vet() == [APPLIED]


@pytest.mark.parametrize(
    ("url", "overrides", "reason"),
    [
        ("http://127.0.0.1:9000/", {}, "not a public"),
        ("https://intranet.example.org/", {"resolve": lambda host: ["10.0.0.5"]}, "not a public"),
        ("ftp://hooks.example.org/", {}, "http:// or https://"),
        ("https://hooks.example.org/", {"secret": "plain"}, "whsec_"),
        (
            "https://hooks.example.org/",
            {"secret": "whsec_" + base64.b64encode(b"k" * 8).decode()},
            "24 to 64",
        ),
        (
            "https://hooks.example.org/",
            {"event_types": ["nl.safehands.x.y.v1"]},
            "Unknown event type",
        ),
    ],
)
def test_unsafe_targets_bad_secrets_and_unknown_types_are_refused(
    url: str, overrides: dict[str, object], reason: str
) -> None:
    with pytest.raises(SubscriptionRefused, match=reason) as refused:
        vet(url, **overrides)
    assert "kkkk" not in str(refused.value)


def test_private_targets_pass_when_the_operator_allows_them() -> None:
    assert vet("http://127.0.0.1:9000/hook", allow_private_networks=True) == [APPLIED]


def test_the_body_is_a_structured_mode_cloudevent_with_the_tenant() -> None:
    body = structured_event(
        event_id="e1",
        event_type=APPLIED,
        source="/safehands/intake",
        time=datetime(2026, 1, 2, 4, 5, 6, tzinfo=timezone(timedelta(hours=1))),
        tenant_id="org-a",
        data={"volunteer_id": "v"},
    )
    assert json.loads(body) == {
        "specversion": "1.0",
        "id": "e1",
        "type": APPLIED,
        "source": "/safehands/intake",
        "time": "2026-01-02T03:05:06Z",
        "tenantid": "org-a",
        "datacontenttype": "application/json",
        "data": {"volunteer_id": "v"},
    }


def test_mail_retries_double_up_to_a_ceiling_and_scale_down_for_tests() -> None:
    delays = [mail_retry_delay(n) for n in range(1, 12)]
    assert delays[:4] == [timedelta(seconds=s) for s in (5, 10, 20, 40)]
    assert delays[-1] == timedelta(minutes=15) and max(delays) == timedelta(minutes=15)
    assert mail_retry_delay(2, scale=0.1) == timedelta(seconds=1)
    with pytest.raises(ValueError):
        mail_retry_delay(0)


def test_only_a_5xx_reply_ends_the_attempts() -> None:
    assert is_permanent_smtp_refusal(550)
    assert not is_permanent_smtp_refusal(451)
    assert not is_permanent_smtp_refusal(None)


@pytest.mark.parametrize(
    ("recorded", "shown"),
    [
        (None, None),
        ("refused", "refused"),
        ("timed out", "timed out"),
        ("status 503", "status 503"),
        ("HTTP 404", "status 404"),
        ("ConnectError: the request did not complete", "refused"),
        ("The webhook host 'x.example' points to 10.0.0.7, which is not public.", "refused"),
        ("status 503 from 10.0.0.7", "refused"),
    ],
)
def test_the_admin_is_shown_only_refused_timed_out_or_a_status(
    recorded: str | None, shown: str | None
) -> None:
    assert shown_error(recorded) == shown


def test_an_answer_outside_2xx_is_a_status_error() -> None:
    assert [status_error(code) for code in (200, 204, 301, 404, 500)] == [
        None,
        None,
        "status 301",
        "status 404",
        "status 500",
    ]
