"""The free-VOG verdict over every combination of facts that can occur.

An interview needs an application, and an application needs a role, so "interviews recorded
without any role" cannot occur and is left out of the table.
"""

from __future__ import annotations

import itertools

import pytest

from services.policy.domain.gratis_vog import assess_gratis_vog
from services.policy.domain.pillars import PillarFacts, works_with_vulnerable_groups
from shared.domain.vog import RoleRequirements

NO_ROLES: tuple[RoleRequirements, ...] = ()
ROLE_WITHOUT_VOG = (RoleRequirements(),)
ROLE_WITH_VOG = (RoleRequirements(), RoleRequirements(works_with_vulnerable=True))

ROWS = [
    (code, vcps, roles, interviews)
    for code, vcps, roles, interviews in itertools.product(
        [0, 1], [0, 1, 2], [NO_ROLES, ROLE_WITHOUT_VOG, ROLE_WITH_VOG], [0, 3]
    )
    if roles or not interviews
]


def facts(
    code: int, vcps: int, roles: tuple[RoleRequirements, ...], interviews: int
) -> PillarFacts:
    return PillarFacts(
        codes_published=code,
        has_code_draft=False,
        vcps_with_key=vcps,
        roles=roles,
        interviews_recorded=interviews,
    )


def test_the_table_leaves_out_only_what_cannot_occur() -> None:
    assert len(ROWS) == 2 * 3 * (3 * 2 - 1)


@pytest.mark.parametrize(("code", "vcps", "roles", "interviews"), ROWS)
def test_eligible_with_vulnerable_groups_and_two_of_three_pillars(
    code: int, vcps: int, roles: tuple[RoleRequirements, ...], interviews: int
) -> None:
    admission = bool(roles) and interviews > 0
    vulnerable = roles is ROLE_WITH_VOG
    pillars = {"code_of_conduct": code > 0, "vcp": vcps > 0, "admission_policy": admission}
    expected_eligible = vulnerable and list(pillars.values()).count(True) >= 2

    assessment = assess_gratis_vog(facts(code, vcps, roles, interviews))

    assert assessment.eligible is expected_eligible
    assert assessment.pillars.model_dump() == pillars
    assert [str(p) for p in assessment.missing_pillars] == [
        name for name, present in pillars.items() if not present
    ]
    assert assessment.works_with_vulnerable_groups is vulnerable


def test_roles_alone_are_no_admission_policy_without_the_interview_step() -> None:
    # The bug this guards against: "works with vulnerable groups" fed into the pillar too.
    assessment = assess_gratis_vog(facts(1, 0, ROLE_WITH_VOG, 0))

    assert assessment.works_with_vulnerable_groups is True
    assert assessment.pillars.admission_policy is False
    assert assessment.eligible is False


def test_the_answer_contains_the_contract_fields() -> None:
    body = assess_gratis_vog(facts(1, 1, ROLE_WITH_VOG, 0)).model_dump(mode="json")

    assert body["eligible"] is True
    assert body["pillars"] == {"code_of_conduct": True, "vcp": True, "admission_policy": False}


@pytest.mark.parametrize(
    ("roles", "vulnerable"),
    [
        ([], False),
        ([RoleRequirements()], False),
        ([RoleRequirements(), RoleRequirements(works_with_minors=True)], True),
        ([RoleRequirements(works_with_vulnerable=True)], True),
    ],
)
def test_volunteers_work_with_vulnerable_groups_when_any_role_needs_a_vog(
    roles: list[RoleRequirements], vulnerable: bool
) -> None:
    assert works_with_vulnerable_groups(roles) is vulnerable
