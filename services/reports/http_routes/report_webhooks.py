"""The VCPs' switch for report events to the organisation's webhooks (default off)."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Depends

from services.reports.appointments import require_vcp_with_key
from services.reports.use_cases.report_webhooks import (
    ReportWebhooks,
    report_webhooks,
    set_report_webhooks,
)
from shared.auth.dependencies import require_org_role
from shared.auth.tokens import Principal
from shared.runtime.runtime import Runtime, runtime_of

router = APIRouter(prefix="/v1/orgs/{org}/report-webhooks", tags=["case settings"])


@router.get("", summary="Whether report events reach the organisation's webhooks (admin, vcp).")
async def get_report_webhooks(
    org: str,
    _who: Principal = Depends(require_org_role("admin", "vcp")),
    runtime: Runtime = Depends(runtime_of),
) -> ReportWebhooks:
    return await runtime.read(org, report_webhooks)


@router.put("", summary="Turn report events to webhooks on or off (vcp).")
async def put_report_webhooks(
    org: str,
    body: ReportWebhooks,
    vcp: Principal = Depends(require_vcp_with_key()),
    runtime: Runtime = Depends(runtime_of),
) -> ReportWebhooks:
    """Only the organisation's VCPs decide: their times leave reports to the day, but a
    webhook delivered the moment a report event happens says when the reporter acted."""
    return await runtime.transact(
        org,
        lambda uow: set_report_webhooks(uow, body, vcp_id=vcp.sub, now=datetime.now(UTC)),
    )
