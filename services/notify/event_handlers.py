"""notify's event handlers: every event of the registry passes through the same three steps,
in the consumer's transaction — remember what mails need, record the mails the event calls
for, record the webhook deliveries of subscriptions that want it. An erasure also reaches
the webhook deliveries.

Most events (every volunteer's, every report's) go through the batch handler: a fetched
batch reads the read model, the contacts and the subscriptions once for all its events (one
query per collection), and records every mail and delivery with one bulk write each. The
events that change the organisation-wide read model (organisation, code, roles, VCPs) and
erasures are rare and stay per event: the consumer writes what the batch decided before
one of them first, so the next batch reads what it changed."""

from __future__ import annotations

from services.notify.domain.mail_facts import MailAddressing
from services.notify.domain.mail_planning import plan_event_mails
from services.notify.domain.recipients import mail_routes_for
from services.notify.mail.addressing import mail_addressing
from services.notify.mail.outbox import mail_upserts, record_event_mails
from services.notify.read_model import facts_from, needs_contacts, needs_vcps, project
from services.notify.storage import (
    CONTACTS,
    DELIVERIES,
    MAILS,
    ORGANISATIONS,
    REPORT_READERS,
    ROLES,
    STAFF,
    VCPS,
    VOLUNTEERS,
    WEBHOOKS,
)
from services.notify.webhooks.outbox import (
    delivery_upserts,
    erase_volunteer_from_deliveries,
    record_webhook_deliveries,
    report_events_forwarded,
    wants,
)
from shared.events import REGISTRY, Event
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
from shared.events.consultation import (
    ConsultationClosed,
    ConsultationClosingSoon,
    ConsultationOpened,
)
from shared.events.identity import MemberAdded, MemberRemoved, OperatorAdded, OperatorRemoved
from shared.events.reports import (
    IncidentReported,
    ReportClosed,
    ReportKeyShared,
    ReportMessagePosted,
    ReportWebhooksSet,
    VCPAppointed,
    VCPDismissed,
    VCPKeySet,
)
from shared.logs import get_logger
from shared.messaging.batches import BatchHandler, BatchOutcome, BatchState, EventBatch, StateKey
from shared.messaging.consumer import Handlers
from shared.settings import Settings
from shared.storage.tenancy import Document
from shared.storage.unit_of_work import UnitOfWork

log = get_logger(__name__)


# Events that change what the batch handler reads once per batch, or delete across it, and
# the membership events.
PER_EVENT: frozenset[type[Event]] = frozenset(
    {
        OrganisationRegistered,
        CodeOfConductPublished,
        RoleDefined,
        VCPAppointed,
        VCPKeySet,
        VCPDismissed,
        VolunteerDataErased,
        # Every service's projection of the current members (shared/auth/membership.py)
        # takes these per event, before notify's own steps.
        MemberAdded,
        MemberRemoved,
        OperatorAdded,
        OperatorRemoved,
        # Whether report events reach webhooks: read once per batch, so changed alone.
        ReportWebhooksSet,
        # A consultation's mails go to its invitees, whose addresses the batch does not read.
        ConsultationOpened,
        ConsultationClosingSoon,
        ConsultationClosed,
    }
)


def handlers(settings: Settings) -> Handlers:
    addressing = mail_addressing(settings)

    async def on_event(event: Event, uow: UnitOfWork) -> None:
        # The read model first: a VolunteerApplied's own mails need the applicant's address.
        await project(event, uow)
        await record_event_mails(event, uow, addressing)
        await record_webhook_deliveries(event, uow)
        if isinstance(event, VolunteerDataErased):
            await erase_volunteer_from_deliveries(event, uow)

    async def on_events(batch: EventBatch, state: BatchState) -> BatchOutcome:
        return await handle_batch(batch, state, addressing)

    in_batches = BatchHandler(on_events)
    return {event: on_event if event in PER_EVENT else in_batches for event in REGISTRY}


class BatchReads:
    """The read model of the batch's organisations, each collection read at most once."""

    def __init__(self, state: BatchState, organisations: set[str]) -> None:
        self._state = state
        self._organisations = sorted(organisations)
        self._read: dict[str, dict[str, list[Document]]] = {}

    async def of(self, collection: str, org_id: str) -> list[Document]:
        if collection not in self._read:
            by_org: dict[str, list[Document]] = {org: [] for org in self._organisations}
            for doc in await self._state.load_organisations(collection, self._organisations):
                by_org[doc["org_id"]].append(doc)
            self._read[collection] = by_org
        return self._read[collection][org_id]

    async def one(self, collection: str, org_id: str) -> Document | None:
        docs = await self.of(collection, org_id)
        return docs[0] if docs else None


