"""A volunteer's admission steps as they are handed in: interview, signature, VOG.

Each is checked against intake's read model of policy's facts and stored with the event that
tells policy, in the caller's unit of work.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from services.intake.domain.errors import AlreadyRecorded, InvalidSubmission, NotTheCurrentCode
from services.intake.known_facts import KnownFacts
from services.intake.read_model import current_code, load_volunteer, volunteer_role
from services.intake.storage import INTERVIEWS, SIGNATURES, VOG_RECORDS
from shared import audit
from shared.domain.code_of_conduct import signature_matches
from shared.domain.numbers import WholeNumber
from shared.domain.vog import VOGFacts, check_vog_handed_in
from shared.events.admission import CodeSigned, InterviewRecorded, VOGReceived
from shared.storage.unit_of_work import UnitOfWork


class Interview(BaseModel):
    outcome: Literal["proceed", "reject", "doubt"]
    notes: str | None = Field(default=None, max_length=5000)


class Signature(BaseModel):
    # Strict: `true` is no version 1; inputs are taken as written.
    version: WholeNumber = Field(ge=1)
    sha256: str = Field(pattern=r"^[0-9a-fA-F]{64}$")
    full_name: str = Field(min_length=1, max_length=200)


class VOGRecord(BaseModel):
    issued_on: date
    screening_aspects: list[WholeNumber] = Field(max_length=20)
    checked_by: str = Field(min_length=1, max_length=200)


async def record_interview(
    uow: UnitOfWork,
    volunteer_id: str,
    interview: Interview,
    *,
    recorded_by: str,
    recorded_at: datetime,
) -> None:
    await load_volunteer(uow, volunteer_id)
    # The notes stay here: they are for the organisation, not for every consumer. Written
    # at commit with the outbox (one command); one interview decides: "if in doubt, don't
    # admit" must not be undone by a retry, so a second one is refused there.
    uow.insert_at_commit(
        INTERVIEWS,
        {
            "volunteer_id": volunteer_id,
            **interview.model_dump(),
            "recorded_by": recorded_by,
            "recorded_at": recorded_at,
        },
        if_duplicate=AlreadyRecorded("This volunteer's interview outcome is already recorded."),
    )
    await audit.record(uow, "volunteer.interview_recorded", "volunteer", volunteer_id)
    uow.publish(
        InterviewRecorded(
            org_id=uow.org_id,
            volunteer_id=volunteer_id,
            outcome=interview.outcome,
            recorded_by=recorded_by,
            recorded_at=recorded_at,
        )
    )


async def sign_code(
    uow: UnitOfWork,
    volunteer_id: str,
    signature: Signature,
    *,
    signed_by: str,
    signed_at: datetime,
    known: KnownFacts | None = None,
) -> None:
    """The volunteer signs the current code; a coordinator who records it signed a paper one."""
    on_paper = signed_by != volunteer_id
    await load_volunteer(uow, volunteer_id)
    code = await current_code(uow, known, at_least=signature.version)
    if code is None:
        raise NotTheCurrentCode("This organisation has not published a code of conduct to sign.")
    version, sha256 = code
    if not signature_matches(signature.version, signature.sha256, version, sha256):
        raise NotTheCurrentCode(_mismatch(signature, version))
    # At commit with the outbox, in one command; a second signature of a version is refused.
    uow.insert_at_commit(
        SIGNATURES,
        {
            "volunteer_id": volunteer_id,
            "version": signature.version,
            "sha256": signature.sha256.lower(),
            "full_name": signature.full_name,
            "signed_at": signed_at,
            "recorded_by": signed_by,
            "on_paper": on_paper,
        },
        if_duplicate=AlreadyRecorded(f"Version {signature.version} is already signed."),
    )
    uow.publish(
        CodeSigned(
            org_id=uow.org_id,
            volunteer_id=volunteer_id,
            version=signature.version,
            sha256=signature.sha256.lower(),
            signed_at=signed_at,
            recorded_by=signed_by,
            on_paper=on_paper,
        )
    )


def _mismatch(signature: Signature, current_version: int) -> str:
    if signature.version != current_version:
        return (
            f"Version {signature.version} is not the current code of conduct; "
            f"please read and sign version {current_version}."
        )
    return (
        "The SHA-256 does not match the text of the current code of conduct; "
        "please read the current text again and sign that."
    )


async def record_vog(
    uow: UnitOfWork,
    volunteer_id: str,
    record: VOGRecord,
    *,
    recorded_by: str,
    recorded_at: datetime,
    handed_in: date,
    known: KnownFacts | None = None,
) -> None:
    """Record that the original VOG was checked: the facts, never a scan."""
    vog = VOGFacts(
        issued_on=record.issued_on,
        screening_aspects=tuple(record.screening_aspects),
        checked_by=record.checked_by,
        recorded_on=handed_in,
    )
    volunteer = await load_volunteer(uow, volunteer_id)
    problems = check_vog_handed_in(vog, await volunteer_role(uow, volunteer, known), handed_in)
    if problems:
        raise InvalidSubmission(" ".join(problems))
    uow.insert_at_commit(
        VOG_RECORDS,
        {
            "volunteer_id": volunteer_id,
            **vog.model_dump(mode="json"),
            "meets_requirement": True,
            "recorded_by": recorded_by,
            "recorded_at": recorded_at,
        },
    )
    await audit.record(uow, "volunteer.vog_recorded", "volunteer", volunteer_id)
    uow.publish(
        VOGReceived(
            org_id=uow.org_id,
            volunteer_id=volunteer_id,
            issued_on=vog.issued_on,
            screening_aspects=list(vog.screening_aspects),
            checked_by=vog.checked_by,
            recorded_on=handed_in,
        )
    )
