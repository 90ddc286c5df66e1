"""The coordinator's list of volunteers, and one volunteer's row
(services/policy/use_cases/volunteers.py)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from services.policy.domain.pipeline import Stage
from services.policy.use_cases import volunteers
from services.policy.use_cases.volunteers import VolunteerFilter, VolunteerPage, VolunteerRow
from shared.auth.dependencies import require_org_role, require_self_or_org_role
from shared.auth.tokens import Principal
from shared.domain.calendar import today
from shared.http.openapi import errors
from shared.runtime.runtime import Runtime, runtime_of

router = APIRouter(prefix="/v1/orgs", tags=["volunteers"])

MAX_PAGE_SIZE = 200
# Far past any organisation's volunteers, and page times page size stays well inside the
# database's 64-bit skip: `page=1000000000000000000` was a 500 (OverflowError), now a 422.
MAX_PAGE = 100_000


@router.get(
    "/{org}/volunteers",
    summary="The organisation's volunteers by stage, filtered and paged (admin, coordinator).",
)
async def list_volunteers(
    org: str,
    state: Stage | None = Query(default=None, description="Only this pipeline stage."),
    role_id: str | None = Query(default=None, max_length=100),
    q: str | None = Query(default=None, max_length=200, description="Words of the name."),
    must_resign: bool = Query(default=False, description="Only those who must sign again."),
    vog_due_within_days: int | None = Query(
        default=None, ge=0, le=3650, description="Only VOGs to renew within this many days."
    ),
    page: int = Query(default=1, ge=1, le=MAX_PAGE),
    page_size: int = Query(default=50, ge=1, le=MAX_PAGE_SIZE),
    export: bool = Query(default=False, description="For the board's list: audit-logged."),
    _reader: Principal = Depends(require_org_role("admin", "coordinator")),
    runtime: Runtime = Depends(runtime_of),
) -> VolunteerPage:
    wanted = VolunteerFilter(
        state=state,
        role_id=role_id,
        q=q,
        must_resign=must_resign,
        vog_due_within_days=vog_due_within_days,
    )
    # transact, not unit_of_work: an export appends to the audit log, whose head a concurrent
    # append may take first; the read is then run again instead of answering 409.
    day = today()
    return await runtime.transact(
        org,
        lambda uow: volunteers.volunteer_page(
            uow, wanted, page=page, page_size=page_size, today=day, exported=export
        ),
    )


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get(
    "/{org}/volunteers.xlsx",
    summary="The admitted volunteers as an Excel workbook for the board (admin, coordinator).",
    response_class=Response,
    responses={200: {"content": {XLSX: {}}}},
)
async def board_list(
    org: str,
    lang: Literal["nl", "en"] = Query(default="nl", description="The language of the headers."),
    _reader: Principal = Depends(require_org_role("admin", "coordinator")),
    runtime: Runtime = Depends(runtime_of),
) -> Response:
    day = today()
    # transact: the export appends to the audit log (retried when a concurrent append wins).
    workbook = await runtime.transact(org, lambda uow: volunteers.board_list(uow, lang, today=day))
    return Response(
        workbook,
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="admitted-{org}.xlsx"'},
    )


@router.get(
    "/{org}/volunteers/{volunteer_id}",
    summary="One volunteer's row: stage, code version, VOG dates (admin, coordinator, self).",
    responses=errors(404),
)
async def read_volunteer(
    org: str,
    volunteer_id: str,
    _reader: Principal = Depends(require_self_or_org_role("admin", "coordinator")),
    runtime: Runtime = Depends(runtime_of),
) -> VolunteerRow:
    # Opening a file is audit-logged: retried like a write when a concurrent append wins.
    return await runtime.transact(org, lambda uow: volunteers.volunteer_row(uow, volunteer_id))
