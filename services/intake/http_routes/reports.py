"""Anonymous submission of an encrypted report: no token, no content, no trace of the sender
(services/intake/use_cases/reports.py checks it). The client's address is used only by the
rate limiter, which keeps an HMAC of it for one window; nothing here logs it, and the user
agent is never read.
"""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Depends, status

from services.intake.known_facts import known_facts_of
from services.intake.use_cases import reports
from services.intake.use_cases.reports import ReportAccepted, ReportSubmission
from shared.http.openapi import errors
from shared.runtime.rate_limit import rate_limited
from shared.runtime.runtime import Runtime, runtime_of

router = APIRouter(prefix="/v1/orgs/{org}", tags=["reports"])


@router.post(
    "/reports",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Submit an encrypted report (anyone, no token; rate-limited).",
    dependencies=[Depends(rate_limited("reports"))],
    responses=errors(404, 409),
)
async def submit_report(
    org: str, body: ReportSubmission, runtime: Runtime = Depends(runtime_of)
) -> ReportAccepted:
    # Reporters submit at the same time: a write conflict is run again, not answered 500.
    known = known_facts_of(runtime)
    report_id = await runtime.transact(
        org,
        lambda uow: reports.submit_report(uow, body, received_at=datetime.now(UTC), known=known),
    )
    return ReportAccepted(report_id=report_id)
