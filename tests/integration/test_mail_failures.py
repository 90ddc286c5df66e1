"""One bad mail cannot stop all mail (issue 19, item 5), on the real broker, database and
SMTP sink. A mail subject with a line break, which Python's `email` refuses, got past
validation: for identity an organisation's name put straight onto the bus (the API refuses
such names now), for notify a mail record written past its templates. Each mail task sets
that mail aside with its reason, counts it in `safehands_mails_set_aside_total`, logs it,
and sends the next mail. A background task that dies makes /readyz answer 503."""

from __future__ import annotations

import re
import time
import uuid
from datetime import UTC, datetime, timedelta

import httpx
from pymongo import MongoClient

from shared.events import Event
from shared.events.admission import (
    OrganisationRegistered,
)
from shared.events.cloudevents import encode
from tests.support.kafka import produce
from tests.support.mail import mails_to
from tests.support.platform import Infrastructure, Platform, bearer, eventually

BROKEN_NAME = "Sportclub\nNieuw"


async def publish(infra: Infrastructure, *events: Event) -> None:
    for event in events:
        record = encode(event, "/tests")
        await produce(infra.kafka_bootstrap, record.topic, record.value, record.key, record.headers)


def set_aside(metrics: str, kind: str, reason: str) -> float:
    pattern = rf'^safehands_mails_set_aside_total\{{kind="{kind}",reason="{reason}"\}} (\S+)$'
    match = re.search(pattern, metrics, re.MULTILINE)
    return float(match[1]) if match else 0.0


async def test_identity_sets_a_mail_it_cannot_write_aside_and_sends_the_next(
    platform: Platform, infra: Infrastructure
) -> None:
    operator = f"op-{uuid.uuid4().hex[:6]}@example.org"
    identity = platform.start("identity", env={"SAFEHANDS_OPERATOR_EMAILS": operator})
    org = f"broken-{uuid.uuid4().hex[:6]}"
    await publish(infra, OrganisationRegistered(org_id=org, name=BROKEN_NAME, language="en"))
    ada = f"ada-{org}@example.org"
    with identity.client() as http:
        # The invitation's subject names the organisation: it cannot be written.
        invited = eventually(
            lambda: (
                (
                    answer := http.post(
                        f"/v1/orgs/{org}/members",
                        json={"email": ada, "name": "Ada", "roles": ["admin"]},
                        headers=bearer(infra.token("operator")),
                    )
                ).status_code
                == 201
                and answer
            )
        )
        assert invited.status_code == 201
        eventually(lambda: set_aside(http.get("/metrics").text, "invitation", "unsendable") == 1.0)
        # The task lives on: the next mail (a sign-in link) goes out.
        assert http.post("/v1/sign-in", json={"email": operator}).status_code == 202
        [link_mail] = eventually(lambda: mails_to(infra.maildir, operator))
        assert "#code=" in str(link_mail.get_body(("plain",)).get_content())  # type: ignore[union-attr]
        assert mails_to(infra.maildir, ada) == []
        assert http.get("/readyz").status_code == 200
    log = identity.log_text()
    assert "mail set aside" in log and "line break" in log
    assert "Sportclub" not in log and "#code=" not in log


def test_notify_sets_a_mail_it_cannot_write_aside_and_sends_the_next(
    platform: Platform, infra: Infrastructure
) -> None:
    # notify's templates keep a subject on one line themselves; a record written past them
    # (by an older version, or by hand) still cannot stop the worker.
    notify = platform.start("notify")
    org = f"club-{uuid.uuid4().hex[:6]}"
    anna, bram = f"anna-{org}@example.org", f"bram-{org}@example.org"
    now = datetime.now(UTC)

    def mail(to: str, subject: str, due: datetime) -> dict[str, object]:
        return {
            "_id": str(uuid.uuid4()),
            "org_id": org,
            "event_id": str(uuid.uuid4()),
            "to": to,
            "kind": "rejected",
            "recipient_role": "applicant",
            "subject": subject,
            "text": "Hello,\n\nA text.\n",
            "volunteer_id": None,
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": due,
            "created_at": now,
        }

    bad = mail(anna, f"About your application to {BROKEN_NAME}", now - timedelta(seconds=2))
    good = mail(bram, "About your application to De Bevers", now - timedelta(seconds=1))
    with MongoClient(infra.mongo_uri) as client:
        mails = client[f"{platform.database}_notify"]["mails"]
        mails.insert_many([bad, good])
        with httpx.Client(base_url=notify.url, timeout=10) as http:
            eventually(lambda: len(mails_to(infra.maildir, bram)) == 1, timeout=30)
            assert set_aside(http.get("/metrics").text, "rejected", "unsendable") == 1.0
            assert http.get("/readyz").status_code == 200
        set_aside_mail = mails.find_one({"_id": bad["_id"]})
    assert set_aside_mail is not None
    assert set_aside_mail["status"] == "failed"
    assert "line break" in set_aside_mail["last_error"]
    assert "Sportclub" not in set_aside_mail["last_error"]
    assert mails_to(infra.maildir, anna) == []
    log = notify.log_text()
    assert "mail set aside" in log and "Sportclub" not in log


def test_a_background_task_that_dies_makes_the_service_not_ready(platform: Platform) -> None:
    counter = platform.start("counter", module="tests.support.counter_service")
    with counter.client() as http:
        assert http.get("/readyz").status_code == 200
        assert http.post("/v1/test/background-dies").status_code == 202
        eventually(lambda: http.get("/readyz").status_code == 503)
        assert http.get("/readyz").json() == {"status": "not ready"}
        assert http.get("/healthz").status_code == 200
    assert "background task died" in counter.log_text()


def test_a_background_task_stuck_past_its_lease_makes_the_service_not_ready(
    platform: Platform,
) -> None:
    """A round of work that runs longer than the lease (3 s in the tests): the task is
    alive, but does nothing, and another instance may have taken its work over."""
    counter = platform.start("counter", module="tests.support.counter_service")
    with counter.client() as http:
        assert http.post("/v1/test/background-stalls").status_code == 202
        # Within its lease it is busy, not stuck.
        time.sleep(1)
        assert http.get("/readyz").status_code == 200
        eventually(lambda: http.get("/readyz").status_code == 503, timeout=10)
        assert http.get("/healthz").status_code == 200
    assert "background task stuck past its lease" in counter.log_text()
    assert "stalling" in counter.log_text()
