"""The checklist's pillars: which items are done, which are required, where each is done."""

from __future__ import annotations

from services.policy.domain.pillars import (
    PillarFacts,
    checklist_counts,
    checklist_pillars,
)
from shared.domain.vog import RoleRequirements

NOTHING = PillarFacts(
    codes_published=0, has_code_draft=False, vcps_with_key=0, roles=(), interviews_recorded=0
)


def items(facts: PillarFacts, pillar: str) -> dict[str, tuple[bool, bool, str]]:
    progress = getattr(checklist_pillars(facts), pillar)
    return {i.item: (i.done, i.required, i.link) for i in progress.items}


def test_a_new_organisation_sees_every_item_open_with_its_link() -> None:
    pillars = checklist_pillars(NOTHING)

    assert not (pillars.code_of_conduct.done or pillars.vcp.done or pillars.admission_policy.done)
    assert items(NOTHING, "code_of_conduct") == {
        "adopt_model_code": (False, False, "/admin#toolkit"),
        "publish_code": (False, True, "/admin#codes"),
    }
    assert items(NOTHING, "vcp") == {
        "appoint_vcp": (False, True, "/admin#vcps"),
        "appoint_second_vcp": (False, False, "/admin#vcps"),
        "train_vcp": (False, False, "/me#trainings"),
    }
    assert items(NOTHING, "admission_policy") == {
        "define_roles": (False, True, "/admin#roles"),
        "record_interview": (False, True, "/coordinator#applications"),
    }


def test_a_draft_is_progress_but_only_a_published_code_is_the_pillar() -> None:
    drafted = PillarFacts(**{**NOTHING.__dict__, "has_code_draft": True})
    published = PillarFacts(**{**NOTHING.__dict__, "codes_published": 2})

    assert items(drafted, "code_of_conduct")["adopt_model_code"][0] is True
    assert checklist_pillars(drafted).code_of_conduct.done is False
    assert checklist_pillars(published).code_of_conduct.done is True


def test_one_vcp_is_the_pillar_and_a_second_is_recommended() -> None:
    one = PillarFacts(**{**NOTHING.__dict__, "vcps_with_key": 1})
    two = PillarFacts(**{**NOTHING.__dict__, "vcps_with_key": 2})

    assert checklist_pillars(one).vcp.done is True
    assert items(one, "vcp")["appoint_second_vcp"][0] is False
    assert items(two, "vcp")["appoint_second_vcp"][0] is True


def test_a_vcp_who_attended_a_vcp_training_is_recommended_not_needed() -> None:
    trained = PillarFacts(**{**NOTHING.__dict__, "vcps_with_key": 1, "vcps_trained": 1})

    assert items(trained, "vcp")["train_vcp"] == (True, False, "/me#trainings")
    assert checklist_pillars(PillarFacts(**{**NOTHING.__dict__, "vcps_with_key": 1})).vcp.done


def test_the_admission_pillar_needs_roles_and_the_interview_step() -> None:
    roles = (RoleRequirements(works_with_minors=True), RoleRequirements())
    only_roles = PillarFacts(**{**NOTHING.__dict__, "roles": roles})
    in_use = PillarFacts(**{**NOTHING.__dict__, "roles": roles, "interviews_recorded": 1})

    assert checklist_pillars(only_roles).admission_policy.done is False
    assert checklist_pillars(in_use).admission_policy.done is True
    counts = checklist_counts(in_use)
    assert (counts.roles_with_risk_profile, counts.roles_needing_vog) == (2, 1)
    assert counts.vcps_recommended == 2
