"""Reading and setting the regional centre's fallback contacts (domain/fallback_contacts.py)."""

from __future__ import annotations

from services.policy.domain.fallback_contacts import FallbackContacts
from services.policy.storage import FALLBACK_CONTACTS
from shared import audit
from shared.storage.unit_of_work import UnitOfWork


async def read(uow: UnitOfWork) -> FallbackContacts:
    """The contacts as the operator set them; none before that (the operator must check and
    set them: no phone number is assumed)."""
    found = await uow.collection(FALLBACK_CONTACTS).find_one({})
    return FallbackContacts.model_validate({"contacts": (found or {}).get("contacts", [])})


async def replace(uow: UnitOfWork, contacts: FallbackContacts) -> FallbackContacts:
    """Replace the whole list, written to the centre's audit chain in the same transaction."""
    stored = contacts.model_dump(mode="json")
    await uow.collection(FALLBACK_CONTACTS).update_one({}, {"$set": stored}, upsert=True)
    await audit.record(uow, "fallback_contacts.changed", "platform", "fallback-contacts")
    return contacts
