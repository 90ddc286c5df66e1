"""A new version of the code of conduct over HTTP on the real broker and database, with
policy's jobs running: the current text is not published again; volunteers who signed the
previous version stay admitted during the organisation's grace period, are reminded, and are
pending with `code_signature` missing once it ends; with a grace period of 0 days at once.

Time is not faked: a grace period that ended is seeded in policy's database as policy would
have stored it, had the version been published 31 days ago.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import timedelta

from pymongo import MongoClient

from services.policy.storage import ADMISSIONS, CODES
from shared.domain.calendar import today
from shared.events.admission import AdmissionBlocked, ResignRequired
from tests.support.admission import Organisation
from tests.support.kafka import read_topic
from tests.support.platform import Platform, eventually

FAST_JOBS = {"SAFEHANDS_SCHEDULER_INTERVAL_SECONDS": "0.5"}
ROLE = {"title": "Chauffeur", "works_with_minors": False, "works_with_vulnerable": False}
V1 = "# Gedragscode\n\n## 1. Respect\n\nWij behandelen iedereen met respect.\n"
V2 = V1 + "\n## 2. Deuren\n\nNooit alleen met een kind achter een gesloten deur.\n"
V3 = V2 + "\n## 3. Melden\n\nZorgen meld je bij de vertrouwenscontactpersoon.\n"


def admitted_on_v1(org: Organisation) -> str:
    volunteer = org.apply("driver")
    assert org.interview(volunteer, "proceed").status_code == 201
    eventually(lambda: org.sign(volunteer, 1, V1).status_code == 201)
    org.wait_for_admission(volunteer, "admitted", [])
    return volunteer


def announced(records: list, org: str) -> Counter[tuple[str, str, str | None]]:  # type: ignore[type-arg]
    """(event type, volunteer, resign_before) → how often policy announced it."""
    counts: Counter[tuple[str, str, str | None]] = Counter()
    for r in records:
        if r.key.decode().startswith(f"{org}:"):
            data = json.loads(r.value)
            counts[
                (
                    dict(r.headers)["ce_type"].decode(),
                    data["volunteer_id"],
                    data.get("resign_before"),
                )
            ] += 1
    return counts


async def test_a_new_version_keeps_volunteers_admitted_until_its_grace_period_ends(
    platform: Platform,
) -> None:
    intake = platform.start("intake")
    policy = platform.start("policy", env=FAST_JOBS)
    org = Organisation(platform.infra, intake, policy)
    org.register()
    org.define_role("driver", ROLE)
    assert org.publish_code(V1).status_code == 201
    anna, ben, cees = (admitted_on_v1(org) for _ in range(3))

    same = org.publish_code(V1)
    assert same.status_code == 409
    assert "same as version 1" in same.json()["detail"]
    assert org.policy.get(f"/v1/orgs/{org.id}/codes/current").json()["version"] == 1

    assert org.publish_code(V2).json()["version"] == 2
    deadline = (today() + timedelta(days=30)).isoformat()
    # Each is asked to sign version 2 by the deadline, and stays admitted meanwhile.
    asked = {(ResignRequired.type_name, v, deadline): 1 for v in (anna, ben, cees)}
    records = await read_topic(
        platform.infra.kafka_bootstrap,
        ResignRequired.topic(),
        until=lambda records: all(announced(records, org.id)[k] for k in asked),
        timeout=30,
    )
    assert {k: announced(records, org.id)[k] for k in asked} == asked
    for volunteer in (anna, ben, cees):
        assert org.admission(volunteer) == {"status": "admitted", "missing": []}

    # Ben signs version 2 in time.
    eventually(lambda: org.sign(ben, 2, V2).status_code == 201)

    # The grace period ended yesterday for Anna and Cees (as if version 2 came 31 days
    # ago); Cees's reminder, a week before that, is due today too.
    yesterday = (today() - timedelta(days=1)).isoformat()
    with MongoClient(platform.infra.mongo_uri) as client:
        db = client[f"{platform.database}_policy"]
        db[CODES].update_one(
            {"org_id": org.id, "version": 2}, {"$set": {"resign_before": yesterday}}
        )
        for volunteer in (anna, cees):
            written = db[ADMISSIONS].update_one(
                {"org_id": org.id, "volunteer_id": volunteer},
                {
                    "$set": {
                        "decision.resign_before": yesterday,
                        "signature_lapses_on": yesterday,
                        "resign_reminder_on": None,
                    }
                },
            )
            assert written.matched_count == 1
    org.wait_for_admission(anna, "pending", ["code_signature"])
    org.wait_for_admission(cees, "pending", ["code_signature"])
    assert org.admission(ben) == {"status": "admitted", "missing": []}

    # Version 3 under a grace period of 0 days: Ben must sign again at once.
    settings = org.policy.put(
        f"/v1/orgs/{org.id}/settings", json={"resign_grace_days": 0}, headers=org.admin
    )
    assert settings.status_code == 200 and settings.json()["resign_grace_days"] == 0
    assert org.publish_code(V3).json()["version"] == 3
    org.wait_for_admission(ben, "pending", ["code_signature"])

    # Blocked when the grace period ended (Anna, Cees) or at once (Ben), each once (the first
    # block came with the interview); asked to sign once per version, not again when the
    # period ended.
    def blocked(records: list) -> bool:  # type: ignore[type-arg]
        counts = announced(records, org.id)
        return all(counts[(AdmissionBlocked.type_name, v, None)] >= 2 for v in (anna, ben, cees))

    records = await read_topic(
        platform.infra.kafka_bootstrap, ResignRequired.topic(), until=blocked, timeout=30
    )
    counts = announced(records, org.id)
    for volunteer in (anna, ben, cees):
        assert counts[(AdmissionBlocked.type_name, volunteer, None)] == 2
    # Without a grace period there is no deadline: the signature is missing already.
    assert counts[(ResignRequired.type_name, ben, None)] == 1
    assert counts[(ResignRequired.type_name, anna, None)] == 0


async def test_a_reminder_goes_out_before_the_grace_period_ends(platform: Platform) -> None:
    intake = platform.start("intake")
    policy = platform.start("policy", env=FAST_JOBS)
    org = Organisation(platform.infra, intake, policy)
    org.register()
    org.define_role("driver", ROLE)
    org.publish_code(V1)
    anna = admitted_on_v1(org)
    org.publish_code(V2)
    deadline = (today() + timedelta(days=30)).isoformat()
    key = (ResignRequired.type_name, anna, deadline)
    await read_topic(
        platform.infra.kafka_bootstrap,
        ResignRequired.topic(),
        until=lambda records: announced(records, org.id)[key] == 1,
        timeout=30,
    )
    # The reminder's day (a week before the deadline) has come.
    with MongoClient(platform.infra.mongo_uri) as client:
        client[f"{platform.database}_policy"][ADMISSIONS].update_one(
            {"org_id": org.id, "volunteer_id": anna},
            {"$set": {"resign_reminder_on": today().isoformat()}},
        )
    records = await read_topic(
        platform.infra.kafka_bootstrap,
        ResignRequired.topic(),
        until=lambda records: announced(records, org.id)[key] >= 2,
        timeout=30,
    )
    assert announced(records, org.id)[key] == 2
    # Reminded, still admitted.
    assert org.admission(anna) == {"status": "admitted", "missing": []}
