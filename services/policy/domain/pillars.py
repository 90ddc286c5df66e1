"""The three pillars of a social-safety policy, as an organisation's checklist shows them and
as the free-VOG scheme (Gratis VOG) counts them: one computation for both.

- code of conduct: a version is published;
- VCP: at least one confidential contact person with a key (two are recommended);
- admission policy: roles are defined with their risk profile AND the interview step is in
  use (an interview has been recorded). Defining roles alone is not a policy that is lived.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict

from shared.domain.vog import RoleRequirements

RECOMMENDED_VCPS = 2

# Where on the web app each missing item is done (the admin's and coordinator's workspaces).
LINK_TOOLKIT = "/admin#toolkit"
LINK_CODES = "/admin#codes"
LINK_VCPS = "/admin#vcps"
LINK_ROLES = "/admin#roles"
LINK_INTERVIEWS = "/coordinator#applications"
LINK_TRAININGS = "/me#trainings"


@dataclass(frozen=True)
class PillarFacts:
    """What policy knows of an organisation's pillars."""

    codes_published: int
    has_code_draft: bool
    vcps_with_key: int
    # A role is always defined with its risk profile (minors, vulnerable people): the API
    # requires both, so every defined role counts.
    roles: Sequence[RoleRequirements]
    interviews_recorded: int
    # The organisation's VCPs who attended one of the regional centre's trainings for VCPs
    # (the VCP profile asks for a basic training): recommended, not needed for the pillar.
    vcps_trained: int = 0

    @property
    def code_of_conduct(self) -> bool:
        return self.codes_published > 0

    @property
    def vcp(self) -> bool:
        return self.vcps_with_key > 0

    @property
    def admission_policy(self) -> bool:
        return len(self.roles) > 0 and self.interviews_recorded > 0

    @property
    def works_with_vulnerable_groups(self) -> bool:
        return works_with_vulnerable_groups(self.roles)


def works_with_vulnerable_groups(roles: Sequence[RoleRequirements]) -> bool:
    """An organisation's volunteers work with vulnerable groups when any role needs a VOG.

    The scheme is about minors and people who depend on others; a role that works with either
    is exactly a role that needs a VOG, so one such role is enough.
    """
    return any(role.vog_required for role in roles)


class ChecklistItem(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    item: str
    done: bool
    # False for what is recommended but not needed for the pillar (a second VCP).
    required: bool
    # A page path of the web app where the item is done.
    link: str


class PillarProgress(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    done: bool
    items: tuple[ChecklistItem, ...]


class ChecklistPillars(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    code_of_conduct: PillarProgress
    vcp: PillarProgress
    admission_policy: PillarProgress


class ChecklistCounts(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    codes_published: int
    code_draft: bool
    vcps_with_key: int
    vcps_recommended: int
    roles_with_risk_profile: int
    roles_needing_vog: int
    interviews_recorded: int


def _progress(*items: ChecklistItem) -> PillarProgress:
    return PillarProgress(done=all(i.done for i in items if i.required), items=items)


def checklist_pillars(facts: PillarFacts) -> ChecklistPillars:
    return ChecklistPillars(
        code_of_conduct=_progress(
            ChecklistItem(
                item="adopt_model_code",
                done=facts.has_code_draft or facts.code_of_conduct,
                required=False,
                link=LINK_TOOLKIT,
            ),
            ChecklistItem(
                item="publish_code", done=facts.code_of_conduct, required=True, link=LINK_CODES
            ),
        ),
        vcp=_progress(
            ChecklistItem(item="appoint_vcp", done=facts.vcp, required=True, link=LINK_VCPS),
            ChecklistItem(
                item="appoint_second_vcp",
                done=facts.vcps_with_key >= RECOMMENDED_VCPS,
                required=False,
                link=LINK_VCPS,
            ),
            ChecklistItem(
                item="train_vcp",
                done=facts.vcps_trained > 0,
                required=False,
                link=LINK_TRAININGS,
            ),
        ),
        admission_policy=_progress(
            ChecklistItem(
                item="define_roles", done=len(facts.roles) > 0, required=True, link=LINK_ROLES
            ),
            ChecklistItem(
                item="record_interview",
                done=facts.interviews_recorded > 0,
                required=True,
                link=LINK_INTERVIEWS,
            ),
        ),
    )


def checklist_counts(facts: PillarFacts) -> ChecklistCounts:
    return ChecklistCounts(
        codes_published=facts.codes_published,
        code_draft=facts.has_code_draft,
        vcps_with_key=facts.vcps_with_key,
        vcps_recommended=RECOMMENDED_VCPS,
        roles_with_risk_profile=len(facts.roles),
        roles_needing_vog=sum(1 for role in facts.roles if role.vog_required),
        interviews_recorded=facts.interviews_recorded,
    )
