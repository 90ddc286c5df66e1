"""intake's event handlers: its read model of policy's facts and of reports' VCP keys, and
erasure on policy's word. Writes only, no reads: a batch costs one bulk write per collection
it touches."""

from __future__ import annotations

from services.intake.storage import (
    KNOWN_CODES,
    KNOWN_ORGANISATIONS,
    KNOWN_ROLES,
    KNOWN_VCP_KEYS,
    VOLUNTEER_COLLECTIONS,
)
from shared.events import Event
from shared.events.admission import (
    CodeOfConductPublished,
    OrganisationRegistered,
    RoleDefined,
    VolunteerDataErased,
)
from shared.events.reports import VCPAppointed, VCPDismissed, VCPKeySet
from shared.messaging.batches import BatchHandler, BatchOutcome, BatchState, EventBatch
from shared.messaging.consumer import Handlers


def record(event: Event, outcome: BatchOutcome) -> None:
    """What one of policy's or reports' events changes in intake's read model."""
    org = event.org_id
    if isinstance(event, OrganisationRegistered):
        fields = {"name": event.name, "language": event.language}
        outcome.update(KNOWN_ORGANISATIONS, org, {}, {"$set": fields}, upsert=True)
    elif isinstance(event, RoleDefined):
        outcome.replace(
            KNOWN_ROLES, org, {"role_id": event.role_id}, event.model_dump(), upsert=True
        )
    elif isinstance(event, CodeOfConductPublished):
        # Only what a signature is checked against; the text itself is policy's to serve.
        outcome.update(
            KNOWN_CODES,
            org,
            {"version": event.version},
            {"$set": {"sha256": event.sha256}},
            upsert=True,
        )
    elif isinstance(event, VolunteerDataErased):
        # policy's retention period is over: the profile, interview, signatures and VOG go.
        for name in VOLUNTEER_COLLECTIONS:
            outcome.delete_many(name, org, {"volunteer_id": event.volunteer_id})
    elif isinstance(event, VCPAppointed | VCPKeySet | VCPDismissed):
        record_vcp_key(event, outcome)


def record_vcp_key(event: VCPAppointed | VCPKeySet | VCPDismissed, outcome: BatchOutcome) -> None:
    """What a VCP event changes in the keys intake seals reports to."""
    query = {"vcp_id": event.vcp_id}
    if isinstance(event, VCPDismissed):
        # From now on a report must no longer be sealed to the key of someone who left.
        outcome.delete(KNOWN_VCP_KEYS, event.org_id, query)
    elif isinstance(event, VCPKeySet) or event.has_key:
        # A new key replaces a previous one: reports are sealed to it only from now on.
        key = {"fingerprint": event.fingerprint, "suite": event.public_key.get("suite")}
        outcome.replace(KNOWN_VCP_KEYS, event.org_id, query, {**query, **key}, upsert=True)


async def on_events(batch: EventBatch, _state: BatchState) -> BatchOutcome:
    outcome = BatchOutcome()
    for event in batch.events:
        record(event, outcome)
    return outcome


IN_BATCHES = BatchHandler(on_events)

HANDLERS: Handlers = {
    event: IN_BATCHES
    for event in (
        OrganisationRegistered,
        RoleDefined,
        CodeOfConductPublished,
        VolunteerDataErased,
        VCPAppointed,
        VCPKeySet,
        VCPDismissed,
    )
}
