"""What notify remembers of other services' events, to address and word its mails."""

from __future__ import annotations

from collections.abc import Collection, Iterable

from services.notify.domain.mail_facts import (
    MailAddressing,
    MailFacts,
    Recipient,
    ReportReaders,
    StaffMember,
    VcpColleague,
    Volunteer,
)
from services.notify.storage import (
    CONTACTS,
    MAILS,
    ORGANISATIONS,
    REPORT_WEBHOOKS_FIELD,
    ROLES,
    STAFF,
    VCPS,
    VOLUNTEERS,
)
from shared.events import Event
from shared.events.admission import (
    AdmissionBlocked,
    CodeOfConductPublished,
    CodeSigned,
    OrganisationRegistered,
    RoleDefined,
    VolunteerAdmitted,
    VolunteerApplied,
    VolunteerDataErased,
    VolunteerRejected,
)
from shared.events.identity import MemberAdded, MemberRemoved
from shared.events.reports import ReportWebhooksSet, VCPAppointed, VCPDismissed, VCPKeySet
from shared.storage.projections import remember_organisation, upsert_by_key
from shared.storage.tenancy import Document
from shared.storage.unit_of_work import UnitOfWork

# A VCP appointed, or whose key was set, since jobs.py last made sure that every colleague
# was told: two appointments handled at once by two notify instances do not see each other.
UNSETTLED: dict[str, object] = {"colleagues_settled": False}


async def project(event: Event, uow: UnitOfWork) -> None:
    if isinstance(event, OrganisationRegistered):
        await remember_organisation(uow.collection(ORGANISATIONS), event)
    elif isinstance(event, ReportWebhooksSet):
        await uow.collection(ORGANISATIONS).update_one(
            {}, {"$set": {REPORT_WEBHOOKS_FIELD: event.forward}}, upsert=True
        )
    elif isinstance(event, CodeOfConductPublished):
        await uow.collection(ORGANISATIONS).update_one(
            {}, {"$max": {"code_version": event.version}}, upsert=True
        )
    elif isinstance(event, RoleDefined):
        await upsert_by_key(
            uow.collection(ROLES), {"role_id": event.role_id}, {"title": event.title}
        )
    elif isinstance(event, VolunteerApplied):
        await upsert_by_key(
            uow.collection(VOLUNTEERS),
            {"volunteer_id": event.volunteer_id},
            {"name": event.name, "email": event.email, "role_id": event.role_id},
        )
    elif isinstance(event, CodeSigned):
        await uow.collection(VOLUNTEERS).update_one(
            {"volunteer_id": event.volunteer_id},
            {"$addToSet": {"signed_versions": event.version}},
        )
    elif isinstance(event, VolunteerAdmitted):
        await uow.collection(VOLUNTEERS).update_one(
            {"volunteer_id": event.volunteer_id}, {"$set": {"admitted": True}}
        )
    elif isinstance(event, AdmissionBlocked | VolunteerRejected):
        before = await uow.collection(VOLUNTEERS).find_one_and_update(
            {"volunteer_id": event.volunteer_id}, {"$set": {"admitted": False}}
        )
        if before is not None:
            await uow.collection(VOLUNTEERS).update_one(
                {"volunteer_id": event.volunteer_id},
                {"$set": {"was_admitted": bool(before.get("admitted"))}},
            )
    elif isinstance(event, VCPAppointed):
        person = {
            "email": event.email,
            "name": event.name,
            **_when_and_which(uow, "appointed_at", "appointment_event_id"),
            "appointed_with_fingerprint": event.fingerprint,
            **UNSETTLED,
        }
        await uow.collection(VCPS).update_one(
            {"vcp_id": event.vcp_id},
            # Keyless, never undo a key that VCPKeySet already recorded.
            {"$set": {**person, "has_key": True}}
            if event.has_key
            else {"$set": person, "$setOnInsert": {"has_key": False}},
            upsert=True,
        )
    elif isinstance(event, VCPKeySet):
        key = {
            "has_key": True,
            **_when_and_which(uow, "key_set_at", "key_set_event_id"),
            "key_fingerprint": event.fingerprint,
            **UNSETTLED,
        }
        await upsert_by_key(uow.collection(VCPS), {"vcp_id": event.vcp_id}, key)
    elif isinstance(event, MemberAdded):
        # Only staff events carry an address (identity sends none for VCPs and volunteers).
        if event.email is not None:
            await upsert_by_key(
                uow.collection(STAFF),
                {"member_id": event.member_id},
                {"email": event.email, "roles": sorted(event.roles)},
            )
    elif isinstance(event, MemberRemoved):
        # Their address goes with their membership.
        await uow.collection(STAFF).delete_one({"member_id": event.member_id})
    elif isinstance(event, VCPDismissed):
        await uow.collection(VCPS).delete_one({"vcp_id": event.vcp_id})
    elif isinstance(event, VolunteerDataErased):
        # The mails about them hold their name and address too.
        await uow.collection(VOLUNTEERS).delete_one({"volunteer_id": event.volunteer_id})
        await uow.collection(MAILS).delete_many({"volunteer_id": event.volunteer_id})


def _when_and_which(uow: UnitOfWork, time_field: str, id_field: str) -> dict[str, object]:
    """The time and id of the event being handled, under the given names."""
    if uow.causation is None:
        return {}
    return {time_field: uow.causation.time, id_field: uow.causation.id}


