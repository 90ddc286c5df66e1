"""policy's time-driven work: VOG renewals, volunteer data retention, and completing the
coordinator's list entries written before they carried the file's fields.

The scheduler runs each job on one instance at a time (a lease in MongoDB). A lease can still
change hands mid-run — a paused holder whose lease expired — so every step is also safe on
its own: each file is handled in its own transaction whose write is conditional on the state
the sweep selected. A second run, or a second instance, finds nothing left to announce.
"""

from __future__ import annotations

from datetime import date, timedelta

from services.policy.domain.admission import AdmissionStatus
from services.policy.domain.admission_file import take_vog_notice
from services.policy.domain.retention import volunteer_data_expired
from services.policy.organisation_settings import settings_of
from services.policy.storage import ADMISSIONS, ORGANISATIONS, VOLUNTEER_NAMES
from services.policy.use_cases.admission import PolicyFacts, decide_and_store, file_from
from services.policy.volunteer_list import entry_fields, name_fields
from shared.domain.calendar import today
from shared.events.admission import VOGExpiring, VolunteerDataErased
from shared.logs import get_logger
from shared.runtime.definition import PeriodicJob
from shared.runtime.runtime import Runtime

log = get_logger(__name__)


async def organisation_ids(runtime: Runtime) -> list[str]:
    ids = await runtime.db.platform_collection(ORGANISATIONS).distinct("org_id")
    return sorted(str(org) for org in ids)


async def sweep_vog_renewals(runtime: Runtime, day: date) -> int:
    """Announce VOGExpiring whose window opened and re-evaluate files whose VOG lapsed.

    Returns the number of files changed, for logs and tests.
    """
    changed = 0
    for org in await organisation_ids(runtime):
        admissions = runtime.db.tenant_collection(org, ADMISSIONS)
        for doc in await admissions.find({"vog_notice_on": {"$lte": day.isoformat()}}):
            changed += await _announce_vog_expiring(runtime, org, doc["volunteer_id"], day)
        for doc in await admissions.find({"vog_lapses_on": {"$lte": day.isoformat()}}):
            changed += await _reevaluate_lapsed(runtime, org, doc["volunteer_id"], day)
    return changed


async def _announce_vog_expiring(runtime: Runtime, org: str, volunteer_id: str, day: date) -> int:
    async with runtime.unit_of_work(org) as uow:
        doc = await uow.collection(ADMISSIONS).find_one({"volunteer_id": volunteer_id})
        if doc is None:
            return 0
        file = file_from(doc)
        taken, renewal_due = take_vog_notice(file, day)
        if taken == file:
            return 0
        written = await uow.collection(ADMISSIONS).update_one(
            {"volunteer_id": volunteer_id, "vog_notice_on": doc["vog_notice_on"]},
            {"$set": {"vog_notice_on": None}},
        )
        if written.modified_count != 1:
            return 0
        if renewal_due is not None:
            uow.publish(VOGExpiring(org_id=org, volunteer_id=volunteer_id, renewal_due=renewal_due))
        return 1


async def _reevaluate_lapsed(runtime: Runtime, org: str, volunteer_id: str, day: date) -> int:
    async with runtime.unit_of_work(org) as uow:
        doc = await uow.collection(ADMISSIONS).find_one({"volunteer_id": volunteer_id})
        if doc is None or doc.get("vog_lapses_on") is None:
            return 0
        file = file_from(doc)
        result = await decide_and_store(
            uow,
            PolicyFacts(uow),
            file,
            day,
            stored=file,
            expected={"vog_lapses_on": doc["vog_lapses_on"]},
        )
        return 0 if result is None else 1


async def sweep_retention(runtime: Runtime, day: date) -> int:
    """Erase files of volunteers who are not admitted and were inactive for the organisation's
    retention period, announcing VolunteerDataErased so that intake erases its part."""
    erased = 0
    for org in await organisation_ids(runtime):
        organisation = await runtime.db.tenant_collection(org, ORGANISATIONS).find_one()
        if organisation is None:
            continue
        retention_days = settings_of(organisation).volunteer_retention_days
        cutoff = day - timedelta(days=retention_days)
        candidates = await runtime.db.tenant_collection(org, ADMISSIONS).find(
            {
                "decision.status": {"$ne": AdmissionStatus.ADMITTED.value},
                "last_activity": {"$lte": cutoff.isoformat()},
            },
            projection={"volunteer_id": 1},
        )
        for doc in candidates:
            erased += await _erase(runtime, org, doc["volunteer_id"], retention_days, day)
    return erased


async def _erase(
    runtime: Runtime, org: str, volunteer_id: str, retention_days: int, day: date
) -> int:
    async with runtime.unit_of_work(org) as uow:
        doc = await uow.collection(ADMISSIONS).find_one({"volunteer_id": volunteer_id})
        if doc is None:
            return 0
        file = file_from(doc)
        if not volunteer_data_expired(file.status, file.last_activity, retention_days, day):
            return 0
        deleted = await uow.collection(ADMISSIONS).delete_one(
            {"volunteer_id": volunteer_id, "last_activity": doc["last_activity"]}
        )
        if deleted.deleted_count != 1:
            return 0
        await uow.collection(VOLUNTEER_NAMES).delete_one({"volunteer_id": volunteer_id})
        uow.publish(VolunteerDataErased(org_id=org, volunteer_id=volunteer_id))
        return 1


async def run_vog_renewals(runtime: Runtime) -> None:
    changed = await sweep_vog_renewals(runtime, today())
    if changed:
        log.info("VOG renewals swept", files=changed)


async def run_retention(runtime: Runtime) -> None:
    erased = await sweep_retention(runtime, today())
    if erased:
        log.info("volunteer data erased after the retention period", volunteers=erased)


async def complete_list_entries(runtime: Runtime) -> int:
    """Give list entries stored before the list was filtered by the database (name and
    application date only) the fields it filters and sorts on, from the admission file.
    Returns how many were completed; once none are left, each run only asks."""
    completed = 0
    for org in await organisation_ids(runtime):
        entries = runtime.db.tenant_collection(org, VOLUNTEER_NAMES)
        for entry in await entries.find(
            {"stage": {"$exists": False}}, projection={"volunteer_id": 1, "name": 1}
        ):
            async with runtime.unit_of_work(org) as uow:
                doc = await uow.collection(ADMISSIONS).find_one(
                    {"volunteer_id": entry["volunteer_id"]}
                )
                if doc is None:
                    continue
                name = entry.get("name")
                await uow.collection(VOLUNTEER_NAMES).update_one(
                    {"volunteer_id": entry["volunteer_id"], "stage": {"$exists": False}},
                    {
                        "$set": {
                            **entry_fields(file_from(doc)),
                            **(name_fields(name) if name else {}),
                        }
                    },
                )
                completed += 1
    return completed


async def run_list_completion(runtime: Runtime) -> None:
    completed = await complete_list_entries(runtime)
    if completed:
        log.info("volunteer list entries completed", entries=completed)


JOBS = (
    PeriodicJob("policy-vog-renewals", run_vog_renewals),
    PeriodicJob("policy-volunteer-retention", run_retention),
    PeriodicJob("policy-volunteer-list-entries", run_list_completion),
)
