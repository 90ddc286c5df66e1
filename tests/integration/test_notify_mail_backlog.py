"""The mail outbox's backlog as notify's `safehands_notify_mails_due` gauge, which KEDA
scales notify on (a province-wide publication is a mail backlog, not Kafka lag)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from prometheus_client import CollectorRegistry

from services.notify.claims import Claims
from services.notify.mail.backlog import COUNT_EVERY, MAILS_DUE, MailBacklog
from services.notify.mail.outbox import FAILED, PENDING, SENDING, SENT
from services.notify.storage import MAILS
from shared.storage.database import Database
from tests.support.platform import Infrastructure


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_the_backlog_counts_due_and_sending_mails_and_an_empty_claim_costs_nothing(
    infra: Infrastructure,
) -> None:
    db = Database(infra.mongo_uri, f"backlog_{uuid.uuid4().hex[:8]}", "/safehands/notify")
    mails = db.platform_collection(MAILS)
    now = datetime.now(UTC)
    past, later = now - timedelta(minutes=1), now + timedelta(hours=1)
    await mails.insert_many(
        [
            *({"status": PENDING, "next_attempt_at": past} for _ in range(3)),
            {"status": PENDING, "next_attempt_at": later},  # retried later: not due yet
            {"status": SENDING, "next_attempt_at": past},
            {"status": SENT, "next_attempt_at": past},
            {"status": FAILED, "next_attempt_at": past},
        ]
    )
    registry, clock = CollectorRegistry(), Clock()
    claims = Claims(mails, PENDING, SENDING, "test", timedelta(seconds=90))
    backlog = MailBacklog(claims, registry, clock=clock)
    try:
        await backlog.after_claim(True)
        assert registry.get_sample_value(MAILS_DUE) == 4

        # Within KEDA's polling interval the figure stands; past it, it is counted again.
        await mails.insert_one({"status": PENDING, "next_attempt_at": past})
        await backlog.after_claim(True)
        assert registry.get_sample_value(MAILS_DUE) == 4
        clock.now += COUNT_EVERY
        await backlog.after_claim(True)
        assert registry.get_sample_value(MAILS_DUE) == 5

        # A claim that found nothing proves the backlog empty, without a query.
        before = dict(db.commands.by_name)
        await backlog.after_claim(False)
        assert registry.get_sample_value(MAILS_DUE) == 0
        assert dict(db.commands.by_name) == before
    finally:
        await db.client.drop_database(db.db.name)
        await db.close()
