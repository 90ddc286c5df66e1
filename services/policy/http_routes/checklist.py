"""An organisation's three pillars: what is done and where to do the rest."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from services.policy.domain.gratis_vog import GratisVogAssessment, assess_gratis_vog
from services.policy.domain.pillars import (
    ChecklistCounts,
    ChecklistPillars,
    checklist_counts,
    checklist_pillars,
)
from services.policy.http_routes.organisations import registered_organisation
from services.policy.pillar_facts import load_pillar_facts
from services.policy.storage import ORGANISATIONS
from shared.auth.dependencies import require_org_role_or_operator
from shared.auth.tokens import Principal
from shared.runtime.service import Runtime, runtime_of

router = APIRouter(prefix="/v1/orgs", tags=["checklist"])


class Checklist(BaseModel):
    org_id: str
    pillars: ChecklistPillars
    counts: ChecklistCounts
    # The same facts as the checklist, counted the free-VOG scheme's way.
    gratis_vog: GratisVogAssessment


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
    await registered_organisation(runtime.db.tenant_collection(org, ORGANISATIONS))
    facts = await load_pillar_facts(runtime.db, org)
    return Checklist(
        org_id=org,
        pillars=checklist_pillars(facts),
        counts=checklist_counts(facts),
        gratis_vog=assess_gratis_vog(facts),
    )
