"""Webhooks on the real broker and database, to a real HTTP receiver in this process:
signed per the Standard Webhooks specification, retried after failures (also across a
restart of notify), never crossing organisations, and disabled after repeated failures."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from pymongo import MongoClient

from shared.events import REGISTRY, Event
from shared.events.admission import VolunteerApplied
from shared.events.notifications import DeliveryFailed, WebhookDelivered
from shared.events.reports import IncidentReported, ReportWebhooksSet
from tests.support.kafka import read_topic
from tests.support.platform import Infrastructure, Platform, RunningService, eventually
from tests.support.webhooks import (
    Receiver,
    application,
    new_secret,
    publish,
    serving,
    subscribe,
)

APPLIED = VolunteerApplied.type_name
REPORTED = IncidentReported.type_name


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with serving(Receiver()) as running:
        yield running


def verify_standard_webhook(secret: str, headers: dict[str, str], body: bytes) -> None:
    """Written from the Standard Webhooks specification alone, not from our code."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    msg_id, timestamp = headers["webhook-id"], headers["webhook-timestamp"]
    assert abs(time.time() - int(timestamp)) < 300
    expected = base64.b64encode(
        hmac.new(key, f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    ).decode()
    signatures = [s.split(",", 1) for s in headers["webhook-signature"].split()]
    assert any(v == "v1" and hmac.compare_digest(sig, expected) for v, sig in signatures)


async def events_on(infra: Infrastructure, event: type[Event], org: str, count: int) -> list[dict]:  # type: ignore[type-arg]
    def ours(records: list) -> list[dict]:  # type: ignore[type-arg]
        return [json.loads(r.value) for r in records if json.loads(r.value)["org_id"] == org]

    records = await read_topic(
        infra.kafka_bootstrap, event.topic(), until=lambda r: len(ours(r)) >= count, timeout=20
    )
    return ours(records)


async def test_a_signed_delivery_is_retried_across_a_restart_and_never_reaches_another_org(
    infra: Infrastructure, platform: Platform, receiver: Receiver
) -> None:
    env = {"SAFEHANDS_NOTIFY_RETRY_SCALE": "0.2"}  # retries after 1 s and 6 s
    notify = platform.start("notify", env=env)
    org_a, org_b = (f"org-{uuid.uuid4().hex[:6]}" for _ in range(2))
    secret_a, secret_b = new_secret(), new_secret()
    webhook_a = subscribe(infra, notify, org_a, receiver.url("/a"), [APPLIED], secret_a)
    subscribe(infra, notify, org_b, receiver.url("/b"), [APPLIED, REPORTED], secret_b)
    receiver.script["/a"] = [500, 500]

    event_a = application(org_a)
    event_a_id = await publish(infra, event_a)
    eventually(lambda: receiver.at("/a"), timeout=120)
    # notify goes down between the first failed attempt and the retries.
    platform.stop_all()
    notify = platform.start("notify", env=env)
    event_b_id = await publish(infra, application(org_b))
    # org_b's VCPs let report events reach its webhooks (off by default, see
    # tests/e2e/test_report_times_outside_reports.py): notify learns it first.
    await publish(
        infra,
        ReportWebhooksSet(org_id=org_b, forward=True, set_by="vera", set_at=datetime.now(UTC)),
    )

    def forwarding_known() -> bool:
        with MongoClient(infra.mongo_uri) as client:
            found = client[f"{platform.database}_notify"]["organisations"].find_one(
                {"org_id": org_b}
            )
        return bool(found and found.get("report_webhooks"))

    eventually(forwarding_known, timeout=120)
    report_id = str(uuid.uuid4())
    await publish(
        infra,
        IncidentReported(
            org_id=org_b,
            report_id=report_id,
            envelope={"ciphertext": "c2VjcmV0"},
            mailbox_lookup="ab" * 32,
            reply_key={"suite": "X25519", "key": "a2V5"},
            received_at=datetime.now(UTC),
        ),
    )

    attempts = eventually(
        lambda: (r := receiver.at("/a")) and r[-1].answered == 200 and r, timeout=180
    )
    assert [r.answered for r in attempts] == [500, 500, 200]
    for request in attempts:
        verify_standard_webhook(secret_a, request.headers, request.body)
        assert request.headers["content-type"] == "application/cloudevents+json"
    assert len({r.headers["webhook-id"] for r in attempts}) == 1
    assert len({r.body for r in attempts}) == 1
    delivered = json.loads(attempts[-1].body)
    assert {k: delivered[k] for k in ("specversion", "id", "type", "source", "tenantid")} == {
        "specversion": "1.0",
        "id": event_a_id,
        "type": APPLIED,
        "source": "/tests",
        "tenantid": org_a,
    }
    assert delivered["datacontenttype"] == "application/json"
    assert datetime.fromisoformat(delivered["time"].replace("Z", "+00:00"))
    assert delivered["data"] == event_a.model_dump(mode="json")

    at_b = eventually(lambda: len(r := receiver.at("/b")) >= 2 and r, timeout=120)
    for request in at_b:
        verify_standard_webhook(secret_b, request.headers, request.body)
        with pytest.raises(AssertionError):
            verify_standard_webhook(secret_a, request.headers, request.body)
    bodies = {json.loads(r.body)["type"]: json.loads(r.body) for r in at_b}
    assert bodies[APPLIED]["id"] == event_b_id and bodies[APPLIED]["tenantid"] == org_b
    # The org's admin may not read reports: the sealed report and the mailbox stay behind,
    # and the time is the day's (issue 19).
    assert bodies[REPORTED]["data"] == {
        "org_id": org_b,
        "report_id": report_id,
        "received_at": bodies[REPORTED]["data"]["received_at"],
    }
    assert bodies[REPORTED]["data"]["received_at"].endswith("T00:00:00Z")
    assert bodies[REPORTED]["time"].endswith("T00:00:00Z")
    assert all(json.loads(r.body)["tenantid"] == org_a for r in receiver.at("/a"))

    with notify.client() as http:
        shown = http.get(
            f"/v1/orgs/{org_a}/webhooks/{webhook_a}/deliveries",
            headers={"Authorization": f"Bearer {infra.token('admin', org_a)}"},
        ).json()
        hidden = http.get(
            f"/v1/orgs/{org_a}/webhooks/{webhook_a}/deliveries",
            headers={"Authorization": f"Bearer {infra.token('admin', org_b)}"},
        )
        listed = http.get(
            f"/v1/orgs/{org_a}/webhooks",
            headers={"Authorization": f"Bearer {infra.token('admin', org_a)}"},
        ).json()
    assert hidden.status_code == 404
    (delivery,) = shown
    assert delivery["status"] == "delivered" and delivery["event_id"] == event_a_id
    assert [a["status_code"] for a in delivery["attempts"]] == [500, 500, 200]
    assert "secret" not in json.dumps(listed) and secret_a not in json.dumps(listed)
    (reported,) = await events_on(infra, WebhookDelivered, org_a, 1)
    assert reported["event_id"] == event_a_id and reported["attempts"] == 3


def check_subscription_management(infra: Infrastructure, notify: RunningService) -> None:
    org = f"org-{uuid.uuid4().hex[:6]}"
    admin = {"Authorization": f"Bearer {infra.token('admin', org)}"}
    hook = {"url": "http://127.0.0.1:9/in", "event_types": [APPLIED], "secret": new_secret()}
    with notify.client() as http:
        path = f"/v1/orgs/{org}/webhooks"
        coordinator = {"Authorization": f"Bearer {infra.token('coordinator', org)}"}
        assert http.post(path, json=hook, headers=coordinator).status_code == 403
        assert http.post(path, json=hook).status_code == 401
        for broken, phrase in (
            ({"secret": "whsec_c2hvcnQ="}, "24 to 64"),
            ({"event_types": ["nl.safehands.volunteer.teleported.v1"]}, "Unknown event type"),
            ({"url": "gopher://127.0.0.1/"}, "http:// or https://"),
        ):
            refused = http.post(path, json={**hook, **broken}, headers=admin)
            assert refused.status_code == 422 and phrase in refused.json()["detail"]
        webhook = http.post(path, json=hook, headers=admin).json()["webhook_id"]
        assert [w["webhook_id"] for w in http.get(path, headers=admin).json()] == [webhook]
        assert http.delete(f"{path}/{webhook}", headers=admin).status_code == 204
        assert http.delete(f"{path}/{webhook}", headers=admin).status_code == 404
        assert http.get(f"{path}/{webhook}/deliveries", headers=admin).status_code == 404
        assert http.get(path, headers=admin).json() == []
        catalogue = http.get("/asyncapi").json()
    assert catalogue["asyncapi"] == "3.0.0"
    assert {m["name"] for m in catalogue["components"]["messages"].values()} >= {
        event.type_name for event in REGISTRY
    }


async def test_subscriptions_are_vetted_and_a_receiver_that_keeps_failing_is_disabled(
    infra: Infrastructure, platform: Platform, receiver: Receiver
) -> None:
    # The 24-hour schedule in about 9 seconds.
    notify = platform.start("notify", env={"SAFEHANDS_NOTIFY_RETRY_SCALE": "0.0001"})
    check_subscription_management(infra, notify)
    org = f"org-{uuid.uuid4().hex[:6]}"
    admin = f"admin-{uuid.uuid4().hex[:8]}@example.org"
    with notify.client() as http:
        assert (
            http.put(
                f"/v1/orgs/{org}/contacts",
                json={"admins": [admin]},
                headers={"Authorization": f"Bearer {infra.token('admin', org)}"},
            ).status_code
            == 200
        )
    webhook = subscribe(infra, notify, org, receiver.url("/down"), [APPLIED], new_secret())
    receiver.script["/down"] = [503] * 1000
    for _ in range(5):
        await publish(infra, application(org))

    failed = await events_on(infra, DeliveryFailed, org, 5)
    assert len(failed) == 5 and {f["attempts"] for f in failed} == {10}
    assert all(f["webhook_id"] == webhook and f["last_error"] == "status 503" for f in failed)

    def subscription() -> dict:  # type: ignore[type-arg]
        with MongoClient(infra.mongo_uri) as client:
            found = client[f"{platform.database}_notify"]["webhooks"].find_one({"org_id": org})
            assert found is not None
            return found

    eventually(lambda: subscription()["status"] == "disabled", timeout=20)

    def admin_mails() -> list[str]:
        return [p.name for p in infra.maildir.glob("*.eml") if admin in p.read_text()]

    eventually(lambda: len(admin_mails()) == 1, timeout=30)
    # Disabled: a new event is delivered no more.
    seen = len(receiver.at("/down"))
    later = await publish(infra, application(org))

    def consumed_by_notify() -> bool:
        with MongoClient(infra.mongo_uri) as client:
            inbox = client[f"{platform.database}_notify"]["inbox"]
            return inbox.count_documents({"event_id": later, "consumer": "notify"}) == 1

    eventually(consumed_by_notify, timeout=120)
    with notify.client() as http:
        listed = http.get(
            f"/v1/orgs/{org}/webhooks",
            headers={"Authorization": f"Bearer {infra.token('admin', org)}"},
        ).json()
    assert listed[0]["status"] == "disabled"
    assert len(receiver.at("/down")) == seen
    with MongoClient(infra.mongo_uri) as client:
        deliveries = client[f"{platform.database}_notify"]["webhook_deliveries"]
        assert deliveries.count_documents({"org_id": org}) == 5
