"""intake's read model, built from policy's events: no synchronous call to policy."""

from __future__ import annotations

from services.intake.storage import KNOWN_ORGANISATIONS, KNOWN_ROLES
from shared.events.admission import OrganisationRegistered, RoleDefined
from shared.messaging.consumer import Handlers
from shared.storage.unit_of_work import UnitOfWork


async def on_organisation_registered(event: OrganisationRegistered, uow: UnitOfWork) -> None:
    await uow.collection(KNOWN_ORGANISATIONS).update_one(
        {}, {"$set": {"name": event.name, "language": event.language}}, upsert=True
    )


async def on_role_defined(event: RoleDefined, uow: UnitOfWork) -> None:
    await uow.collection(KNOWN_ROLES).replace_one(
        {"role_id": event.role_id}, event.model_dump(), upsert=True
    )


HANDLERS: Handlers = {
    OrganisationRegistered: on_organisation_registered,
    RoleDefined: on_role_defined,
}
