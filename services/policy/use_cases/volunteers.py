"""The coordinator's list of volunteers: stage, missing steps, code version and VOG dates.

Filtered, sorted and paged by the database (services/policy/volunteer_list.py), so that a
page stays quick however many volunteers an organisation has. A volunteer reads their own
row through `volunteer_row`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import BaseModel

from services.policy.domain.admission import AdmissionDecision, AdmissionStatus, AdmissionStep
from services.policy.domain.admission_file import AdmissionFile
from services.policy.domain.errors import NoSuchVolunteer
from services.policy.domain.pipeline import Stage, must_sign_again, pipeline_stage
from services.policy.file_formats import BoardRow, board_list_xlsx
from services.policy.storage import ADMISSIONS, ROLES, VOLUNTEER_NAMES, file_from
from services.policy.use_cases.admission import current_code_version
from services.policy.use_cases.roles import RoleSummary
from services.policy.volunteer_list import BY_NAME, BY_RENEWAL, list_filter, page_of_entries
from shared import audit
from shared.storage.unit_of_work import UnitOfWork


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
    # For an admitted volunteer, the day of admission.
    admitted_on: date | None
    applied_at: str | None
    # While a signature of an older version counts by a new version's grace period: sign
    # the current version before this day.
    resign_before: date | None = None


class VolunteerPage(BaseModel):
    items: list[VolunteerRow]
    total: int
    page: int
    page_size: int
    pages: int
    roles: list[RoleSummary]


@dataclass(frozen=True)
class VolunteerFilter:
    """The list's query parameters: each one given narrows the list."""

    state: Stage | None = None
    role_id: str | None = None
    q: str | None = None
    must_resign: bool = False
    vog_due_within_days: int | None = None


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
        admitted_on=(file.admitted_on or file.last_activity)
        if file.status == AdmissionStatus.ADMITTED
        else None,
        applied_at=entry.get("applied_at"),
        resign_before=file.decision.resign_before if file.decision else None,
    )


async def volunteer_page(
    uow: UnitOfWork,
    wanted: VolunteerFilter,
    *,
    page: int,
    page_size: int,
    today: date,
    exported: bool = False,
) -> VolunteerPage:
    """One page of the volunteers `wanted`, by name (by VOG renewal date when asked for the
    VOGs to renew), with the organisation's roles."""
    if exported and page == 1:  # the board's list: one entry per export, not per page
        await audit.record(uow, "volunteers.exported", "volunteer_list", wanted.state or "all")
    roles = await _roles(uow)
    code_version = await current_code_version(uow)
    query = list_filter(
        state=wanted.state,
        role_id=wanted.role_id,
        q=wanted.q,
        must_resign=wanted.must_resign,
        vog_due_within_days=wanted.vog_due_within_days,
        current_code_version=code_version,
        today=today,
    )
    entries, total = (
        ([], 0)
        if query is None
        else await page_of_entries(
            uow,
            query,
            order=BY_NAME if wanted.vog_due_within_days is None else BY_RENEWAL,
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


async def decided_file(
    uow: UnitOfWork, volunteer_id: str
) -> tuple[AdmissionFile, AdmissionDecision]:
    """The volunteer's admission file and its decision; NoSuchVolunteer when the organisation
    has no file of that id, or one not decided on yet."""
    doc = await uow.collection(ADMISSIONS).find_one({"volunteer_id": volunteer_id})
    file = file_from(doc) if doc else None
    if file is None or file.decision is None:
        raise NoSuchVolunteer
    return file, file.decision


async def volunteer_row(uow: UnitOfWork, volunteer_id: str) -> VolunteerRow:
    """One volunteer's row: stage, code version, VOG dates."""
    file, _decision = await decided_file(uow, volunteer_id)
    await audit.record_unless_self(uow, "volunteer.file_opened", "volunteer", volunteer_id)
    roles = await _roles(uow)
    code_version = await current_code_version(uow)
    name = await uow.collection(VOLUNTEER_NAMES).find_one({"volunteer_id": volunteer_id})
    return _row(file, {volunteer_id: name} if name else {}, roles, code_version)


BOARD_LIST_HEADERS = {
    "nl": ("Naam", "Rol", "Toegelaten op", "VOG afgegeven op", "VOG vernieuwen voor"),
    "en": ("Name", "Role", "Admitted on", "VOG issued on", "Renew VOG before"),
}
BOARD_LIST_TITLES = {"nl": "Toegelaten vrijwilligers", "en": "Admitted volunteers"}
# One file holds the whole list; an organisation with more admitted volunteers than this asks
# the paged list instead.
MAX_BOARD_LIST = 10_000


async def board_list(uow: UnitOfWork, language: str, *, today: date) -> bytes:
    """The admitted volunteers as an Excel workbook for the board: name, role, the day of
    admission and the VOG dates. Audit-logged like the list's own export: the same names
    leave the platform either way."""
    found = await volunteer_page(
        uow,
        VolunteerFilter(state=Stage.ADMITTED),
        page=1,
        page_size=MAX_BOARD_LIST,
        today=today,
        exported=True,
    )
    rows = [
        BoardRow(
            name=row.name or "",
            role=row.role_title or row.role_id,
            admitted_on=row.admitted_on,
            vog_issued_on=row.vog_issued_on,
            vog_renewal_due=row.vog_renewal_due,
        )
        for row in found.items
    ]
    return board_list_xlsx(rows, BOARD_LIST_HEADERS[language], BOARD_LIST_TITLES[language])
