"""Whether an organisation qualifies for the free VOG scheme (Gratis VOG).

It qualifies when its volunteers work with vulnerable groups and at least two of the three
pillars of a social-safety policy are in place. The pillars are those of the organisation's
checklist (`pillars.py`): the same facts, the same verdicts.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from services.policy.domain.pillars import PillarFacts

PILLARS_NEEDED = 2


class Pillar(StrEnum):
    CODE_OF_CONDUCT = "code_of_conduct"
    VCP = "vcp"
    ADMISSION_POLICY = "admission_policy"


class GratisVogPillars(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    code_of_conduct: bool
    vcp: bool
    admission_policy: bool


class GratisVogAssessment(BaseModel):
    """The answer of `GET /v1/orgs/{org}/gratis-vog`, plus what is still missing and why."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    eligible: bool
    pillars: GratisVogPillars
    missing_pillars: tuple[Pillar, ...]
    works_with_vulnerable_groups: bool


def assess_gratis_vog(facts: PillarFacts) -> GratisVogAssessment:
    in_place = {
        Pillar.CODE_OF_CONDUCT: facts.code_of_conduct,
        Pillar.VCP: facts.vcp,
        Pillar.ADMISSION_POLICY: facts.admission_policy,
    }
    missing = tuple(pillar for pillar in Pillar if not in_place[pillar])
    enough_pillars = len(Pillar) - len(missing) >= PILLARS_NEEDED
    vulnerable = facts.works_with_vulnerable_groups
    return GratisVogAssessment(
        eligible=vulnerable and enough_pillars,
        pillars=GratisVogPillars(**{str(pillar): present for pillar, present in in_place.items()}),
        missing_pillars=missing,
        works_with_vulnerable_groups=vulnerable,
    )
