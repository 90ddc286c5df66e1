"""intake's event handlers: its read model of policy's facts and of reports' VCP keys, and
erasure on policy's word."""

from __future__ import annotations

from services.intake.storage import (
    KNOWN_CODES,
    KNOWN_ORGANISATIONS,
    KNOWN_ROLES,
    KNOWN_VCP_KEYS,
    VOLUNTEER_COLLECTIONS,
)
from shared.events.admission import (
    CodeOfConductPublished,
    OrganisationRegistered,
    RoleDefined,
    VolunteerDataErased,
)
from shared.events.reports import VCPAppointed, VCPDismissed, VCPKeySet
from shared.messaging.consumer import Handlers
from shared.storage.projections import remember_organisation, upsert_by_key
from shared.storage.unit_of_work import UnitOfWork


async def on_organisation_registered(event: OrganisationRegistered, uow: UnitOfWork) -> None:
    await remember_organisation(uow.collection(KNOWN_ORGANISATIONS), event)


async def on_role_defined(event: RoleDefined, uow: UnitOfWork) -> None:
    await uow.collection(KNOWN_ROLES).replace_one(
        {"role_id": event.role_id}, event.model_dump(), upsert=True
    )


async def on_code_published(event: CodeOfConductPublished, uow: UnitOfWork) -> None:
    # Only what a signature is checked against; the text itself is policy's to serve.
    await upsert_by_key(
        uow.collection(KNOWN_CODES), {"version": event.version}, {"sha256": event.sha256}
    )


async def on_volunteer_data_erased(event: VolunteerDataErased, uow: UnitOfWork) -> None:
    """policy's retention period is over: the profile, interview, signatures and VOG facts go."""
    for name in VOLUNTEER_COLLECTIONS:
        await uow.collection(name).delete_many({"volunteer_id": event.volunteer_id})


async def on_vcp_appointed(event: VCPAppointed, uow: UnitOfWork) -> None:
    if event.has_key:
        await _remember_key(uow, event.vcp_id, event.fingerprint, event.public_key)


async def on_vcp_key_set(event: VCPKeySet, uow: UnitOfWork) -> None:
    # Replaces a previous key: reports are sealed to the new one only from now on.
    await _remember_key(uow, event.vcp_id, event.fingerprint, event.public_key)


async def _remember_key(
    uow: UnitOfWork, vcp_id: str, fingerprint: str, public_key: dict[str, str]
) -> None:
    await uow.collection(KNOWN_VCP_KEYS).replace_one(
        {"vcp_id": vcp_id},
        {"vcp_id": vcp_id, "fingerprint": fingerprint, "suite": public_key.get("suite")},
        upsert=True,
    )


async def on_vcp_dismissed(event: VCPDismissed, uow: UnitOfWork) -> None:
    # From now on a report must no longer be sealed to the key of someone who left.
    await uow.collection(KNOWN_VCP_KEYS).delete_one({"vcp_id": event.vcp_id})


HANDLERS: Handlers = {
    OrganisationRegistered: on_organisation_registered,
    RoleDefined: on_role_defined,
    CodeOfConductPublished: on_code_published,
    VolunteerDataErased: on_volunteer_data_erased,
    VCPAppointed: on_vcp_appointed,
    VCPKeySet: on_vcp_key_set,
    VCPDismissed: on_vcp_dismissed,
}