async def handle_batch(
    batch: EventBatch, state: BatchState, addressing: MailAddressing
) -> BatchOutcome:
    """The per-event steps for a whole batch: the volunteers it names read with one query,
    the organisation-wide read model with one per collection; the volunteer projection
    applied in memory in order, so an applicant's own mails know their address."""
    outcome = BatchOutcome()
    reads = BatchReads(state, {event.org_id for event in batch.events})
    volunteer_keys = {
        (event.org_id, str(volunteer))
        for event in batch.events
        if (volunteer := getattr(event, "volunteer_id", None)) is not None
    }
    volunteers = await state.load(VOLUNTEERS, "volunteer_id", volunteer_keys)
    report_keys = {
        (event.org_id, event.report_id)
        for event in batch.events
        if isinstance(event, REPORT_READER_EVENTS)
    }
    readers = await state.load(REPORT_READERS, "report_id", report_keys)
    for received in batch.received:
        event = received.event
        org = event.org_id
        project_report_readers(event, readers, outcome)
        # Not every event is about a volunteer; those that are name them in `volunteer_id`.
        volunteer_id = getattr(event, "volunteer_id", None)
        project_volunteer(event, volunteers, outcome)
        routes = mail_routes_for(event)
        if routes:
            recipients = {route.recipient for route in routes}
            facts = facts_from(
                org,
                await reads.one(ORGANISATIONS, org),
                volunteers.get((org, volunteer_id)) if volunteer_id is not None else None,
                await reads.of(ROLES, org) if volunteer_id is not None else [],
                sorted(await reads.of(VCPS, org), key=lambda vcp: str(vcp["vcp_id"]))
                if needs_vcps(recipients)
                else [],
                await reads.one(CONTACTS, org) if needs_contacts(recipients) else None,
                staff=await reads.of(STAFF, org) if needs_contacts(recipients) else [],
                addressing=addressing,
                report_readers=(
                    readers.get((org, event.report_id))
                    if isinstance(event, ReportMessagePosted)
                    else None
                ),
            )
            plan = plan_event_mails(event, facts, received.time)
            for problem in plan.problems:
                # The problem names a mail kind and a missing fact, never a person or content.
                log.warning("mail not sent", problem=problem)
            for query, update in mail_upserts(plan.mails, received.id, volunteer_id):
                outcome.update(MAILS, org, query, update, upsert=True)
        subscriptions = [sub for sub in await reads.of(WEBHOOKS, org) if wants(sub, event)]
        if not subscriptions:
            continue
        forwarded = event.tells_of_a_report() and report_events_forwarded(
            await reads.one(ORGANISATIONS, org)
        )
        for query, update in delivery_upserts(
            event, received, subscriptions, report_events_forwarded=forwarded
        ):
            outcome.update(DELIVERIES, org, query, update, upsert=True)
    return outcome


REPORT_READER_EVENTS = (IncidentReported, ReportKeyShared, ReportMessagePosted, ReportClosed)


def project_report_readers(
    event: Event, readers: dict[StateKey, Document], outcome: BatchOutcome
) -> None:
    """Who may read each open report (REPORT_READERS), on the batch's rows in memory: the
    mail about a reporter's message goes to them alone."""
    if not isinstance(event, IncidentReported | ReportKeyShared | ReportClosed):
        return
    key = (event.org_id, event.report_id)
    query = {"report_id": event.report_id}
    if isinstance(event, ReportClosed):
        readers.pop(key, None)
        outcome.delete(REPORT_READERS, event.org_id, query)
        return
    row = readers.setdefault(key, {"org_id": event.org_id, **query})
    if isinstance(event, IncidentReported):
        recipients = event.envelope.get("recipients", ())
        added = sorted(
            {str(r["key_id"]) for r in recipients if isinstance(r, dict) and "key_id" in r}
        )
        field_name = "fingerprints"
    else:
        added = [event.vcp_id]
        field_name = "vcp_ids"
    row[field_name] = sorted({*row.get(field_name, ()), *added})
    outcome.update(
        REPORT_READERS,
        event.org_id,
        query,
        {"$addToSet": {field_name: {"$each": added}}},
        upsert=True,
    )


def project_volunteer(
    event: Event, volunteers: dict[StateKey, Document], outcome: BatchOutcome
) -> None:
    """`project` for the volunteer read model, on the batch's rows in memory."""
    if not isinstance(
        event,
        VolunteerApplied | VolunteerAdmitted | AdmissionBlocked | VolunteerRejected | CodeSigned,
    ):
        return
    key = (event.org_id, event.volunteer_id)
    row = volunteers.get(key)
    query = {"volunteer_id": event.volunteer_id}
    if isinstance(event, VolunteerApplied):
        fields = {"name": event.name, "email": event.email, "role_id": event.role_id}
        volunteers[key] = {**(row or {"org_id": event.org_id, **query}), **fields}
        outcome.update(VOLUNTEERS, event.org_id, query, {"$set": fields}, upsert=True)
    elif row is None:
        return  # As the per-event update: nothing to change for an unknown volunteer.
    elif isinstance(event, CodeSigned):
        signed = sorted({*row.get("signed_versions", []), event.version})
        row["signed_versions"] = signed
        update = {"$addToSet": {"signed_versions": event.version}}
        outcome.update(VOLUNTEERS, event.org_id, query, update)
    elif isinstance(event, VolunteerAdmitted):
        row["admitted"] = True
        outcome.update(VOLUNTEERS, event.org_id, query, {"$set": {"admitted": True}})
    else:
        blocked = {"admitted": False, "was_admitted": bool(row.get("admitted"))}
        row.update(blocked)
        outcome.update(VOLUNTEERS, event.org_id, query, {"$set": blocked})
