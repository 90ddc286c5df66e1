"""The organisation's case periods (acknowledge, feedback, retention), set by an admin."""

from __future__ import annotations

from services.reports.domain.case_settings import CaseSettings
from services.reports.domain.retention import delete_after
from services.reports.storage import CASE_SETTINGS, REPORTS
from shared import audit
from shared.storage.unit_of_work import UnitOfWork


async def set_case_settings(uow: UnitOfWork, wanted: CaseSettings) -> CaseSettings:
    """Deadlines are promises made when a report arrives, so they keep their dates; the
    retention period applies at once to closed cases, shortened or lengthened."""
    await uow.collection(CASE_SETTINGS).replace_one({}, wanted.model_dump(), upsert=True)
    reports = uow.collection(REPORTS)
    closed = await reports.find({"status": "closed"}, projection={"report_id": 1, "closed_at": 1})
    for report in closed:
        await reports.update_one(
            {"report_id": report["report_id"]},
            {"$set": {"delete_after": delete_after(report["closed_at"], wanted.retention_months)}},
        )
    await audit.record(uow, "settings.changed", "report_settings", uow.org_id)
    return wanted
