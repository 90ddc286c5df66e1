"""policy's event handlers: load, decide, store, emit."""

from __future__ import annotations

from services.policy.storage import ADMISSIONS
from shared.events.admission import VolunteerApplied
from shared.messaging.consumer import Handlers
from shared.storage.unit_of_work import UnitOfWork


async def on_volunteer_applied(event: VolunteerApplied, uow: UnitOfWork) -> None:
    await uow.collection(ADMISSIONS).update_one(
        {"volunteer_id": event.volunteer_id},
        {
            "$setOnInsert": {
                "role_id": event.role_id,
                "status": "pending",
                "missing": ["interview", "code_signature"],
                "applied_at": event.applied_at,
            }
        },
        upsert=True,
    )


HANDLERS: Handlers = {VolunteerApplied: on_volunteer_applied}
