"""reports' periodic sweeps, each run by one instance at a time under a lease.

- Deadlines: announce `ReportDeadlineApproaching` two days before a deadline and again
  when it is missed. What was announced is recorded with the case in the same
  transaction as the event, and the update only applies if it was not recorded yet, so
  every announcement is made exactly once, however the sweeps overlap or crash.
- Retention: delete closed cases, with their messages, once the organisation's retention
  period since closing has passed.

The sweeps look across organisations with one indexed query, then change each case in
its own organisation's unit of work.
"""

from __future__ import annotations

from datetime import UTC, datetime

from services.reports.case_documents import clock_of, with_next_check
from services.reports.domain.deadlines import due_announcements
from services.reports.storage import MESSAGES, REPORTS
from shared.events.reports import ReportDeadlineApproaching
from shared.logs import get_logger
from shared.runtime.definition import PeriodicJob
from shared.runtime.runtime import Runtime
from shared.storage.database import Database

log = get_logger(__name__)

BATCH = 500


async def announce_deadlines(db: Database, now: datetime) -> int:
    """Publish the deadline announcements due at `now`; returns how many were made."""
    candidates = await (
        db.platform_collection(REPORTS)
        .find(
            {"next_check_at": {"$lte": now}},
            projection={"org_id": 1, "report_id": 1},
            limit=BATCH,
        )
        .to_list()
    )
    made = 0
    for candidate in candidates:
        org_id, report_id = candidate["org_id"], candidate["report_id"]
        async with db.unit_of_work(org_id) as uow:
            reports = uow.collection(REPORTS)
            report = await reports.find_one({"report_id": report_id})
            if report is None:
                continue
            due = due_announcements(clock_of(report), now)
            keys = [a.key for a in due]
            announced = [*report.get("announced", []), *keys]
            updated = await reports.update_one(
                # Applies only if nobody recorded these announcements meanwhile.
                {"report_id": report_id, "announced": {"$nin": keys}}
                if keys
                else {"report_id": report_id},
                {"$set": with_next_check({"announced": announced}, report)},
            )
            if updated.matched_count != 1:
                continue
            for announcement in due:
                uow.publish(
                    ReportDeadlineApproaching(
                        org_id=org_id,
                        report_id=report_id,
                        deadline=announcement.deadline.value,
                        due_at=announcement.due_at,
                        missed=announcement.missed,
                    )
                )
            made += len(due)
    return made


async def delete_expired_reports(db: Database, now: datetime) -> int:
    """Delete closed cases past their retention, with their messages; returns how many."""
    expired = await (
        db.platform_collection(REPORTS)
        .find(
            {"delete_after": {"$lte": now}},
            projection={"org_id": 1, "report_id": 1},
            limit=BATCH,
        )
        .to_list()
    )
    for report in expired:
        async with db.unit_of_work(report["org_id"]) as uow:
            await uow.collection(MESSAGES).delete_many({"report_id": report["report_id"]})
            await uow.collection(REPORTS).delete_one(
                {"report_id": report["report_id"], "delete_after": {"$lte": now}}
            )
    return len(expired)


async def _announce(runtime: Runtime) -> None:
    made = await announce_deadlines(runtime.db, datetime.now(UTC))
    if made:
        log.info("deadline announcements made", count=made)


async def _delete(runtime: Runtime) -> None:
    deleted = await delete_expired_reports(runtime.db, datetime.now(UTC))
    if deleted:
        log.info("closed reports deleted after their retention period", count=deleted)


JOBS = (
    PeriodicJob("report-deadlines", _announce),
    PeriodicJob("report-retention", _delete),
)
