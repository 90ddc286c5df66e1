"""Report times leave reports only to the day (issue 19, item 4): the rules, without I/O.
The whole path, on the real broker and a real webhook receiver, is
tests/e2e/test_report_times_outside_reports.py."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.notify.domain.mail_kinds import MailKind
from services.notify.domain.mail_templates import VCP_MAIL_KINDS
from services.notify.domain.webhook_forwarding import forwards_to_organisation, webhook_data
from services.reports.bootstrap import DEFINITION
from services.reports.domain.deadlines import moment_of_receipt
from services.reports.storage import INDEXES
from services.reports.use_cases.report_webhooks import (
    ReportWebhooks,
    report_webhooks,
    set_report_webhooks,
)
from shared.events import REGISTRY
from shared.events.base import to_the_day
from shared.events.cloudevents import decode, encode
from shared.events.notifications import (
    REPORT_MAIL_KINDS,
    DeliveryFailed,
    NotificationSent,
    WebhookDelivered,
)
from shared.events.reports import (
    ReportMessagePosted,
    ReportWebhooksSet,
    VCPKeySet,
)
from shared.messaging.outbox_relay import record_timestamp_ms
from tests.support.fake_unit_of_work import FakeUnitOfWork
from tests.support.sample_events import sample_event

MOMENT = datetime(2026, 3, 2, 21, 47, 13, 123456, tzinfo=UTC)
DAY = datetime(2026, 3, 2, tzinfo=UTC)


def test_the_day_is_midnight_utc_of_the_moment() -> None:
    assert to_the_day(MOMENT) == DAY
    # 00:30 in Amsterdam on 3 March is still 2 March in UTC.
    amsterdam = MOMENT.astimezone(UTC).replace(hour=23, minute=30)
    assert to_the_day(amsterdam) == DAY
    assert to_the_day(datetime(2026, 3, 2, 21, 47)) == DAY  # naive: taken as UTC


@pytest.mark.parametrize(
    "event_type",
    sorted(e.type_name for e in REGISTRY if e.type_name.startswith("nl.safehands.report.")),
)
def test_every_report_event_gives_its_times_and_ce_time_to_the_day(event_type: str) -> None:
    event = sample_event(REGISTRY.model(event_type))
    assert event.tells_of_a_report()
    for name, value in event.model_dump().items():
        if isinstance(value, datetime):
            assert value == to_the_day(value), f"{event_type}.{name}"
    record = encode(event, "/tests", time=MOMENT)
    headers = {name: value.decode() for name, value in record.headers}
    assert headers["ce_time"] == "2026-03-02T00:00:00Z"
    assert record_timestamp_ms(headers) == int(DAY.timestamp() * 1000)
    assert decode(record.headers, record.value, REGISTRY).event == event


def test_a_posted_message_keeps_the_day_only() -> None:
    posted = ReportMessagePosted(
        org_id="club", report_id="r", message_id="m", sender="reporter", posted_at=MOMENT
    )
    assert posted.posted_at == DAY
    assert webhook_data(posted.type_name, posted.model_dump(mode="json")) == {
        "org_id": "club",
        "report_id": "r",
        "message_id": "m",
        "posted_at": "2026-03-02T00:00:00Z",
    }


def test_other_events_keep_their_moment() -> None:
    keyed = VCPKeySet(org_id="club", vcp_id="v", public_key={}, fingerprint="f", set_at=MOMENT)
    assert not keyed.tells_of_a_report() and keyed.set_at == MOMENT
    headers = dict(encode(keyed, "/tests", time=MOMENT).headers)
    assert headers["ce_time"] == b"2026-03-02T21:47:13.123456Z"
    toggled = ReportWebhooksSet(org_id="club", forward=True, set_by="v", set_at=MOMENT)
    assert not toggled.tells_of_a_report()


def test_a_mail_about_a_report_and_a_delivery_of_one_tell_of_a_report() -> None:
    assert {kind.value for kind in MailKind} >= REPORT_MAIL_KINDS
    # Every mail to a VCP about a report (a reporter's message too) tells of a report.
    assert {kind.value for kind in VCP_MAIL_KINDS} == REPORT_MAIL_KINDS
    for kind in MailKind:
        sent = NotificationSent(
            org_id="club",
            notification_id="n",
            kind=kind.value,
            recipient_role="vcp",
            caused_by_event_id="e",
            sent_at=MOMENT,
        )
        about_a_report = kind.value in REPORT_MAIL_KINDS
        assert sent.tells_of_a_report() is about_a_report
        assert sent.sent_at == (DAY if about_a_report else MOMENT)
        ce_time = dict(encode(sent, "/tests", time=MOMENT).headers)["ce_time"]
        assert (ce_time == b"2026-03-02T00:00:00Z") is about_a_report
    for event_type, tells in (("nl.safehands.report.received.v1", True), ("nl.safehands.volunteer.applied.v1", False)):  # fmt: skip
        delivered = WebhookDelivered(
            org_id="club", delivery_id="d", webhook_id="w", event_id="e", status_code=200,
            attempts=1, event_type=event_type,
        )  # fmt: skip
        failed = DeliveryFailed(
            org_id="club", delivery_id="d", webhook_id="w", event_id="e", attempts=9,
            last_error="x", event_type=event_type,
        )  # fmt: skip
        assert delivered.tells_of_a_report() is tells and failed.tells_of_a_report() is tells


def test_report_events_reach_webhooks_only_when_the_vcps_turned_that_on() -> None:
    assert not forwards_to_organisation(tells_of_a_report=True, report_events_forwarded=False)
    assert forwards_to_organisation(tells_of_a_report=True, report_events_forwarded=True)
    assert forwards_to_organisation(tells_of_a_report=False, report_events_forwarded=False)


def test_reports_takes_the_moment_of_receipt_from_its_own_clock_within_the_day() -> None:
    assert moment_of_receipt(DAY, MOMENT) == MOMENT
    # Read on a later day (a replay): the start of the given day, a deadline rather early.
    assert moment_of_receipt(DAY, MOMENT + timedelta(days=1)) == DAY
    assert moment_of_receipt(DAY, DAY - timedelta(minutes=1)) == DAY


async def test_the_vcps_switch_is_off_by_default_and_announced_when_it_changes() -> None:
    uow = FakeUnitOfWork("club", indexes=INDEXES, publishes=DEFINITION.publishes)
    assert await report_webhooks(uow) == ReportWebhooks(forward_report_events=False)
    on = ReportWebhooks(forward_report_events=True)
    assert await set_report_webhooks(uow, on, vcp_id="vera", now=MOMENT) == on
    assert await set_report_webhooks(uow, on, vcp_id="vera", now=MOMENT) == on
    assert await report_webhooks(uow) == on
    assert uow.published == [
        ReportWebhooksSet(org_id="club", forward=True, set_by="vera", set_at=MOMENT)
    ]
    with pytest.raises(ValueError):
        ReportWebhooks.model_validate({"forward_report_events": 1})
