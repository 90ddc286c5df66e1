"""reports' HTTP API (docs/api.md, "reports"): one router per audience."""

from fastapi import APIRouter

from services.reports.http_routes import case_settings, cases, mailbox, statistics, vcps

router = APIRouter()
for part in (vcps, cases, mailbox, case_settings, statistics):
    router.include_router(part.router)

__all__ = ["router"]