async def load_facts(
    uow: UnitOfWork,
    recipients: Collection[Recipient],
    volunteer_id: str | None,
    addressing: MailAddressing | None = None,
    invitee_ids: Collection[str] = (),
) -> MailFacts:
    """What mails to `recipients` need to know, read in the caller's transaction;
    `invitee_ids` are the people a consultation's mails go to."""
    organisation = await uow.collection(ORGANISATIONS).find_one({})
    volunteer = None
    roles: list[Document] = []
    if volunteer_id is not None:
        volunteer = await uow.collection(VOLUNTEERS).find_one({"volunteer_id": volunteer_id})
        roles = await uow.collection(ROLES).find({}, projection={"role_id": 1, "title": 1})
    vcps: list[Document] = []
    # Admins' mails need to know whether there is a VCP at all (the toolkit's VCP profile).
    if needs_vcps(recipients):
        vcps = await uow.collection(VCPS).find({}, sort=[("vcp_id", 1)])
    contacts, staff = None, []
    if needs_contacts(recipients):
        contacts = await uow.collection(CONTACTS).find_one({})
        staff = await uow.collection(STAFF).find({}, sort=[("member_id", 1)])
    invitees: list[str] = []
    if Recipient.INVITEES in recipients and invitee_ids:
        invitees = await invitee_addresses(uow, sorted(invitee_ids))
    return facts_from(
        uow.org_id,
        organisation,
        volunteer,
        roles,
        vcps,
        contacts,
        staff=staff,
        addressing=addressing,
        invitee_emails=invitees,
    )


async def invitee_addresses(uow: UnitOfWork, ids: list[str]) -> list[str]:
    """The addresses notify knows of `ids` (a volunteer's id, a staff member's or a VCP's
    `sub`); someone notify never heard of gets no mail."""
    found: list[str] = []
    for collection, key in ((VOLUNTEERS, "volunteer_id"), (STAFF, "member_id"), (VCPS, "vcp_id")):
        rows = await uow.collection(collection).find({key: {"$in": ids}}, projection={"email": 1})
        found.extend(str(row["email"]) for row in rows if row.get("email"))
    return sorted(set(found))


def colleague_from(row: Document) -> VcpColleague:
    return VcpColleague(
        row["vcp_id"],
        row.get("name") or "",
        row["email"],
        appointed_at=row.get("appointed_at"),
        appointment_event_id=row.get("appointment_event_id") or "",
        appointed_with_fingerprint=row.get("appointed_with_fingerprint") or "",
        key_set_at=row.get("key_set_at"),
        key_set_event_id=row.get("key_set_event_id") or "",
        key_fingerprint=row.get("key_fingerprint") or "",
    )


def needs_vcps(recipients: Collection[Recipient]) -> bool:
    return bool(
        {Recipient.VCP, Recipient.ADMIN, Recipient.OTHER_VCPS, Recipient.EVERY_VCP}
        & set(recipients)
    )


def needs_contacts(recipients: Collection[Recipient]) -> bool:
    return bool({Recipient.COORDINATOR, Recipient.ADMIN} & set(recipients))


def facts_from(
    org_id: str,
    organisation: Document | None,
    volunteer: Document | None,
    roles: Iterable[Document],
    vcps: Iterable[Document],
    contacts: Document | None,
    *,
    staff: Iterable[Document] = (),
    addressing: MailAddressing | None = None,
    report_readers: Document | None = None,
    invitee_emails: Iterable[str] = (),
) -> MailFacts:
    """MailFacts from the read model's documents, however they were read (per event, or once
    for a whole batch). `vcps` in vcp_id order."""
    organisation = organisation or {}
    vcp_rows = list(vcps)
    return MailFacts(
        organisation=organisation.get("name") or org_id,
        language=organisation.get("language") or "nl",
        code_version=organisation.get("code_version"),
        volunteer=(
            Volunteer(
                volunteer["name"],
                volunteer["email"],
                volunteer["role_id"],
                bool(volunteer.get("was_admitted")),
                frozenset(volunteer.get("signed_versions", [])),
            )
            if volunteer is not None
            else None
        ),
        role_titles={role["role_id"]: role["title"] for role in roles},
        # Records from before `has_key` was kept were all appointed with a key.
        vcp_emails=[r["email"] for r in vcp_rows if r.get("has_key") is not False],
        vcps=[colleague_from(r) for r in vcp_rows],
        coordinator_emails=(contacts or {}).get("coordinators", []),
        admin_emails=(contacts or {}).get("admins", []),
        staff=[
            StaffMember(row["member_id"], row["email"], frozenset(row.get("roles", [])))
            for row in sorted(staff, key=lambda row: str(row["member_id"]))
        ],
        addressing=addressing or MailAddressing(),
        report_readers=(
            ReportReaders(
                frozenset(report_readers.get("fingerprints", ())),
                frozenset(report_readers.get("vcp_ids", ())),
            )
            if report_readers is not None
            else None
        ),
        invitee_emails=list(invitee_emails),
    )


async def load_contacts(uow: UnitOfWork) -> dict[str, list[str]]:
    row = await uow.collection(CONTACTS).find_one({}) or {}
    return {"coordinators": row.get("coordinators", []), "admins": row.get("admins", [])}
