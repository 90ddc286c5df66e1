"""One inbox across organisations for a VCP who serves several (issue 24: the regional
centre's VCPs): each organisation's cases under it. Which organisations is decided in one
place, shared/auth/reach.py, on every request; the rows are each organisation's own inbox
(http_routes/cases.py), read within that organisation alone. Opening, answering or closing
a case stays per organisation, with that organisation's token and key."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Depends

from services.reports import queries
from services.reports.appointments import same_centre_vcp
from shared.auth.dependencies import require_role
from shared.auth.reach import organisations_reached
from shared.auth.tokens import Principal
from shared.runtime.runtime import Runtime, runtime_of

router = APIRouter(tags=["cases (VCP)"])


@router.get(
    "/v1/vcp/cases",
    summary="The VCP's cases in every organisation they serve now, by organisation (vcp).",
)
async def list_cases_by_organisation(
    vcp: Principal = Depends(require_role("vcp")),
    runtime: Runtime = Depends(runtime_of),
) -> list[dict[str, Any]]:
    now = datetime.now(UTC)
    groups = []
    for org in await organisations_reached(runtime, vcp, "vcp", same_centre_vcp):
        # Only where they set a key: elsewhere no report is sealed to them yet.
        if await queries.has_key(runtime.db, org, vcp.sub):
            rows = await queries.inbox_rows(runtime.db, org, vcp.sub, now)
            groups.append({"org_id": org, "cases": rows})
    return groups
