"""Who at an organisation receives the coordinator's and the admin's mails.

No event says who the coordinators are (tokens carry roles, not addresses), so the
organisation's admin tells notify: `PUT /v1/orgs/{org}/contacts`.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, EmailStr, Field

from services.notify.read_model import load_contacts
from services.notify.storage import CONTACTS
from shared.auth.dependencies import require_org_role
from shared.runtime.runtime import Runtime, runtime_of

router = APIRouter(prefix="/v1/orgs/{org}/contacts", tags=["mail"])
admin = Depends(require_org_role("admin"))


class Contacts(BaseModel):
    model_config = ConfigDict(extra="forbid")

    coordinators: list[EmailStr] = Field(default_factory=list, max_length=50)
    admins: list[EmailStr] = Field(default_factory=list, max_length=50)


@router.put("", dependencies=[admin])
async def set_contacts(
    org: str, body: Contacts, runtime: Runtime = Depends(runtime_of)
) -> Contacts:
    """Replace the coordinators' and admins' addresses (new applications, VOGs, volunteers
    back to pending go to coordinators; a disabled webhook goes to admins)."""
    contacts = Contacts(
        coordinators=list(dict.fromkeys(body.coordinators)),
        admins=list(dict.fromkeys(body.admins)),
    )
    async with runtime.unit_of_work(org) as uow:
        await uow.collection(CONTACTS).update_one(
            {}, {"$set": contacts.model_dump(mode="json")}, upsert=True
        )
    return contacts


@router.get("", dependencies=[admin])
async def get_contacts(org: str, runtime: Runtime = Depends(runtime_of)) -> Contacts:
    async with runtime.unit_of_work(org) as uow:
        return Contacts.model_validate(await load_contacts(uow))
