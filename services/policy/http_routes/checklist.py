"""An organisation's three pillars: what is done and where to do the rest
(services/policy/use_cases/checklist.py); the operator's list of every organisation's."""

from __future__ import annotations

from functools import partial

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel

from services.policy import queries
from services.policy.domain.pillars import (
    ChecklistCounts,
    ChecklistPillars,
    checklist_counts,
    checklist_pillars,
)
from services.policy.pillar_facts import load_pillar_facts
from services.policy.use_cases import checklist
from services.policy.use_cases.checklist import Checklist
from services.policy.use_cases.trainings import vcps_trained
from shared.auth.dependencies import require_operator, require_org_role_or_operator
from shared.auth.tokens import Principal
from shared.runtime.runtime import Runtime, runtime_of

router = APIRouter(prefix="/v1/orgs", tags=["checklist"])


@router.get(
    "/{org}/checklist",
    summary="The three pillars: what is done, the counts, and a link for each open item"
    " (admin; the operator may read it too).",
)
async def read_checklist(
    org: str,
    _reader: Principal = Depends(require_org_role_or_operator("admin")),
    runtime: Runtime = Depends(runtime_of),
) -> Checklist:
    trained = await vcps_trained(runtime.db, org)
    return await runtime.read(org, lambda uow: checklist.checklist(uow, vcps_trained=trained))


class OrganisationPillars(BaseModel):
    org_id: str
    name: str
    language: str
    pillars: ChecklistPillars
    counts: ChecklistCounts


class OrganisationPage(BaseModel):
    """One page of organisations in slug order, and how many there are in all."""

    total: int
    offset: int
    limit: int
    items: list[OrganisationPillars]


MAX_OFFSET = 1_000_000


@router.get(
    "",
    summary="Every organisation with its three pillars, a page at a time, in slug order"
    " (operator).",
)
async def list_organisations(
    # Bounded like every numeric parameter: an offset past any integer the database takes
    # would be a 500, not a 422.
    offset: int = Query(default=0, ge=0, le=MAX_OFFSET),
    limit: int = Query(default=25, ge=1, le=100),
    _operator: Principal = Depends(require_operator()),
    runtime: Runtime = Depends(runtime_of),
) -> OrganisationPage:
    total, docs = await queries.organisations_page(runtime.db, offset, limit)
    items = []
    for doc in docs:
        facts = await load_pillar_facts(partial(runtime.db.tenant_collection, doc["org_id"]))
        items.append(
            OrganisationPillars(
                org_id=doc["org_id"],
                name=doc.get("name") or doc["org_id"],
                language=doc.get("language", "nl"),
                pillars=checklist_pillars(facts),
                counts=checklist_counts(facts),
            )
        )
    return OrganisationPage(total=total, offset=offset, limit=limit, items=items)
