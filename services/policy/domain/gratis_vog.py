"""Whether an organisation qualifies for the free VOG scheme (Gratis VOG).

It qualifies when its volunteers work with vulnerable groups and at least two of the three
pillars of a social-safety policy are in place.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from shared.domain.vog import RoleRequirements

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


def assess_gratis_vog(
    has_published_code: bool,
    has_vcp: bool,
    has_admission_policy: bool,
    works_with_vulnerable_groups: bool,
) -> GratisVogAssessment:
    pillars = GratisVogPillars(
        code_of_conduct=has_published_code, vcp=has_vcp, admission_policy=has_admission_policy
    )
    in_place = {
        Pillar.CODE_OF_CONDUCT: has_published_code,
        Pillar.VCP: has_vcp,
        Pillar.ADMISSION_POLICY: has_admission_policy,
    }
    missing = tuple(pillar for pillar in Pillar if not in_place[pillar])
    enough_pillars = len(Pillar) - len(missing) >= PILLARS_NEEDED
    return GratisVogAssessment(
        eligible=works_with_vulnerable_groups and enough_pillars,
        pillars=pillars,
        missing_pillars=missing,
        works_with_vulnerable_groups=works_with_vulnerable_groups,
    )


def works_with_vulnerable_groups(roles: Iterable[RoleRequirements]) -> bool:
    """An organisation's volunteers work with vulnerable groups when any role needs a VOG.

    The scheme is about minors and people who depend on others; a role that works with either
    is exactly a role that needs a VOG, so one such role is enough.
    """
    return any(role.vog_required for role in roles)
