"""The organisation's case periods: acknowledge, feedback and retention (admin)."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from services.reports.case_documents import load_case_settings
from services.reports.domain.case_settings import CaseSettings
from services.reports.storage import CASE_SETTINGS
from services.reports.use_cases import case_settings
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
    return await runtime.transact(org, lambda uow: case_settings.set_case_settings(uow, body))
