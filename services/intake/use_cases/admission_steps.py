"""A volunteer's admission steps as they are handed in: interview, signature, VOG.

Each is checked against intake's read model of policy's facts and stored with the event that
tells policy, in the caller's unit of work.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from services.intake.domain.errors import (
    AlreadyRecorded,
    InvalidSubmission,
    NoSuchVolunteer,
    NotTheCurrentCode,
)
from services.intake.known_facts import KnownFacts
from services.intake.read_model import current_code, load_volunteer, volunteer_role
from services.intake.storage import APPLICATIONS, INTERVIEWS, SIGNATURES, VOG_RECORDS
from shared import audit
from shared.domain.code_of_conduct import signature_matches
from shared.domain.numbers import WholeNumber
from shared.domain.vog import VOGFacts, check_vog_handed_in
from shared.events.admission import CodeSigned, InterviewRecorded, VOGReceived
from shared.storage.unit_of_work import UnitOfWork


def no_such_volunteer() -> NoSuchVolunteer:
    """What an interview or a signature for a volunteer who never applied here raises."""
    return NoSuchVolunteer("There is no such volunteer.")


class DecideByReading(Exception):
    """The VOG's shortcut found no application of this volunteer for a role the copy says
    the VOG meets: no such volunteer, a VOG their role refuses, or a role the copy does not
    know yet. Run again with `decide_by_copy=False` to tell which."""


def _roles_accepting(
    vog: VOGFacts, handed_in: date, org: str, known: KnownFacts | None
) -> list[str]:
    """The organisation's roles (as the copy knows them) whose requirements this VOG meets."""
    if known is None:
        return []
    return sorted(
        role_id
        for (of, role_id), role in known.roles.items()
        if of == org and not check_vog_handed_in(vog, role, handed_in)
    )


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
    # That the volunteer applied is checked in the commit's one command, not read first.
    uow.require_at_commit(
        APPLICATIONS, {"volunteer_id": volunteer_id}, if_missing=no_such_volunteer()
    )
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
    uow.require_at_commit(
        APPLICATIONS, {"volunteer_id": volunteer_id}, if_missing=no_such_volunteer()
    )
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
    decide_by_copy: bool = True,
) -> None:
    """Record that the original VOG was checked: the facts, never a scan. Raises
    DecideByReading at commit when the copy's shortcut did not match (see below)."""
    vog = VOGFacts(
        issued_on=record.issued_on,
        screening_aspects=tuple(record.screening_aspects),
        checked_by=record.checked_by,
        recorded_on=handed_in,
    )
    accepting = _roles_accepting(vog, handed_in, uow.org_id, known) if decide_by_copy else []
    if accepting:
        # The copy knows which of the organisation's roles this VOG meets: the commit's one
        # command checks that the volunteer applied for one of those, instead of a read of
        # the application first. Should it not match, the caller runs it again without
        # (`decide_by_copy=False`), which reads the application and names what is wrong.
        uow.require_at_commit(
            APPLICATIONS,
            {"volunteer_id": volunteer_id, "role_id": {"$in": accepting}},
            if_missing=DecideByReading(),
        )
    else:
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
