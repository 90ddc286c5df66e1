"""Reading intake's view of an organisation: its roles, its current code, its VCP keys, its
volunteers."""

from __future__ import annotations

from services.intake.domain.errors import NoSuchVolunteer
from services.intake.storage import APPLICATIONS, KNOWN_CODES, KNOWN_ROLES
from shared.domain.vog import RoleRequirements
from shared.storage.tenancy import Document, TenantCollection
from shared.storage.unit_of_work import UnitOfWork


async def load_volunteer(uow: UnitOfWork, volunteer_id: str) -> Document:
    """The volunteer's application; NoSuchVolunteer when the organisation has none."""
    found = await uow.collection(APPLICATIONS).find_one({"volunteer_id": volunteer_id})
    if found is None:
        raise NoSuchVolunteer("There is no such volunteer.")
    return found


async def known_role(roles: TenantCollection, role_id: str) -> RoleRequirements | None:
    doc = await roles.find_one({"role_id": role_id})
    if doc is None:
        return None
    return RoleRequirements.from_document(doc)


async def volunteer_role(uow: UnitOfWork, volunteer: Document) -> RoleRequirements:
    role = await known_role(uow.collection(KNOWN_ROLES), volunteer["role_id"])
    if role is None:
        # Applications are accepted only for known roles, and roles are never deleted.
        raise LookupError(f"role {volunteer['role_id']!r} of a volunteer is unknown")
    return role


async def current_code(uow: UnitOfWork) -> Document | None:
    # Versions may arrive out of order (one key per version): the highest is current.
    return await uow.collection(KNOWN_CODES).find_highest("version")


async def current_vcp_keys(keys: TenantCollection) -> dict[str, str]:
    """fingerprint → suite of every VCP key of the organisation."""
    return {k["fingerprint"]: k["suite"] for k in await keys.find({})}
