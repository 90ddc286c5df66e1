"""reports' periodic sweeps, each run by one instance at a time under a lease.

- Deadlines: announce `ReportDeadlineApproaching` two days before a deadline and again
  when it is missed. What was announced is recorded with the case in the same
  transaction as the event, and the update only applies if it was not recorded yet, so
  every announcement is made exactly once, however the sweeps overlap or crash.
- Retention: delete closed cases, with their messages and attachments, once the organisation's retention
  period since closing has passed.

- Attachments: an upload whose report did not come within its wait (an hour by default),
  or that was never finished, is deleted with its pieces. Both this sweep and retention then
  finish the deletions of pieces kept in the object store (services/reports/attachment_store.py:
  recorded in the deleting transaction, tried again on every run until they succeed).

All are sweeps (shared/runtime/sweeps.py): one indexed query across organisations, then
each case in its own organisation's unit of work.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from services.reports.attachment_store import AttachmentStore, attachment_store_of
from services.reports.case_documents import clock_of, recipient_ids, with_next_check
from services.reports.domain.deadlines import due_announcements
from services.reports.storage import ATTACHMENTS, CASE_READS, MESSAGES, REPORTS
from services.reports.use_cases.attachments import delete_attachments_of, settle_expired
from shared.events.reports import ReportDeadlineApproaching
from shared.logs import get_logger
from shared.runtime.definition import PeriodicJob
from shared.runtime.runtime import Runtime
from shared.runtime.sweeps import sweep, sweep_job
from shared.storage.database import Database
from shared.storage.tenancy import Document
from shared.storage.unit_of_work import UnitOfWork

BATCH = 500
log = get_logger(__name__)


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


async def delete_expired_reports(db: Database, now: datetime, store: AttachmentStore) -> int:
    """Delete closed cases past their retention, with their messages and files; returns how
    many cases."""

    async def delete(uow: UnitOfWork, candidate: Document) -> int:
        report_id = candidate["report_id"]
        deleted = await uow.collection(REPORTS).delete_one(
            {"report_id": report_id, "delete_after": {"$lte": now}}
        )
        if deleted.deleted_count != 1:
            return 0
        await uow.collection(MESSAGES).delete_many({"report_id": report_id})
        await uow.collection(CASE_READS).delete_many({"report_id": report_id})
        await delete_attachments_of(uow, store, report_id, now)
        return 1

    deleted = await sweep(
        db, REPORTS, {"delete_after": {"$lte": now}}, delete, fields=["report_id"], limit=BATCH
    )
    await store.purge(db, now)
    return deleted


async def expire_attachments(db: Database, now: datetime, store: AttachmentStore) -> int:
    """Attachments past their wait: kept if in full and their report came, deleted with
    their pieces otherwise (an upload never finished, or a report never sent)."""

    async def settle(uow: UnitOfWork, candidate: Document) -> int:
        return await settle_expired(uow, store, candidate["report_id"], now)

    # Each step removes or clears `expires_at` of what it settles, so nothing is found twice.
    expired = await sweep(
        db, ATTACHMENTS, {"expires_at": {"$lte": now}}, settle, fields=["report_id"], limit=BATCH
    )
    await store.purge(db, now)
    return expired


def _now() -> datetime:
    return datetime.now(UTC)


def _with_store(
    name: str, run: Callable[[Database, datetime, AttachmentStore], Awaitable[int]], done: str
) -> PeriodicJob:
    """A sweep that deletes attachments: it needs the service's store (attached at start,
    before any job runs)."""

    async def job(runtime: Runtime) -> None:
        store = attachment_store_of(runtime)
        if store is None:
            raise RuntimeError("reports' attachment store is not attached")
        count = await run(runtime.db, _now(), store)
        if count:
            log.info(done, job=name, count=count)

    return PeriodicJob(name, job)


JOBS = (
    sweep_job("report-deadlines", announce_deadlines, _now, "deadline announcements made"),
    _with_store(
        "report-retention",
        delete_expired_reports,
        "closed reports deleted after their retention period",
    ),
    _with_store(
        "attachment-expiry",
        expire_attachments,
        "attachments deleted that no report took in time",
    ),
)
