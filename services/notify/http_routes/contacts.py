"""Who at an organisation receives the coordinator's and the admin's mails:
`PUT /v1/orgs/{org}/contacts` (services/notify/use_cases/contacts.py)."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from services.notify.use_cases import contacts
from services.notify.use_cases.contacts import Contacts
from shared.auth.dependencies import require_org_role
from shared.runtime.runtime import Runtime, runtime_of

router = APIRouter(prefix="/v1/orgs/{org}/contacts", tags=["mail"])
admin = Depends(require_org_role("admin"))


@router.put("", dependencies=[admin])
async def set_contacts(
    org: str, body: Contacts, runtime: Runtime = Depends(runtime_of)
) -> Contacts:
    """Replace the coordinators' and admins' addresses (new applications, VOGs, volunteers
    back to pending go to coordinators; a disabled webhook goes to admins)."""
    return await runtime.transact(org, lambda uow: contacts.set_contacts(uow, body))


@router.get("", dependencies=[admin])
async def get_contacts(org: str, runtime: Runtime = Depends(runtime_of)) -> Contacts:
    return await runtime.read(org, contacts.get_contacts)
