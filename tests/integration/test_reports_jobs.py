"""reports' sweeps on the real database, with the clock passed in: deadline announcements
are made once each, in the same transaction as their record; closed cases go after their
retention period, messages and all."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from services.reports.attachment_store import DatabaseStore
from services.reports.case_documents import with_next_check
from services.reports.domain.deadlines import add_months
from services.reports.event_handlers import on_incidents_reported
from services.reports.jobs import announce_deadlines, delete_expired_reports
from services.reports.storage import INDEXES, MESSAGES, REPORTS
from shared.crypto import PrivateKey, report_context, seal
from shared.events.cloudevents import ReceivedEvent
from shared.events.reports import IncidentReported, ReportDeadlineApproaching
from shared.messaging.batches import BatchState, EventBatch, apply_outcome
from shared.storage.database import Database
from shared.storage.unit_of_work import OUTBOX
from tests.support.platform import Infrastructure

# At midnight: IncidentReported gives the day only (issue 19), and reports' handler, reading
# it on a later day than its own (as here, with the real clock), keeps the day's start.
RECEIVED = datetime(2026, 1, 10, 0, 0, tzinfo=UTC)
DAY = timedelta(days=1)


@pytest.fixture
async def db(infra: Infrastructure) -> AsyncIterator[Database]:
    async with infra.scratch_database("reports", INDEXES) as database:
        yield database


async def receive(db: Database, org: str, received_at: datetime = RECEIVED) -> str:
    report_id = str(uuid.uuid4())
    key = PrivateKey.generate("X25519")
    envelope = seal({"text": "x"}, [key.public_key], report_context(org, report_id))
    event = IncidentReported(
        org_id=org,
        report_id=report_id,
        envelope=envelope.model_dump(),
        mailbox_lookup=uuid.uuid4().hex * 2,
        reply_key=key.public_key.model_dump(),
        received_at=received_at,
    )
    # Stored as reports' consumer stores it: through its batch handler, a batch of one.
    received = ReceivedEvent(
        id=str(uuid.uuid4()), type=event.type_name, source="/tests", time=received_at, event=event
    )
    async with db.transaction() as tx:
        batch = EventBatch([received])
        await apply_outcome(tx, batch, await on_incidents_reported(batch, BatchState(tx)))
    return report_id


async def update_case(db: Database, org: str, report_id: str, fields: dict[str, Any]) -> None:
    """Change a case the way the status route does: the fields plus the next check."""
    async with db.unit_of_work(org) as uow:
        reports = uow.collection(REPORTS)
        report = await reports.find_one({"report_id": report_id})
        assert report is not None
        await reports.update_one(
            {"report_id": report_id}, {"$set": with_next_check(fields, report)}
        )


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


async def announcements(db: Database, deadline: str) -> list[tuple[str, str, bool, str]]:
    """(org, report, missed, due_at) of the deadline announcements in the outbox."""
    rows = await db.platform_collection(OUTBOX).find().to_list()
    result = []
    for row in rows:
        if dict(row["headers"])["ce_type"] != ReportDeadlineApproaching.type_name.encode():
            continue
        data = json.loads(row["value"])
        assert row["key"] == f"{data['org_id']}:{data['report_id']}".encode()
        if data["deadline"] == deadline:
            result.append((data["org_id"], data["report_id"], data["missed"], data["due_at"]))
    return result


async def test_each_deadline_is_announced_once_before_and_once_when_missed(
    db: Database,
) -> None:
    org_a, org_b = f"org-{uuid.uuid4().hex[:6]}", f"org-{uuid.uuid4().hex[:6]}"
    first, second, other = (
        await receive(db, org_a),
        await receive(db, org_a),
        await receive(db, org_b),
    )

    # Acknowledge within 7 days: warned from day 5, once, in every organisation.
    assert await announce_deadlines(db, RECEIVED + 5 * DAY - timedelta(seconds=1)) == 0
    assert await announce_deadlines(db, RECEIVED + 5 * DAY) == 3
    assert await announce_deadlines(db, RECEIVED + 5 * DAY) == 0, "already announced"
    assert await announce_deadlines(db, RECEIVED + 6 * DAY) == 0
    # The first report is acknowledged in time; the others miss the deadline.
    await update_case(db, org_a, first, {"status": "acknowledged"})
    assert await announce_deadlines(db, RECEIVED + 7 * DAY) == 2
    assert await announce_deadlines(db, RECEIVED + 8 * DAY) == 0
    acknowledge_by = iso(RECEIVED + 7 * DAY)
    assert sorted(await announcements(db, "acknowledge")) == sorted(
        [
            (org_a, first, False, acknowledge_by),
            (org_a, second, False, acknowledge_by),
            (org_b, other, False, acknowledge_by),
            (org_a, second, True, acknowledge_by),
            (org_b, other, True, acknowledge_by),
        ]
    )

    # Feedback within 3 months: the second report got it; the first and the other did not.
    await update_case(db, org_a, second, {"status": "acknowledged"})
    await update_case(db, org_a, second, {"status": "in_progress", "feedback_given": True})
    feedback_by = add_months(RECEIVED, 3)
    assert await announce_deadlines(db, feedback_by - 2 * DAY) == 2
    assert await announce_deadlines(db, feedback_by) == 2
    assert await announce_deadlines(db, feedback_by + 365 * DAY) == 0
    assert sorted(await announcements(db, "feedback")) == sorted(
        [
            (org_a, first, False, iso(feedback_by)),
            (org_b, other, False, iso(feedback_by)),
            (org_a, first, True, iso(feedback_by)),
            (org_b, other, True, iso(feedback_by)),
        ]
    )


async def test_closed_cases_are_deleted_after_their_retention_period(db: Database) -> None:
    org = f"org-{uuid.uuid4().hex[:6]}"
    closed, still_open = await receive(db, org), await receive(db, org)
    closed_at = RECEIVED + 30 * DAY
    await update_case(
        db,
        org,
        closed,
        {"status": "closed", "closed_at": closed_at, "delete_after": add_months(closed_at, 24)},
    )
    async with db.unit_of_work(org) as uow:
        for report_id in (closed, still_open):
            await uow.collection(MESSAGES).insert_one(
                {"report_id": report_id, "message_id": str(uuid.uuid4()), "from": "vcp"}
            )

    assert (
        await delete_expired_reports(
            db, add_months(closed_at, 24) - timedelta(seconds=1), DatabaseStore()
        )
        == 0
    )
    assert await delete_expired_reports(db, add_months(closed_at, 24), DatabaseStore()) == 1
    reports = db.tenant_collection(org, REPORTS)
    assert [r["report_id"] for r in await reports.find({})] == [still_open]
    messages = await db.tenant_collection(org, MESSAGES).find({})
    assert [m["report_id"] for m in messages] == [still_open]
    # An open case is never deleted by the clock.
    assert await delete_expired_reports(db, RECEIVED + 100 * 365 * DAY, DatabaseStore()) == 0
