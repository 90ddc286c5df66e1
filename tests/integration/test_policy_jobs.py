"""policy's time-driven jobs with TWO policy processes: each VOG expiry, lapse and erasure is
handled exactly once, also when the instance running the jobs goes away.

Time is not faked: VOGs carry realistic past issue dates, and files that would have been
written long ago (a VOG that lapsed last week, a rejection two years back) are seeded in
policy's database as policy stores them.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import timedelta

from pymongo import MongoClient

from services.policy.storage import ADMISSIONS
from shared.domain.calendar import today
from shared.domain.vog import RoleRequirements, VOGFacts, vog_renewal_due
from shared.events.admission import (
    AdmissionBlocked,
    VOGExpiring,
    VOGRequested,
    VolunteerDataErased,
)
from tests.support.admission import Organisation
from tests.support.kafka import read_topic
from tests.support.platform import Platform, eventually

FAST_JOBS = {"SAFEHANDS_SCHEDULER_INTERVAL_SECONDS": "0.5"}
ROLE = {
    "title": "Jeugdleider",
    "works_with_minors": True,
    "works_with_vulnerable": False,
    "vog_max_age_days": 3650,  # a VOG of almost three years may still be handed in
    "vog_renewal_years": 3,
}


def admitted_with_renewal_in(org: Organisation, days: int) -> str:
    """A volunteer admitted with a VOG whose three-year renewal falls in `days` days."""
    volunteer = org.apply("leader")
    assert org.interview(volunteer, "proceed").status_code == 201
    issued_on = today() - timedelta(days=3 * 365 - days)
    assert org.hand_in_vog(volunteer, issued_on, [84]).status_code == 201
    org.wait_for_admission(volunteer, "admitted", [])
    return volunteer


def seed(platform: Platform, org: Organisation, volunteer: str, changes: dict[str, object]) -> None:
    """Make a stored file look as it would after living `changes` in the past."""
    with MongoClient(platform.infra.mongo_uri) as client:
        admissions = client[f"{platform.database}_policy"][ADMISSIONS]
        written = admissions.update_one(
            {"org_id": org.id, "volunteer_id": volunteer}, {"$set": changes}
        )
        assert written.matched_count == 1


async def announced(platform: Platform, org: str, until_count: Counter[tuple[str, str]]):  # type: ignore[no-untyped-def]
    """(event type, volunteer) → how often policy announced it, read from the topic."""

    def count(records: list) -> Counter[tuple[str, str]]:  # type: ignore[type-arg]
        return Counter(
            (dict(r.headers)["ce_type"].decode(), json.loads(r.value)["volunteer_id"])
            for r in records
            if r.key.decode().startswith(f"{org}:")
        )

    def reached(records: list) -> bool:  # type: ignore[type-arg]
        counts = count(records)
        return all(counts[key] >= n for key, n in until_count.items())

    records = await read_topic(
        platform.infra.kafka_bootstrap, VOGExpiring.topic(), until=reached, timeout=30
    )
    return count(records)


async def test_two_policy_instances_handle_each_expiry_lapse_and_erasure_once(
    platform: Platform,
) -> None:
    intake = platform.start("intake")
    first = platform.start("policy", env=FAST_JOBS)
    second = platform.start("policy", env=FAST_JOBS)
    org = Organisation(platform.infra, intake, first)
    org.register()
    org.define_role("leader", ROLE)

    # Renewal due in 20 days: inside the 30-day notice window from the moment of admission.
    expiring = [admitted_with_renewal_in(org, 20) for _ in range(3)]
    # Not yet in the window: no notice.
    later = admitted_with_renewal_in(org, 60)

    # Admitted three years ago; its VOG's renewal date passed last week.
    lapsed = admitted_with_renewal_in(org, 60)
    issued = today() - timedelta(days=3 * 365 + 5)
    renewal_due = vog_renewal_due(
        VOGFacts(issued_on=issued, screening_aspects=(84,), checked_by="J", recorded_on=issued),
        RoleRequirements(works_with_minors=True),
    )
    seed(
        platform,
        org,
        lapsed,
        {
            "vog.issued_on": issued.isoformat(),
            "vog.recorded_on": (issued + timedelta(days=10)).isoformat(),
            "vog_renewal_due": renewal_due.isoformat(),
            "vog_notice_on": None,
            "vog_lapses_on": (renewal_due + timedelta(days=1)).isoformat(),
        },
    )
    # Rejected more than the two-year retention period ago.
    rejected = org.apply("leader")
    org.interview(rejected, "reject")
    org.wait_for_admission(rejected, "rejected", [])
    seed(platform, org, rejected, {"last_activity": (today() - timedelta(days=800)).isoformat()})

    org.wait_for_admission(lapsed, "pending", ["vog"])
    eventually(lambda: org.admission(rejected) is None)

    # The instance that started first (and so took the leases) goes away; the other one
    # takes over the jobs once the leases expire. A volunteer admitted after that is the
    # sentinel: once their notice is out, the survivor has swept many times.
    first.child.stop()
    org.use_policy(second)
    sentinel = admitted_with_renewal_in(org, 20)

    once = Counter(
        {(VOGExpiring.type_name, v): 1 for v in [*expiring, sentinel]}
        | {(VOGRequested.type_name, lapsed): 2, (VolunteerDataErased.type_name, rejected): 1}
    )
    counts = await announced(platform, org.id, once)
    for key, expected in once.items():
        assert counts[key] == expected, key
    assert counts[(VOGExpiring.type_name, later)] == 0
    assert counts[(VOGExpiring.type_name, lapsed)] == 0
    # The lapse blocked the admitted volunteer once (the first block came with the interview).
    assert counts[(AdmissionBlocked.type_name, lapsed)] == 2

    # intake heard of the erasure and forgot the volunteer's profile and interview.
    with MongoClient(platform.infra.mongo_uri) as client:
        intake_db = client[f"{platform.database}_intake"]

        def intake_still_knows() -> list[str]:
            query = {"org_id": org.id, "volunteer_id": rejected}
            names = ("applications", "interviews", "signatures", "vog_records")
            return [name for name in names if intake_db[name].count_documents(query)]

        eventually(lambda: not intake_still_knows())
        assert intake_db["applications"].count_documents({"org_id": org.id}) == 6
        # The erased file's interview still counts on the checklist: erased once, by one
        # instance, so counted once.
        usage = client[f"{platform.database}_policy"]["policy_usage"].find_one({"org_id": org.id})
        assert usage is not None and usage["interviews_erased"] == 1
