from __future__ import annotations

import itertools

import pytest

from services.policy.domain.gratis_vog import assess_gratis_vog, works_with_vulnerable_groups
from shared.domain.vog import RoleRequirements

ROWS = list(itertools.product([False, True], repeat=4))


@pytest.mark.parametrize(("code", "vcp", "admission", "vulnerable"), ROWS)
def test_eligible_with_vulnerable_groups_and_two_of_three_pillars(
    code: bool, vcp: bool, admission: bool, vulnerable: bool
) -> None:
    pillars_in_place = [code, vcp, admission].count(True)
    expected_eligible = vulnerable and pillars_in_place >= 2
    expected_missing = [
        name
        for name, present in [
            ("code_of_conduct", code),
            ("vcp", vcp),
            ("admission_policy", admission),
        ]
        if not present
    ]

    assessment = assess_gratis_vog(code, vcp, admission, vulnerable)

    assert assessment.eligible is expected_eligible
    assert assessment.pillars.model_dump() == {
        "code_of_conduct": code,
        "vcp": vcp,
        "admission_policy": admission,
    }
    assert [str(p) for p in assessment.missing_pillars] == expected_missing
    assert assessment.works_with_vulnerable_groups is vulnerable


def test_the_answer_contains_the_contract_fields() -> None:
    body = assess_gratis_vog(True, True, False, True).model_dump(mode="json")

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
