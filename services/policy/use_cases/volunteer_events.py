"""A fetched batch of volunteer events, decided at once: each file read once, every event
applied to it in order in memory, decided by `decide` exactly as a route or a sweep decides
one file (use_cases/admission.py), each changed file written once.

The per-event path (`decide_and_store`) and this one share the decision and what it
announces; they differ only in how they read and write: this one with one query per
collection for the whole batch and one bulk write each (shared/messaging/batches.py).
"""

from __future__ import annotations

from typing import Any

from services.policy.domain.admission import InterviewOutcome
from services.policy.domain.admission_file import AdmissionFile
from services.policy.storage import (
    ADMISSIONS,
    CODES,
    ROLES,
    VOLUNTEER_NAMES,
    file_document,
    file_from,
)
from services.policy.use_cases.admission import announcements, code_versions_in, decide
from services.policy.volunteer_list import entry_fields, name_fields
from shared.domain.calendar import today
from shared.domain.vog import RoleRequirements, VOGFacts
from shared.events.admission import CodeSigned, InterviewRecorded, VOGReceived, VolunteerApplied
from shared.events.base import Event
from shared.messaging.batches import BatchOutcome, BatchState, EventBatch, StateKey


async def decide_volunteer_events(batch: EventBatch, state: BatchState) -> BatchOutcome:
    """A batch's volunteer events: each file read once, every event applied to it in order
    in memory with the same rules as the per-event path, each changed file written once.

    One query each for the files, the roles they need and (per organisation) the current
    code; one bulk write each for files, list entries and the interview tally.
    """
    events = [item.event for item in batch.received]
    keys = {(event.org_id, _volunteer_of(event)) for event in events}
    loaded = await state.load(ADMISSIONS, "volunteer_id", keys)
    files: dict[StateKey, AdmissionFile | None] = {
        key: file_from(loaded[key]) if key in loaded else None for key in keys
    }
    role_keys = {(org, file.role_id) for (org, _), file in files.items() if file is not None}
    role_keys |= {(e.org_id, e.role_id) for e in events if isinstance(e, VolunteerApplied)}
    roles = {
        key: RoleRequirements.from_document(doc)
        for key, doc in (await state.load(ROLES, "role_id", role_keys)).items()
    }
    code_versions = {
        org: await code_versions_in(state.collection(org, CODES))
        for org in {org for org, _ in keys}
    }
    outcome = BatchOutcome()
    day = today()
    # The files this batch changed, in their final state: each is written once.
    decided: dict[StateKey, AdmissionFile] = {}
    # The names of the volunteers who applied in this batch, written with their list entry:
    # one upsert per volunteer, not two. The list's entry carries six indexes, and on the
    # embedded database each write of it costs about a millisecond per index touched, so
    # the second write was a third of a batch's time (bench/admission.py, issue 27).
    names: dict[StateKey, dict[str, Any]] = {}
    for received in batch.received:
        event = received.event
        key = (event.org_id, _volunteer_of(event))
        stored = files[key]
        if isinstance(event, VolunteerApplied):
            if stored is not None:
                continue
            names[key] = {**name_fields(event.name), "applied_at": event.applied_at.isoformat()}
            file = AdmissionFile(
                volunteer_id=event.volunteer_id, role_id=event.role_id, last_activity=day
            )
        else:
            if stored is None:
                # A volunteer's events share a partition, so their application comes first:
                # a fact about a file policy never had (or erased at the retention sweep
                # while intake still accepted it) is dead-lettered with this reason, where
                # an operator sees it, rather than dropped with a log line.
                raise LookupError(
                    f"volunteer {key[1]!r} has no admission file: never applied, or erased"
                )
            file = stored.model_copy(update={**_fact(event), "last_activity": day})
        role = roles.get((event.org_id, file.role_id))
        if role is None:
            # As in PolicyFacts.role: a missing role is a broken invariant, not a decision.
            raise LookupError(f"role {file.role_id!r} is not defined")
        codes = code_versions[event.org_id]
        result = decide(file, role, codes, day)
        if result.file == stored:
            continue
        files[key] = decided[key] = result.file
        for announced in announcements(event.org_id, result, role, codes.current):
            outcome.publish(announced)
    for (org, volunteer), file in decided.items():
        outcome.replace(
            ADMISSIONS, org, {"volunteer_id": volunteer}, file_document(file), upsert=True
        )
        # The coordinator's list filters on the file's stage, status and dates: its entry
        # is written with the file (and, for a new volunteer, with their name). A new file
        # is always among the decided ones: it differs from the None it replaces.
        outcome.update(
            VOLUNTEER_NAMES,
            org,
            {"volunteer_id": volunteer},
            {"$set": {**names.get((org, volunteer), {}), **entry_fields(file)}},
            upsert=True,
        )
    return outcome


def _volunteer_of(event: Event) -> str:
    # A volunteer event's aggregate is the volunteer (its Kafka key).
    return event.aggregate_id()


def _fact(event: Event) -> dict[str, Any]:
    """What a volunteer event adds to the file."""
    if isinstance(event, InterviewRecorded):
        return {"interview": InterviewOutcome(event.outcome)}
    if isinstance(event, CodeSigned):
        return {"signed_code_version": event.version}
    if isinstance(event, VOGReceived):
        return {
            "vog": VOGFacts(
                issued_on=event.issued_on,
                screening_aspects=tuple(event.screening_aspects),
                checked_by=event.checked_by,
                recorded_on=event.recorded_on,
            )
        }
    raise TypeError(f"{type(event).__name__} is not a fact about a volunteer")
