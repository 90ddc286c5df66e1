"""policy's time-driven work: VOG renewals, the grace periods of new code versions,
volunteer data retention, and completing the coordinator's list entries written before they
carried the file's fields.

Each is a sweep (shared/runtime/sweeps.py): one query finds what is due across
organisations, and each file is handled in its own transaction whose write is conditional
on the state the sweep selected, so a second run or a second instance finds nothing left.
"""

from __future__ import annotations

import functools
from datetime import UTC, date, datetime, timedelta

from services.policy.domain.admission import AdmissionStatus
from services.policy.domain.admission_file import take_resign_reminder, take_vog_notice
from services.policy.domain.retention import volunteer_data_expired
from services.policy.domain.trainings import CONFIRMED, REMINDERS
from services.policy.organisation_settings import settings_of
from services.policy.storage import (
    ADMISSIONS,
    CONSULTATIONS,
    ORGANISATIONS,
    POLICY_USAGE,
    TRAINING_REGISTRATIONS,
    VOLUNTEER_NAMES,
    file_from,
)
from services.policy.use_cases import consultations
from services.policy.use_cases.admission import PolicyFacts, decide_and_store
from services.policy.use_cases.news import send_news_digests
from services.policy.use_cases.trainings import send_reminder
from services.policy.volunteer_list import entry_fields, name_fields
from shared.domain.calendar import today
from shared.events.admission import ResignRequired, VOGExpiring, VolunteerDataErased
from shared.runtime.sweeps import sweep, sweep_job
from shared.storage.database import Database
from shared.storage.tenancy import Document
from shared.storage.unit_of_work import UnitOfWork


async def sweep_vog_renewals(db: Database, day: date) -> int:
    """Announce VOGExpiring whose window opened and re-evaluate files whose VOG lapsed.

    Returns the number of files changed, for logs and tests.
    """
    announced = await sweep(
        db,
        ADMISSIONS,
        {"vog_notice_on": {"$lte": day.isoformat()}},
        lambda uow, candidate: _announce_vog_expiring(uow, candidate, day),
        fields=["volunteer_id", "vog_notice_on"],
    )
    reevaluated = await sweep(
        db,
        ADMISSIONS,
        {"vog_lapses_on": {"$lte": day.isoformat()}},
        lambda uow, candidate: _reevaluate_when_due(uow, candidate, day, "vog_lapses_on"),
        fields=["volunteer_id", "vog_lapses_on"],
    )
    return announced + reevaluated


async def _announce_vog_expiring(uow: UnitOfWork, candidate: Document, day: date) -> int:
    doc = await uow.collection(ADMISSIONS).find_one({"volunteer_id": candidate["volunteer_id"]})
    if doc is None:
        return 0
    file = file_from(doc)
    taken, renewal_due = take_vog_notice(file, day)
    if taken == file:
        return 0
    written = await uow.collection(ADMISSIONS).update_one(
        {"volunteer_id": file.volunteer_id, "vog_notice_on": candidate["vog_notice_on"]},
        {"$set": {"vog_notice_on": None}},
    )
    if written.modified_count != 1:
        return 0
    if renewal_due is not None:
        uow.publish(
            VOGExpiring(org_id=uow.org_id, volunteer_id=file.volunteer_id, renewal_due=renewal_due)
        )
    return 1


async def _reevaluate_when_due(
    uow: UnitOfWork, candidate: Document, day: date, due_field: str
) -> int:
    """Decide a file again because its `due_field` day (a VOG lapsing, a grace period ending)
    came; stored only if that day is still what the sweep found."""
    doc = await uow.collection(ADMISSIONS).find_one({"volunteer_id": candidate["volunteer_id"]})
    if doc is None or doc.get(due_field) is None:
        return 0
    file = file_from(doc)
    result = await decide_and_store(
        uow, PolicyFacts(uow), file, day, stored=file, expected={due_field: doc[due_field]}
    )
    return 0 if result is None else 1


async def sweep_code_grace_periods(db: Database, day: date) -> int:
    """Remind volunteers whose grace period to sign a new code version nears its end, and
    re-evaluate those whose grace period ended: their old signature no longer counts.

    Returns the number of files changed, for logs and tests.
    """
    reminded = await sweep(
        db,
        ADMISSIONS,
        {"resign_reminder_on": {"$lte": day.isoformat()}},
        lambda uow, candidate: _remind_to_resign(uow, candidate, day),
        fields=["volunteer_id", "resign_reminder_on"],
    )
    reevaluated = await sweep(
        db,
        ADMISSIONS,
        {"signature_lapses_on": {"$lte": day.isoformat()}},
        lambda uow, candidate: _reevaluate_when_due(uow, candidate, day, "signature_lapses_on"),
        fields=["volunteer_id", "signature_lapses_on"],
    )
    return reminded + reevaluated


async def _remind_to_resign(uow: UnitOfWork, candidate: Document, day: date) -> int:
    doc = await uow.collection(ADMISSIONS).find_one({"volunteer_id": candidate["volunteer_id"]})
    if doc is None:
        return 0
    file = file_from(doc)
    taken, resign_before = take_resign_reminder(file, day)
    if taken == file:
        return 0
    written = await uow.collection(ADMISSIONS).update_one(
        {"volunteer_id": file.volunteer_id, "resign_reminder_on": candidate["resign_reminder_on"]},
        {"$set": {"resign_reminder_on": None}},
    )
    if written.modified_count != 1:
        return 0
    version = await PolicyFacts(uow).current_code_version()
    if resign_before is not None and version is not None:
        # notify mails the same request to sign as when the version was published.
        uow.publish(
            ResignRequired(
                org_id=uow.org_id,
                volunteer_id=file.volunteer_id,
                version=version,
                resign_before=resign_before,
            )
        )
    return 1


