"""policy's event handlers: load the facts, decide with the pure rules, store, announce.

Volunteer events change one file each; a fetched batch of them is decided at once, with one
read and one write per collection for the whole batch (use_cases/volunteer_events.py, on the
same `decide` as every other path; shared/messaging/batches.py).
A new code version or a changed role changes the world
for many files: their handlers re-evaluate every file it touches. policy consumes its own
RoleDefined and CodeOfConductPublished for that, so the route that publishes a code answers
at once, however many volunteers an organisation has.
"""

from __future__ import annotations

from services.policy.domain.admission import AdmissionStatus
from services.policy.storage import VCPS
from services.policy.use_cases.admission import reevaluate_matching
from services.policy.use_cases.volunteer_events import decide_volunteer_events
from shared.domain.calendar import today
from shared.events.admission import (
    CodeOfConductPublished,
    CodeSigned,
    InterviewRecorded,
    RoleDefined,
    VOGReceived,
    VolunteerApplied,
)
from shared.events.reports import VCPAppointed, VCPDismissed, VCPKeySet
from shared.messaging.batches import BatchHandler
from shared.messaging.consumer import Handlers
from shared.storage.unit_of_work import UnitOfWork

VOLUNTEER_EVENTS = BatchHandler(decide_volunteer_events)


async def on_role_defined(event: RoleDefined, uow: UnitOfWork) -> None:
    await reevaluate_matching(uow, {"role_id": event.role_id}, today())


async def on_code_published(event: CodeOfConductPublished, uow: UnitOfWork) -> None:
    # Rejected volunteers have nothing to sign; everyone else must sign the new text (within
    # the grace period the version was published with).
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
    VolunteerApplied: VOLUNTEER_EVENTS,
    InterviewRecorded: VOLUNTEER_EVENTS,
    CodeSigned: VOLUNTEER_EVENTS,
    VOGReceived: VOLUNTEER_EVENTS,
    RoleDefined: on_role_defined,
    CodeOfConductPublished: on_code_published,
    VCPAppointed: on_vcp_appointed,
    VCPKeySet: on_vcp_key_set,
    VCPDismissed: on_vcp_dismissed,
}
