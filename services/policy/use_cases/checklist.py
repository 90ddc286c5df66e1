"""An organisation's three pillars, and whether it qualifies for the free VOG scheme: the
pure rules of domain/pillars.py and domain/gratis_vog.py over the organisation's facts."""

from __future__ import annotations

from dataclasses import replace

from pydantic import BaseModel

from services.policy.domain.gratis_vog import GratisVogAssessment, assess_gratis_vog
from services.policy.domain.pillars import (
    ChecklistCounts,
    ChecklistPillars,
    checklist_counts,
    checklist_pillars,
)
from services.policy.pillar_facts import load_pillar_facts
from services.policy.use_cases.organisations import registered_organisation
from shared.storage.unit_of_work import UnitOfWork


class Checklist(BaseModel):
    org_id: str
    pillars: ChecklistPillars
    counts: ChecklistCounts
    # The same facts as the checklist, counted the free-VOG scheme's way.
    gratis_vog: GratisVogAssessment


async def checklist(uow: UnitOfWork, *, vcps_trained: int = 0) -> Checklist:
    """`vcps_trained` is read from the regional centre's registrations (another tenant, so
    the route reads it: trainings.vcps_trained)."""
    await registered_organisation(uow)
    facts = replace(await load_pillar_facts(uow.collection), vcps_trained=vcps_trained)
    return Checklist(
        org_id=uow.org_id,
        pillars=checklist_pillars(facts),
        counts=checklist_counts(facts),
        gratis_vog=assess_gratis_vog(facts),
    )


async def gratis_vog(uow: UnitOfWork) -> GratisVogAssessment:
    await registered_organisation(uow)
    return assess_gratis_vog(await load_pillar_facts(uow.collection))
