"""The coordinator's pipeline stage and re-signing, decided from the file; the name search's words."""

from __future__ import annotations

from datetime import date

import pytest

from services.policy.domain.admission import (
    AdmissionDecision,
    AdmissionStatus,
    AdmissionStep,
)
from services.policy.domain.admission_file import AdmissionFile
from services.policy.domain.pipeline import (
    Stage,
    folded_name,
    must_sign_again,
    pipeline_stage,
    search_words,
)

TODAY = date(2026, 6, 15)
INTERVIEW, C, V = AdmissionStep.INTERVIEW, AdmissionStep.CODE_SIGNATURE, AdmissionStep.VOG


def file(
    status: AdmissionStatus = AdmissionStatus.PENDING,
    missing: tuple[AdmissionStep, ...] = (),
    **facts: object,
) -> AdmissionFile:
    return AdmissionFile(
        volunteer_id="v-1",
        role_id="coach",
        last_activity=TODAY,
        decision=AdmissionDecision(status=status, missing=missing),
        **facts,
    )


@pytest.mark.parametrize(
    ("status", "missing", "stage"),
    [
        (AdmissionStatus.PENDING, (INTERVIEW, C, V), Stage.APPLIED),
        (AdmissionStatus.PENDING, (INTERVIEW,), Stage.APPLIED),
        (AdmissionStatus.PENDING, (C, V), Stage.INTERVIEWED),
        (AdmissionStatus.PENDING, (C,), Stage.VOG),
        (AdmissionStatus.PENDING, (V,), Stage.SIGNED),
        (AdmissionStatus.ADMITTED, (), Stage.ADMITTED),
        (AdmissionStatus.REJECTED, (), Stage.REJECTED),
    ],
)
def test_the_stage_is_the_first_thing_still_to_happen(
    status: AdmissionStatus, missing: tuple[AdmissionStep, ...], stage: Stage
) -> None:
    assert pipeline_stage(file(status, missing)) == stage


def test_a_file_not_yet_decided_counts_as_applied() -> None:
    undecided = AdmissionFile(volunteer_id="v-1", role_id="coach", last_activity=TODAY)
    assert pipeline_stage(undecided) == Stage.APPLIED


def test_only_those_who_signed_an_older_version_and_are_not_rejected_sign_again() -> None:
    assert must_sign_again(file(AdmissionStatus.PENDING, (C,), signed_code_version=1), 2)
    assert not must_sign_again(file(AdmissionStatus.ADMITTED, signed_code_version=2), 2)
    assert not must_sign_again(file(AdmissionStatus.PENDING, (C,)), 2)  # never signed
    rejected = file(AdmissionStatus.REJECTED, signed_code_version=1)
    assert not must_sign_again(rejected, 2)


def test_every_word_of_the_search_is_folded_as_the_names_are() -> None:
    words = search_words("  VRIES  anna ")
    assert words == ["vries", "anna"]
    assert all(word in folded_name("Anna de Vries") for word in words)
    assert not all(word in folded_name("Anna de Vries") for word in search_words("anna bakker"))
    assert search_words("   ") == search_words(None) == []
