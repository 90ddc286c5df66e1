"""Webhooks that cannot be held or aimed inside, on the real broker and database, with real
receivers on free local ports:

- a receiver that trickles its answer a byte a second is cut off at the attempt's deadline,
  and holds no slot another organisation's delivery needs;
- a name that answers a public address and then 127.0.0.1 (DNS rebinding) cannot make a
  delivery reach 127.0.0.1: the delivery connects to the address it vetted;
- the admin is shown "refused", "timed out" or "status N", never internal error text;
- an erased volunteer's name and address leave the delivery records, which expire.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pymongo import MongoClient

from shared.events.admission import VolunteerApplied, VolunteerDataErased
from tests.support.platform import Infrastructure, Platform, RunningService, eventually
from tests.support.rebinding_notify import PUBLIC_ANSWER, REBINDING_NAME
from tests.support.webhooks import (
    Receiver,
    application,
    new_secret,
    publish,
    serving,
    subscribe,
    trickling,
)

APPLIED = VolunteerApplied.type_name
ATTEMPT_DEADLINE = 12.0


def deliveries(
    infra: Infrastructure, notify: RunningService, org: str, webhook: str
) -> list[dict[str, Any]]:
    with notify.client() as http:
        answer = http.get(
            f"/v1/orgs/{org}/webhooks/{webhook}/deliveries",
            headers={"Authorization": f"Bearer {infra.token('admin', org)}"},
        )
    assert answer.status_code == 200, answer.text
    found: list[dict[str, Any]] = answer.json()
    return found


async def test_a_trickling_receiver_is_cut_off_and_does_not_delay_another_organisation(
    infra: Infrastructure, platform: Platform
) -> None:
    notify = platform.start(
        "notify", env={"SAFEHANDS_WEBHOOK_ATTEMPT_DEADLINE_SECONDS": str(ATTEMPT_DEADLINE)}
    )
    slow_org, other_org = (f"org-{uuid.uuid4().hex[:6]}" for _ in range(2))
    with trickling() as slow, serving(Receiver()) as fast:
        slow_hook = subscribe(infra, notify, slow_org, slow.url("/slow"), [APPLIED], new_secret())
        # By name: the request goes to the address the name resolved to, with the name as Host.
        fast_url = f"http://localhost:{fast.port}/fast"
        subscribe(infra, notify, other_org, fast_url, [APPLIED], new_secret())
        # More deliveries than an instance has slots (8), all to the trickling receiver.
        for _ in range(12):
            await publish(infra, application(slow_org))
        eventually(lambda: slow.requests >= 2, timeout=30)

        await publish(infra, application(other_org))
        eventually(lambda: fast.at("/fast"), timeout=ATTEMPT_DEADLINE, interval=0.05)
        with slow.lock:
            # Had the slow organisation held every slot, the other's delivery could only
            # have started once an attempt of the slow one was cut off.
            assert slow.closed_after == [], "the delivery waited for a slot of the slow org"
            assert slow.requests <= 2, "one organisation holds at most 2 slots"
        assert fast.at("/fast")[0].headers["host"] == f"localhost:{fast.port}"

        # The trickle is cut off at the deadline of the whole attempt, not read for ever.
        eventually(lambda: slow.closed_after, timeout=ATTEMPT_DEADLINE + 10)
        with slow.lock:
            assert min(slow.closed_after) > ATTEMPT_DEADLINE - 0.5, slow.closed_after
            assert max(slow.closed_after) < ATTEMPT_DEADLINE + 3, slow.closed_after

        def recorded_attempts() -> list[dict[str, Any]]:
            return [
                attempt
                for delivery in deliveries(infra, notify, slow_org, slow_hook)
                for attempt in delivery["attempts"]
            ]

        attempts = eventually(recorded_attempts, timeout=20)
    assert {attempt["error"] for attempt in attempts} == {"timed out"}
    assert all(attempt["status_code"] is None for attempt in attempts)
    assert all(attempt["duration_ms"] < (ATTEMPT_DEADLINE + 3) * 1000 for attempt in attempts)


async def test_a_rebinding_name_is_refused_at_connect_time_and_never_reaches_loopback(
    infra: Infrastructure, platform: Platform, tmp_path: Path
) -> None:
    connect_log = tmp_path / "connects.log"
    connect_log.touch()
    notify = platform.start(
        "notify",
        module="tests.support.rebinding_notify",
        env={
            "SAFEHANDS_WEBHOOKS_ALLOW_PRIVATE_NETWORKS": "false",
            # 5 s, 30 s, 2 min … become 0.05 s, 0.3 s, 1.2 s.
            "SAFEHANDS_NOTIFY_RETRY_SCALE": "0.01",
            "REBINDING_CONNECT_LOG": str(connect_log),
        },
    )
    org = f"org-{uuid.uuid4().hex[:6]}"
    with serving(Receiver()) as inside:
        # Vetted on subscribing: the name answered the public address then.
        url = f"http://{REBINDING_NAME}:{inside.port}/hook"
        webhook = subscribe(infra, notify, org, url, [APPLIED], new_secret())
        await publish(infra, application(org))

        def four_attempts_or_a_hit() -> list[dict[str, Any]]:
            found = deliveries(infra, notify, org, webhook)
            if inside.received or (found and found[0]["status"] == "delivered"):
                return found
            return found[0]["attempts"] if found and len(found[0]["attempts"]) >= 4 else []

        made = eventually(four_attempts_or_a_hit, timeout=30)
        assert inside.received == [], "a delivery reached 127.0.0.1"

    # When the name answered the public address, the delivery connected to that address
    # (refused here, where nothing public is reachable) instead of asking DNS again.
    tried = connect_log.read_text().split()
    assert tried[0::2] and set(tried[0::2]) == {PUBLIC_ANSWER}
    assert set(tried[1::2]) == {str(inside.port)}
    # The admin learns nothing about the network: no address, no internal error.
    assert {attempt["error"] for attempt in made} == {"refused"}
    shown = json.dumps(deliveries(infra, notify, org, webhook))
    assert "127.0.0.1" not in shown and PUBLIC_ANSWER not in shown


async def test_an_erased_volunteer_leaves_no_name_or_address_in_webhook_deliveries(
    infra: Infrastructure, platform: Platform
) -> None:
    notify = platform.start("notify")
    org = f"org-{uuid.uuid4().hex[:6]}"
    with serving(Receiver()) as receiver:
        subscribe(infra, notify, org, receiver.url("/in"), [APPLIED], new_secret())
        delivered = application(org)
        delivered = delivered.model_copy(
            update={"name": f"Anna {uuid.uuid4().hex[:8]}", "email": f"{uuid.uuid4().hex}@ex.org"}
        )
        await publish(infra, delivered)
        eventually(lambda: receiver.at("/in"), timeout=30)
    # The receiver is gone: this delivery stays pending, retrying.
    waiting = application(org).model_copy(
        update={"name": f"Bert {uuid.uuid4().hex[:8]}", "email": f"{uuid.uuid4().hex}@ex.org"}
    )
    await publish(infra, waiting)
    with MongoClient(infra.mongo_uri) as client:
        records = client[f"{platform.database}_notify"]["webhook_deliveries"]
        eventually(lambda: records.count_documents({"org_id": org}) == 2, timeout=30)
        # A record made before deliveries named their volunteer.
        legacy = application(org).model_copy(update={"volunteer_id": delivered.volunteer_id})
        records.insert_one(
            {
                "_id": str(uuid.uuid4()),
                "org_id": org,
                "webhook_id": "older",
                "event_id": str(uuid.uuid4()),
                "event_type": APPLIED,
                "body": json.dumps({"data": legacy.model_dump(mode="json")}, separators=(",", ":")),
                "status": "delivered",
                "attempts": [],
                "created_at": datetime.now(UTC),
            }
        )

        for person in (delivered, waiting):
            await publish(infra, VolunteerDataErased(org_id=org, volunteer_id=person.volunteer_id))

        def all_erased() -> bool:
            stored = repr(list(records.find({"org_id": org})))
            return not any(
                secret in stored
                for person in (delivered, waiting)
                for secret in (person.name, person.email)
            )

        eventually(all_erased, timeout=30)
        statuses = {
            d["volunteer_id"]: d["status"]
            for d in records.find({"org_id": org})
            if "volunteer_id" in d
        }
        assert statuses == {delivered.volunteer_id: "delivered", waiting.volunteer_id: "cancelled"}

        # Records expire 30 days after the 24-hour retry window.
        ttl = [i for i in records.list_indexes() if "expireAfterSeconds" in i]
    assert [(list(i["key"]), i["expireAfterSeconds"]) for i in ttl] == [
        (["created_at"], (24 + 30 * 24) * 3600)
    ]
