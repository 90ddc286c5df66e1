"""policy's event handlers: load the facts, decide with the pure rules, store, announce.

Volunteer events change one file. A new code version or a changed role changes the world
for many files: their handlers re-evaluate every file it touches. policy consumes its own
RoleDefined and CodeOfConductPublished for that, so the route that publishes a code answers
at once, however many volunteers an organisation has.
"""

from __future__ import annotations

from typing import Any

from services.policy.domain.admission import AdmissionStatus, InterviewOutcome
from services.policy.domain.admission_file import AdmissionFile
from services.policy.storage import POLICY_USAGE, VCPS, VOLUNTEER_NAMES
from services.policy.use_cases.admission import (
    PolicyFacts,
    decide_and_store,
    load_file,
    reevaluate_matching,
)
from services.policy.volunteer_list import name_fields
from shared.domain.calendar import today
from shared.domain.vog import VOGFacts
from shared.events.admission import (
    CodeOfConductPublished,
    CodeSigned,
    InterviewRecorded,
    RoleDefined,
    VOGReceived,
    VolunteerApplied,
)
from shared.events.reports import VCPAppointed, VCPDismissed, VCPKeySet
from shared.logs import get_logger
from shared.messaging.consumer import Handlers
from shared.storage.unit_of_work import UnitOfWork

log = get_logger(__name__)


async def on_volunteer_applied(event: VolunteerApplied, uow: UnitOfWork) -> None:
    if await load_file(uow, event.volunteer_id) is not None:
        return
    await uow.collection(VOLUNTEER_NAMES).update_one(
        {"volunteer_id": event.volunteer_id},
        {"$set": {**name_fields(event.name), "applied_at": event.applied_at.isoformat()}},
        upsert=True,
    )
    file = AdmissionFile(
        volunteer_id=event.volunteer_id, role_id=event.role_id, last_activity=today()
    )
    await decide_and_store(uow, PolicyFacts(uow), file, today(), stored=None)


async def _record_fact(uow: UnitOfWork, volunteer_id: str, fact: dict[str, Any]) -> None:
    stored = await load_file(uow, volunteer_id)
    if stored is None:
        # Erased after the retention period, or never applied: nothing to decide about.
        log.warning("event for an unknown volunteer ignored", volunteer_id=volunteer_id)
        return
    day = today()
    file = stored.model_copy(update={**fact, "last_activity": day})
    await decide_and_store(uow, PolicyFacts(uow), file, day, stored=stored)


async def on_interview_recorded(event: InterviewRecorded, uow: UnitOfWork) -> None:
    # That the interview step is in use is part of the admission-policy pillar; the tally
    # outlives the volunteer's file, which is erased after the retention period.
    await uow.collection(POLICY_USAGE).update_one(
        {}, {"$inc": {"interviews_recorded": 1}}, upsert=True
    )
    await _record_fact(uow, event.volunteer_id, {"interview": InterviewOutcome(event.outcome)})


async def on_code_signed(event: CodeSigned, uow: UnitOfWork) -> None:
    await _record_fact(uow, event.volunteer_id, {"signed_code_version": event.version})


async def on_vog_received(event: VOGReceived, uow: UnitOfWork) -> None:
    vog = VOGFacts(
        issued_on=event.issued_on,
        screening_aspects=tuple(event.screening_aspects),
        checked_by=event.checked_by,
        recorded_on=event.recorded_on,
    )
    await _record_fact(uow, event.volunteer_id, {"vog": vog})


async def on_role_defined(event: RoleDefined, uow: UnitOfWork) -> None:
    await reevaluate_matching(uow, {"role_id": event.role_id}, today())


async def on_code_published(event: CodeOfConductPublished, uow: UnitOfWork) -> None:
    # Rejected volunteers have nothing to sign; everyone else must sign the new text.
    await reevaluate_matching(
        uow, {"decision.status": {"$ne": AdmissionStatus.REJECTED.value}}, today()
    )


async def on_vcp_appointed(event: VCPAppointed, uow: UnitOfWork) -> None:
    # Only the fact that the organisation has a VCP who can read reports matters here (the
    # VCP pillar), not who: a VCP without a key receives nothing yet.
    keyless = {"$setOnInsert": {"has_key": False}}
    await uow.collection(VCPS).update_one(
        {"vcp_id": event.vcp_id},
        # Keyless, never undo a key that VCPKeySet already recorded.
        {"$set": {"vcp_id": event.vcp_id, "has_key": True}} if event.has_key else keyless,
        upsert=True,
    )


async def on_vcp_key_set(event: VCPKeySet, uow: UnitOfWork) -> None:
    await uow.collection(VCPS).update_one(
        {"vcp_id": event.vcp_id}, {"$set": {"has_key": True}}, upsert=True
    )


async def on_vcp_dismissed(event: VCPDismissed, uow: UnitOfWork) -> None:
    await uow.collection(VCPS).delete_one({"vcp_id": event.vcp_id})


HANDLERS: Handlers = {
    VolunteerApplied: on_volunteer_applied,
    InterviewRecorded: on_interview_recorded,
    CodeSigned: on_code_signed,
    VOGReceived: on_vog_received,
    RoleDefined: on_role_defined,
    CodeOfConductPublished: on_code_published,
    VCPAppointed: on_vcp_appointed,
    VCPKeySet: on_vcp_key_set,
    VCPDismissed: on_vcp_dismissed,
}
