"""The board never learns when a report arrived (issue 19, item 4), end to end: a report and
a reporter's message through intake and reports, their events on the real broker, notify
delivering to a real webhook receiver.

While the organisation's VCPs have not turned report events on, an admin's subscription to
them gets nothing; once a VCP turns them on, it gets them with every time at T00:00:00Z and
without who wrote. On Kafka the report events' fields, their `ce_time` and the record's
timestamp are the day too, and so is the mail notification about the report. The VCP's own
route keeps the exact moment.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from aiokafka import ConsumerRecord
from pymongo import MongoClient

from cli import report as reporter
from cli.reporting_client import ApiError, ReportingApi
from shared.crypto import PrivateKey, ReportBody
from shared.events.base import to_the_day
from shared.events.notifications import NotificationSent
from shared.events.reports import IncidentReported, ReportMessagePosted
from tests.support.admission import bearer
from tests.support.kafka import read_topic
from tests.support.mail import mails_to
from tests.support.platform import Infrastructure, RunningService, eventually
from tests.support.webhooks import Receiver, new_secret, serving, subscribe

pytestmark = pytest.mark.e2e

REPORTED = IncidentReported.type_name
POSTED = ReportMessagePosted.type_name
NOTIFIED = NotificationSent.type_name
BODY = ReportBody(category="other", description="Iets wat niet klopte.", wants_contact=False)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with serving(Receiver()) as running:
        yield running


def at_midnight(value: str) -> datetime:
    """The moment a field or attribute gives, which must be a day's T00:00:00Z."""
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    assert moment == to_the_day(moment) and value.endswith("T00:00:00Z"), value
    return moment


def submitted(api: ReportingApi, org: str) -> reporter.Submission | None:
    try:
        return reporter.submit_report(api, org, BODY)
    except ApiError as exc:  # intake learns the VCP's key from an event: eventually
        assert exc.status_code in (404, 422), exc
        return None


def replied(api: ReportingApi, org: str, receipt: str) -> bool:
    try:
        reporter.reply_as_reporter(api, org, receipt, "Nog iets.")
    except ApiError as exc:  # reports stores the case from intake's event: eventually
        assert exc.status_code == 404, exc
        return False
    return True


def headers_of(record: ConsumerRecord) -> dict[str, str]:  # type: ignore[type-arg]
    return {name: value.decode() for name, value in record.headers}


