"""Reading intake's view of an organisation: its roles, its current code, its VCP keys, its
volunteers.

Roles, codes, organisations and keys come from the instance's in-memory copy when it has one
(services/intake/known_facts.py), and from the database projection when it has none or does
not know what is asked (just created on another instance: the copy may trail by a moment).
"""

from __future__ import annotations

from services.intake.domain.errors import NoSuchVolunteer
from services.intake.known_facts import KnownFacts
from services.intake.storage import (
    APPLICATIONS,
    KNOWN_CODES,
    KNOWN_ORGANISATIONS,
    KNOWN_ROLES,
    KNOWN_VCP_KEYS,
)
from shared.domain.vog import RoleRequirements
from shared.storage.tenancy import Document, TenantCollection
from shared.storage.unit_of_work import UnitOfWork


async def load_volunteer(uow: UnitOfWork, volunteer_id: str) -> Document:
    """The volunteer's application; NoSuchVolunteer when the organisation has none."""
    found = await uow.collection(APPLICATIONS).find_one({"volunteer_id": volunteer_id})
    if found is None:
        raise NoSuchVolunteer("There is no such volunteer.")
    return found


async def organisation_known(uow: UnitOfWork, known: KnownFacts | None = None) -> bool:
    if known is not None:
        if uow.org_id in known.organisations:
            return True
        known.fell_back()
    return await uow.collection(KNOWN_ORGANISATIONS).find_one() is not None


async def known_role(
    uow: UnitOfWork, role_id: str, known: KnownFacts | None = None
) -> RoleRequirements | None:
    if known is not None:
        role = known.roles.get((uow.org_id, role_id))
        if role is not None:
            return role
        known.fell_back()
    return await _stored_role(uow.collection(KNOWN_ROLES), role_id)


async def _stored_role(roles: TenantCollection, role_id: str) -> RoleRequirements | None:
    doc = await roles.find_one({"role_id": role_id})
    if doc is None:
        return None
    return RoleRequirements.from_document(doc)


async def volunteer_role(
    uow: UnitOfWork, volunteer: Document, known: KnownFacts | None = None
) -> RoleRequirements:
    role = await known_role(uow, volunteer["role_id"], known)
    if role is None:
        # Applications are accepted only for known roles, and roles are never deleted.
        raise LookupError(f"role {volunteer['role_id']!r} of a volunteer is unknown")
    return role


async def current_code(
    uow: UnitOfWork, known: KnownFacts | None = None, *, at_least: int = 0
) -> tuple[int, str] | None:
    """(version, SHA-256) of the current code. The copy answers unless it knows no code or
    only versions below `at_least` (the one being signed: perhaps just published)."""
    if known is not None:
        code = known.current_code(uow.org_id)
        if code is not None and code[0] >= at_least:
            return code
        known.fell_back()
    # Versions may arrive out of order (one key per version): the highest is current.
    doc = await uow.collection(KNOWN_CODES).find_highest("version")
    return None if doc is None else (int(doc["version"]), str(doc["sha256"]))


async def current_vcp_keys(
    uow: UnitOfWork, known: KnownFacts | None = None, *, including: frozenset[str] = frozenset()
) -> dict[str, str]:
    """fingerprint → suite of every VCP key of the organisation. The copy answers unless it
    knows no key of the organisation or not all of `including` (perhaps just set)."""
    if known is not None:
        keys = known.keys_of(uow.org_id)
        if keys and including <= keys.keys():
            return keys
        known.fell_back()
    return {k["fingerprint"]: k["suite"] for k in await uow.collection(KNOWN_VCP_KEYS).find({})}