async def sweep_retention(db: Database, day: date) -> int:
    """Erase files of volunteers who are not admitted and were inactive for the organisation's
    retention period, announcing VolunteerDataErased so that intake erases its part.

    The period is each organisation's own, so this sweep asks one organisation at a time."""
    erased = 0
    organisations = db.platform_collection(ORGANISATIONS)
    for organisation in await organisations.find(
        {}, projection={"org_id": 1, "settings": 1}
    ).to_list():
        retention_days = settings_of(organisation).volunteer_retention_days
        cutoff = day - timedelta(days=retention_days)
        erased += await sweep(
            db,
            ADMISSIONS,
            {
                "org_id": organisation["org_id"],
                "decision.status": {"$ne": AdmissionStatus.ADMITTED.value},
                "last_activity": {"$lte": cutoff.isoformat()},
            },
            functools.partial(_erase, retention_days=retention_days, day=day),
            fields=["volunteer_id"],
        )
    return erased


async def _erase(uow: UnitOfWork, candidate: Document, *, retention_days: int, day: date) -> int:
    doc = await uow.collection(ADMISSIONS).find_one({"volunteer_id": candidate["volunteer_id"]})
    if doc is None:
        return 0
    file = file_from(doc)
    if not volunteer_data_expired(file.status, file.last_activity, retention_days, day):
        return 0
    deleted = await uow.collection(ADMISSIONS).delete_one(
        {"volunteer_id": file.volunteer_id, "last_activity": doc["last_activity"]}
    )
    if deleted.deleted_count != 1:
        return 0
    await uow.collection(VOLUNTEER_NAMES).delete_one({"volunteer_id": file.volunteer_id})
    if file.interview is not None:
        # The checklist counts interviews ever recorded: what the erased file no longer
        # shows is kept as a number (pillar_facts.py).
        await uow.collection(POLICY_USAGE).update_one(
            {}, {"$inc": {"interviews_erased": 1}}, upsert=True
        )
    await consultations.erase_author(uow, file.volunteer_id)
    uow.publish(VolunteerDataErased(org_id=uow.org_id, volunteer_id=file.volunteer_id))
    return 1


async def complete_list_entries(db: Database, _day: date) -> int:
    """Give list entries stored before the list was filtered by the database (name and
    application date only) the fields it filters and sorts on, from the admission file.
    Returns how many were completed; once none are left, each run only asks."""

    async def complete(uow: UnitOfWork, entry: Document) -> int:
        doc = await uow.collection(ADMISSIONS).find_one({"volunteer_id": entry["volunteer_id"]})
        if doc is None:
            return 0
        name = entry.get("name")
        written = await uow.collection(VOLUNTEER_NAMES).update_one(
            {"volunteer_id": entry["volunteer_id"], "stage": {"$exists": False}},
            {"$set": {**entry_fields(file_from(doc)), **(name_fields(name) if name else {})}},
        )
        return written.modified_count

    return await sweep(
        db,
        VOLUNTEER_NAMES,
        {"stage": {"$exists": False}},
        complete,
        fields=["volunteer_id", "name"],
    )


async def sweep_training_reminders(db: Database, now: datetime) -> int:
    """Announce the reminders due a week and a day before a training, to each registration
    with a seat (use_cases/trainings.send_reminder writes conditionally, so a second run or
    instance announces none again; the job itself runs under a lease, on one instance)."""
    return await sweep(
        db,
        TRAINING_REGISTRATIONS,
        {
            "status": CONFIRMED,
            "starts_at": {"$gt": now, "$lte": now + REMINDERS[0][1]},
            "reminders_sent": {"$ne": REMINDERS[-1][0]},
        },
        lambda uow, candidate: send_reminder(uow, candidate, now),
        fields=["registration_id"],
    )


def _now() -> datetime:
    return datetime.now(UTC)


async def sweep_consultations(db: Database, day: date) -> int:
    """Announce the reminder of rounds closing in a few days, and close rounds whose closing
    day has passed, announcing the result. Each once: the write is conditional on what the
    query found (services/policy/use_cases/consultations.py)."""
    reminded = await sweep(
        db,
        CONSULTATIONS,
        {"reminder_on": {"$lte": day.isoformat()}},
        lambda uow, candidate: consultations.remind(uow, candidate, day),
        fields=["consultation_id", "reminder_on"],
    )
    closed = await sweep(
        db,
        CONSULTATIONS,
        {"status": "open", "closes_on": {"$lt": day.isoformat()}},
        lambda uow, candidate: consultations.close_when_due(uow, candidate, day),
        fields=["consultation_id"],
    )
    return reminded + closed


JOBS = (
    sweep_job("policy-vog-renewals", sweep_vog_renewals, today, "VOG renewals swept"),
    sweep_job(
        "policy-code-grace-periods",
        sweep_code_grace_periods,
        today,
        "code grace periods swept",
    ),
    sweep_job(
        "policy-volunteer-retention",
        sweep_retention,
        today,
        "volunteer data erased after the retention period",
    ),
    sweep_job(
        "policy-volunteer-list-entries",
        complete_list_entries,
        today,
        "volunteer list entries completed",
    ),
    sweep_job(
        "policy-training-reminders",
        sweep_training_reminders,
        _now,
        "training reminders announced",
    ),
    sweep_job(
        "policy-consultations",
        sweep_consultations,
        today,
        "consultation reminders and closings",
    ),
    # Weekly in effect: each organisation's digest is marked with its ISO week.
    sweep_job("policy-news-digests", send_news_digests, today, "news digests announced"),
)
