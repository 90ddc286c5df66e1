"""Where a volunteer stands in the coordinator's pipeline, decided from their admission file.

The admission decision says only pending, admitted or rejected, with the missing steps; the
coordinator works by stage. A pending volunteer's stage is the first thing still to happen:
  applied      the interview has not passed yet;
  interviewed  the interview passed; neither the code is signed nor a VOG in order;
  vog          a VOG is in order, the current code is not signed (e.g. a new version);
  signed       the current code is signed, the VOG is still awaited.
"""

from __future__ import annotations

from enum import StrEnum

from services.policy.domain.admission import AdmissionStatus, AdmissionStep
from services.policy.domain.admission_file import AdmissionFile


class Stage(StrEnum):
    APPLIED = "applied"
    INTERVIEWED = "interviewed"
    SIGNED = "signed"
    VOG = "vog"
    ADMITTED = "admitted"
    REJECTED = "rejected"


def pipeline_stage(file: AdmissionFile) -> Stage:
    if file.status == AdmissionStatus.REJECTED:
        return Stage.REJECTED
    if file.status == AdmissionStatus.ADMITTED:
        return Stage.ADMITTED
    missing = set(file.decision.missing if file.decision else (AdmissionStep.INTERVIEW,))
    if AdmissionStep.INTERVIEW in missing:
        return Stage.APPLIED
    if AdmissionStep.CODE_SIGNATURE in missing:
        return Stage.INTERVIEWED if AdmissionStep.VOG in missing else Stage.VOG
    return Stage.SIGNED


def must_sign_again(file: AdmissionFile, current_code_version: int | None) -> bool:
    """Signed an earlier version than the current one, and not rejected."""
    return (
        file.status != AdmissionStatus.REJECTED
        and file.signed_code_version is not None
        and current_code_version is not None
        and file.signed_code_version != current_code_version
    )


def search_words(query: str | None) -> list[str]:
    """The words of a name search, folded as names are folded for the list
    (`folded_name`): a volunteer matches when every word occurs in their name."""
    return folded_name(query or "").split()


def folded_name(name: str) -> str:
    """A name as the coordinator's list sorts and searches it: case ignored."""
    return name.casefold()
