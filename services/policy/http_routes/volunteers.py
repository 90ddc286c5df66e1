"""The coordinator's list of volunteers: stage, missing steps, code version and VOG dates.

Filtered, sorted and paged by the database (services/policy/volunteer_list.py), so that a
page stays quick however many volunteers an organisation has. A volunteer reads their own
row through the single-volunteer route.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Query, status
from pydantic import BaseModel

from services.policy.domain.admission import AdmissionStatus, AdmissionStep
from services.policy.domain.admission_file import AdmissionFile
from services.policy.domain.pipeline import Stage, must_sign_again, pipeline_stage
from services.policy.storage import ADMISSIONS, ROLES, VOLUNTEER_NAMES
from services.policy.use_cases.admission import current_code_version, file_from
from services.policy.volunteer_list import BY_NAME, BY_RENEWAL, list_filter, page_of_entries
from shared.auth.dependencies import require_org_role, require_self_or_org_role
from shared.auth.tokens import Principal
from shared.domain.calendar import today
from shared.http.openapi import errors
from shared.runtime.runtime import Runtime, runtime_of
from shared.storage.unit_of_work import UnitOfWork

router = APIRouter(prefix="/v1/orgs", tags=["volunteers"])

MAX_PAGE_SIZE = 200


class RoleSummary(BaseModel):
    role_id: str
    title: str
    works_with_minors: bool
    works_with_vulnerable: bool
    vog_required: bool
    vog_max_age_days: int
    vog_renewal_years: int


class VolunteerRow(BaseModel):
    volunteer_id: str
    name: str | None
    role_id: str
    role_title: str | None
    stage: Stage
    status: AdmissionStatus
    missing: list[AdmissionStep]
    signed_code_version: int | None
    current_code_version: int | None
    must_sign_again: bool
    vog_issued_on: date | None
    vog_renewal_due: date | None
    # The day the decision last changed: for an admitted volunteer, the day of admission.
    admitted_on: date | None
    applied_at: str | None


class VolunteerPage(BaseModel):
    items: list[VolunteerRow]
    total: int
    page: int
    page_size: int
    pages: int
    roles: list[RoleSummary]


async def _roles(uow: UnitOfWork) -> dict[str, RoleSummary]:
    docs = await uow.collection(ROLES).find(sort=[("role_id", 1)])
    return {
        doc["role_id"]: RoleSummary(**{k: doc[k] for k in RoleSummary.model_fields}) for doc in docs
    }


def _row(
    file: AdmissionFile,
    names: dict[str, Any],
    roles: dict[str, RoleSummary],
    code_version: int | None,
) -> VolunteerRow:
    entry = names.get(file.volunteer_id) or {}
    role = roles.get(file.role_id)
    return VolunteerRow(
        volunteer_id=file.volunteer_id,
        name=entry.get("name"),
        role_id=file.role_id,
        role_title=role.title if role else None,
        stage=pipeline_stage(file),
        status=file.status,
        missing=list(file.decision.missing) if file.decision else [],
        signed_code_version=file.signed_code_version,
        current_code_version=code_version,
        must_sign_again=must_sign_again(file, code_version),
        vog_issued_on=file.vog.issued_on if file.vog else None,
        vog_renewal_due=file.vog_renewal_due,
        admitted_on=file.last_activity if file.status == AdmissionStatus.ADMITTED else None,
        applied_at=entry.get("applied_at"),
    )


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
    page: int = Query(default=1, ge=1),
    page_size: int = Query(default=50, ge=1, le=MAX_PAGE_SIZE),
    _reader: Principal = Depends(require_org_role("admin", "coordinator")),
    runtime: Runtime = Depends(runtime_of),
) -> VolunteerPage:
    async with runtime.unit_of_work(org) as uow:
        roles = await _roles(uow)
        code_version = await current_code_version(uow)
        query = list_filter(
            state=state,
            role_id=role_id,
            q=q,
            must_resign=must_resign,
            vog_due_within_days=vog_due_within_days,
            current_code_version=code_version,
            today=today(),
        )
        entries, total = (
            ([], 0)
            if query is None
            else await page_of_entries(
                uow,
                query,
                order=BY_NAME if vog_due_within_days is None else BY_RENEWAL,
                page=page,
                page_size=page_size,
            )
        )
        ids = [entry["volunteer_id"] for entry in entries]
        files = {
            doc["volunteer_id"]: file_from(doc)
            for doc in await uow.collection(ADMISSIONS).find({"volunteer_id": {"$in": ids}})
        }
    names = {entry["volunteer_id"]: entry for entry in entries}
    return VolunteerPage(
        items=[_row(files[id_], names, roles, code_version) for id_ in ids if id_ in files],
        total=total,
        page=page,
        page_size=page_size,
        pages=max(1, -(-total // page_size)),
        roles=list(roles.values()),
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
    async with runtime.unit_of_work(org) as uow:
        doc = await uow.collection(ADMISSIONS).find_one({"volunteer_id": volunteer_id})
        if doc is None or file_from(doc).decision is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, "There is no such volunteer.")
        roles = await _roles(uow)
        code_version = await current_code_version(uow)
        name = await uow.collection(VOLUNTEER_NAMES).find_one({"volunteer_id": volunteer_id})
    return _row(file_from(doc), {volunteer_id: name} if name else {}, roles, code_version)
