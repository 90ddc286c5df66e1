"""The organisation's case periods: acknowledge, feedback and retention (admin)."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from services.reports.case_documents import load_case_settings
from services.reports.domain.case_settings import CaseSettings
from services.reports.domain.retention import delete_after
from services.reports.storage import CASE_SETTINGS, REPORTS
from shared.auth.dependencies import require_org_role
from shared.auth.tokens import Principal
from shared.runtime.runtime import Runtime, runtime_of

router = APIRouter(prefix="/v1/orgs/{org}/report-settings", tags=["case settings"])


@router.get("", summary="The periods for acknowledging, feedback and retention (admin, vcp).")
async def get_case_settings(
    org: str,
    _who: Principal = Depends(require_org_role("admin", "vcp")),
    runtime: Runtime = Depends(runtime_of),
) -> CaseSettings:
    return await load_case_settings(runtime.db.tenant_collection(org, CASE_SETTINGS))


@router.put("", summary="Set the periods (admin).")
async def put_case_settings(
    org: str,
    body: CaseSettings,
    _admin: Principal = Depends(require_org_role("admin")),
    runtime: Runtime = Depends(runtime_of),
) -> CaseSettings:
    """Deadlines are promises made when a report arrives, so they keep their dates; the
    retention period applies at once to closed cases, shortened or lengthened."""
    async with runtime.unit_of_work(org) as uow:
        await uow.collection(CASE_SETTINGS).replace_one({}, body.model_dump(), upsert=True)
        reports = uow.collection(REPORTS)
        closed = await reports.find(
            {"status": "closed"}, projection={"report_id": 1, "closed_at": 1}
        )
        for report in closed:
            await reports.update_one(
                {"report_id": report["report_id"]},
                {
                    "$set": {
                        "delete_after": delete_after(report["closed_at"], body.retention_months)
                    }
                },
            )
    return body
