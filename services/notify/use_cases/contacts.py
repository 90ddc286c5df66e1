"""Who at an organisation receives the coordinator's and the admin's mails.

No event says who the coordinators are (tokens carry roles, not addresses), so the
organisation's admin tells notify.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, EmailStr, Field

from services.notify.read_model import load_contacts
from services.notify.storage import CONTACTS
from shared.storage.unit_of_work import UnitOfWork


class Contacts(BaseModel):
    model_config = ConfigDict(extra="forbid")

    coordinators: list[EmailStr] = Field(default_factory=list, max_length=50)
    admins: list[EmailStr] = Field(default_factory=list, max_length=50)


async def set_contacts(uow: UnitOfWork, contacts: Contacts) -> Contacts:
    """Replace the coordinators' and admins' addresses; each is kept once, in the order given.
    Returns what is stored."""
    stored = Contacts(
        coordinators=list(dict.fromkeys(contacts.coordinators)),
        admins=list(dict.fromkeys(contacts.admins)),
    )
    await uow.collection(CONTACTS).update_one(
        {}, {"$set": stored.model_dump(mode="json")}, upsert=True
    )
    return stored


async def get_contacts(uow: UnitOfWork) -> Contacts:
    return Contacts.model_validate(await load_contacts(uow))
