"""reports' periodic sweeps, each run by one instance at a time under a lease.

- Deadlines: announce `ReportDeadlineApproaching` two days before a deadline and again
  when it is missed. What was announced is recorded with the case in the same
  transaction as the event, and the update only applies if it was not recorded yet, so
  every announcement is made exactly once, however the sweeps overlap or crash.
- Retention: delete closed cases, with their messages and attachments, once the organisation's retention
  period since closing has passed.

- Attachments: an upload whose report did not come within its wait (an hour by default),
  or that was never finished, is deleted with its pieces.

All are sweeps (shared/runtime/sweeps.py): one indexed query across organisations, then
each case in its own organisation's unit of work.
"""

from __future__ import annotations

from datetime import UTC, datetime

from services.reports.case_documents import clock_of, recipient_ids, with_next_check
from services.reports.domain.deadlines import due_announcements
from services.reports.storage import ATTACHMENTS, CASE_READS, MESSAGES, REPORTS
from services.reports.use_cases.attachments import delete_attachments_of, settle_expired
from shared.events.reports import ReportDeadlineApproaching
from shared.runtime.sweeps import sweep, sweep_job
from shared.storage.database import Database
from shared.storage.tenancy import Document
from shared.storage.unit_of_work import UnitOfWork

BATCH = 500


async def announce_deadlines(db: Database, now: datetime) -> int:
    """Publish the deadline announcements due at `now`; returns how many were made."""

    async def announce(uow: UnitOfWork, candidate: Document) -> int:
        reports = uow.collection(REPORTS)
        report = await reports.find_one({"report_id": candidate["report_id"]})
        if report is None:
            return 0
        due = due_announcements(clock_of(report), now)
        keys = [a.key for a in due]
        announced = [*report.get("announced", []), *keys]
        updated = await reports.update_one(
            # Applies only if nobody recorded these announcements meanwhile.
            {"report_id": report["report_id"], "announced": {"$nin": keys}}
            if keys
            else {"report_id": report["report_id"]},
            {"$set": with_next_check({"announced": announced}, report)},
        )
        if updated.matched_count != 1:
            return 0
        for announcement in due:
            uow.publish(
                ReportDeadlineApproaching(
                    org_id=uow.org_id,
                    report_id=report["report_id"],
                    deadline=announcement.deadline.value,
                    due_at=announcement.due_at,
                    missed=announcement.missed,
                    sealed_to=sorted(recipient_ids(report["envelope"])),
                )
            )
        return len(due)

    # Every step moves its case's next_check_at past `now`, so a bounded run loses nothing.
    return await sweep(
        db, REPORTS, {"next_check_at": {"$lte": now}}, announce, fields=["report_id"], limit=BATCH
    )


async def delete_expired_reports(db: Database, now: datetime) -> int:
    """Delete closed cases past their retention, with their messages; returns how many."""

    async def delete(uow: UnitOfWork, candidate: Document) -> int:
        report_id = candidate["report_id"]
        deleted = await uow.collection(REPORTS).delete_one(
            {"report_id": report_id, "delete_after": {"$lte": now}}
        )
        if deleted.deleted_count != 1:
            return 0
        await uow.collection(MESSAGES).delete_many({"report_id": report_id})
        await uow.collection(CASE_READS).delete_many({"report_id": report_id})
        await delete_attachments_of(uow, report_id)
        return 1

    return await sweep(
        db, REPORTS, {"delete_after": {"$lte": now}}, delete, fields=["report_id"], limit=BATCH
    )


async def expire_attachments(db: Database, now: datetime) -> int:
    """Attachments past their wait: kept if in full and their report came, deleted with
    their pieces otherwise (an upload never finished, or a report never sent)."""

    async def settle(uow: UnitOfWork, candidate: Document) -> int:
        return await settle_expired(uow, candidate["report_id"], now)

    # Each step removes or clears `expires_at` of what it settles, so nothing is found twice.
    return await sweep(
        db, ATTACHMENTS, {"expires_at": {"$lte": now}}, settle, fields=["report_id"], limit=BATCH
    )


def _now() -> datetime:
    return datetime.now(UTC)


JOBS = (
    sweep_job("report-deadlines", announce_deadlines, _now, "deadline announcements made"),
    sweep_job(
        "report-retention",
        delete_expired_reports,
        _now,
        "closed reports deleted after their retention period",
    ),
    sweep_job(
        "attachment-expiry",
        expire_attachments,
        _now,
        "attachments deleted that no report took in time",
    ),
)