async def test_report_times_leave_reports_only_to_the_day_and_reach_webhooks_only_when_the_vcps_say_so(
    infra: Infrastructure, services: dict[str, RunningService], receiver: Receiver
) -> None:
    org = f"org-{uuid.uuid4().hex[:6]}"
    reports, notify = services["reports"].client(), services["notify"].client()
    admin, vera = bearer(infra.token("admin", org)), bearer(infra.token("vcp", org, "vera"))
    vera_address = f"vera-{org}@example.org"
    key = PrivateKey.generate()

    # Vera is appointed, then sets her own key.
    appointed = reports.post(
        f"/v1/orgs/{org}/vcps",
        json={"vcp_id": "vera", "name": "Vera", "email": vera_address},
        headers=admin,
    )
    assert appointed.status_code == 201, appointed.text
    keyed = reports.put(
        f"/v1/orgs/{org}/vcps/vera/public-key",
        json={"public_key": key.public_key.model_dump()},
        headers=vera,
    )
    assert keyed.status_code == 200, keyed.text
    # The admin subscribes to the report events and to the mail notifications.
    subscribe(
        infra, services["notify"], org, receiver.url("/hook"), [REPORTED, POSTED, NOTIFIED],
        new_secret(),
    )  # fmt: skip

    # Off by default: only a VCP may turn it on, not the admin.
    assert reports.get(f"/v1/orgs/{org}/report-webhooks", headers=admin).json() == {
        "forward_report_events": False
    }
    refused = reports.put(
        f"/v1/orgs/{org}/report-webhooks", json={"forward_report_events": True}, headers=admin
    )
    assert refused.status_code == 403, refused.text

    anonymous = ReportingApi(services["intake"].url, services["reports"].url, None)
    first = eventually(lambda: submitted(anonymous, org), timeout=30)
    before = datetime.now(UTC)

    # The VCP's own route keeps the exact moment.
    listed = eventually(
        lambda: reports.get(f"/v1/orgs/{org}/reports", headers=vera).json(), timeout=30
    )
    received_at = datetime.fromisoformat(listed[0]["received_at"]).replace(tzinfo=UTC)
    assert abs(received_at - before) < timedelta(minutes=2)
    assert received_at != to_the_day(received_at)

    # notify read the report (it mailed Vera), and nothing reached the admin's receiver.
    eventually(lambda: mails_to(infra.maildir, vera_address), timeout=60)
    time.sleep(2)
    assert receiver.at("/hook") == []

    # On Kafka: the fields, ce_time and the record's timestamp are the day.
    def ours(records: list[ConsumerRecord]) -> list[ConsumerRecord]:  # type: ignore[type-arg]
        return [r for r in records if json.loads(r.value).get("org_id") == org]

    on_kafka = ours(
        await read_topic(
            infra.kafka_bootstrap, IncidentReported.topic(), until=lambda r: bool(ours(r))
        )
    )
    assert len(on_kafka) == 1
    [record] = on_kafka
    day = at_midnight(headers_of(record)["ce_time"])
    assert at_midnight(json.loads(record.value)["received_at"]) == day
    assert record.timestamp == int(day.timestamp() * 1000)
    assert day == to_the_day(before)

    def new_report_notification(records: list[ConsumerRecord]) -> list[ConsumerRecord]:  # type: ignore[type-arg]
        return [r for r in ours(records) if json.loads(r.value)["kind"] == "new_report"]

    [notified] = new_report_notification(
        await read_topic(
            infra.kafka_bootstrap,
            NotificationSent.topic(),
            until=lambda r: bool(new_report_notification(r)),
            timeout=30,
        )
    )
    assert at_midnight(headers_of(notified)["ce_time"]) == day
    assert at_midnight(json.loads(notified.value)["sent_at"]) == day

    # A VCP turns report events on; notify learns it from the event.
    turned_on = reports.put(
        f"/v1/orgs/{org}/report-webhooks", json={"forward_report_events": True}, headers=vera
    )
    assert turned_on.status_code == 200, turned_on.text
    assert turned_on.json() == {"forward_report_events": True}

    def notify_knows() -> bool:
        database = f"{services['notify'].child.env['SAFEHANDS_MONGO_DATABASE']}_notify"
        with MongoClient(infra.mongo_uri) as client:
            found = client[database]["organisations"].find_one({"org_id": org})
        return bool(found and found.get("report_webhooks"))

    eventually(notify_knows, timeout=60)

    second = eventually(lambda: submitted(anonymous, org), timeout=30)
    eventually(lambda: replied(anonymous, org, second.receipt), timeout=30)

    def delivered() -> dict[str, dict[str, object]]:
        bodies = [json.loads(r.body) for r in receiver.at("/hook")]
        return {
            b["type"]: b
            for b in bodies
            if b["type"] != NOTIFIED or b["data"]["kind"] == "new_report"
        }

    bodies = eventually(lambda: len(found := delivered()) == 3 and found, timeout=90)
    report_body, posted_body = bodies[REPORTED], bodies[POSTED]
    assert report_body["data"]["report_id"] == second.report_id != first.report_id
    assert at_midnight(str(report_body["time"])) == day
    data = report_body["data"]
    assert isinstance(data, dict)
    assert at_midnight(data["received_at"]) == day
    assert set(data) == {"org_id", "report_id", "received_at"}
    posted = posted_body["data"]
    assert isinstance(posted, dict)
    assert at_midnight(str(posted_body["time"])) == day and at_midnight(posted["posted_at"]) == day
    assert "sender" not in posted
    notification = bodies[NOTIFIED]
    assert at_midnight(str(notification["time"])) == day
    assert isinstance(notification["data"], dict)
    assert at_midnight(notification["data"]["sent_at"]) == day

    # The admin's deliveries page shows those deliveries' times to the day as well.
    [webhook] = notify.get(f"/v1/orgs/{org}/webhooks", headers=admin).json()
    shown = notify.get(
        f"/v1/orgs/{org}/webhooks/{webhook['webhook_id']}/deliveries", headers=admin
    ).json()
    assert shown and all(
        datetime.fromisoformat(d["created_at"]).time().isoformat() == "00:00:00"
        and all(
            datetime.fromisoformat(a["at"]).time().isoformat() == "00:00:00" for a in d["attempts"]
        )
        for d in shown
    )
    anonymous.close()
