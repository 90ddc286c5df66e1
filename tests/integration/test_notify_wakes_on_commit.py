"""notify sends a mail or a webhook as soon as it has written it, not at its next poll
(issue 27: the platform's looks for work were most of the idle database's load, so they
are rare now, and a commit of this instance wakes the worker instead).

notify runs here with the longest poll there is (60 s). An application's mails and its
webhook delivery are written by notify's consumer; they must leave well within that."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator

import pytest
from pymongo import MongoClient

from shared.events.admission import VolunteerApplied
from tests.integration.test_notify_mail import (
    NOW,
    address,
    known_to_notify,
    mail_documents,
    publish,
    set_contacts,
    sports_club,
)
from tests.support.platform import Infrastructure, Platform, RunningService, eventually
from tests.support.webhooks import Receiver, application, new_secret, serving, subscribe
from tests.support.webhooks import publish as publish_one

POLL_SECONDS = 60
# What a mail may take from its row to the SMTP sink: the wake, a claim, an SMTP exchange.
SENT_WITHIN_SECONDS = 10


@pytest.fixture(scope="module")
def rarely_polling(infra: Infrastructure) -> Iterator[tuple[Platform, RunningService]]:
    platform = Platform(infra)
    try:
        notify = platform.start("notify", env={"SAFEHANDS_OUTBOX_POLL_SECONDS": str(POLL_SECONDS)})
        yield platform, notify
    finally:
        platform.stop_all()


async def test_a_mail_notify_wrote_is_sent_at_once_not_at_the_next_poll(
    infra: Infrastructure, rarely_polling: tuple[Platform, RunningService]
) -> None:
    platform, notify = rarely_polling
    org = f"org-{uuid.uuid4().hex[:6]}"
    coordinator = address("coordinator")
    set_contacts(infra, notify, org, coordinator, address("admin"))
    await publish(infra, *sports_club(org))
    # A new consumer first reads what earlier tests left on the shared broker.
    eventually(lambda: known_to_notify(platform, "roles", org), timeout=120)

    applicant = address("anna")
    await publish(
        infra,
        VolunteerApplied(
            org_id=org,
            volunteer_id=str(uuid.uuid4()),
            application_id=str(uuid.uuid4()),
            role_id="coach",
            name="Anna de Vries",
            email=applicant,
            applied_at=NOW,
        ),
    )
    eventually(lambda: len(mail_documents(platform, org)) == 2, timeout=60)
    written_at = time.monotonic()
    eventually(
        lambda: all(m["status"] == "sent" for m in mail_documents(platform, org)),
        timeout=POLL_SECONDS,
    )
    took = time.monotonic() - written_at
    assert sorted(m["to"] for m in mail_documents(platform, org)) == sorted(
        [applicant, coordinator]
    )
    assert took < SENT_WITHIN_SECONDS, f"sent {took:.1f} s after it was written"


def deliveries_of(platform: Platform, org: str) -> int:
    with MongoClient(platform.infra.mongo_uri) as client:
        return client[f"{platform.database}_notify"]["webhook_deliveries"].count_documents(
            {"org_id": org}
        )


async def test_a_webhook_delivery_notify_wrote_is_posted_at_once_not_at_the_next_poll(
    infra: Infrastructure, rarely_polling: tuple[Platform, RunningService]
) -> None:
    platform, notify = rarely_polling
    org = f"org-{uuid.uuid4().hex[:6]}"
    with serving(Receiver()) as receiver:
        subscribe(
            infra, notify, org, receiver.url("/in"), [VolunteerApplied.type_name], new_secret()
        )
        await publish_one(infra, application(org))
        eventually(lambda: deliveries_of(platform, org) == 1, timeout=120)
        written_at = time.monotonic()
        eventually(lambda: receiver.at("/in"), timeout=POLL_SECONDS)
        took = time.monotonic() - written_at
    assert took < SENT_WITHIN_SECONDS, f"posted {took:.1f} s after it was written"
