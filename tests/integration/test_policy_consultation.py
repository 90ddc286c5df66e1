"""The consultation round on the draft code over HTTP on the real broker and database (intake
and policy running, policy's jobs too): opened for the volunteers and an added coordinator,
commented named and anonymously, answered, limited per person, published with its counts;
anonymous comments never show their author to the admin (nor in the audit log or its CSV
export, nor in events); another organisation reaches nothing; the daily sweep reminds once
and closes a round whose day has passed.
"""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo import MongoClient

from services.policy.domain.consultation import COMMENTS_PER_HOUR
from services.policy.storage import ADMISSIONS, CONSULTATION_COMMENTS, CONSULTATIONS
from shared.domain.calendar import today
from shared.events.consultation import (
    ConsultationClosed,
    ConsultationClosingSoon,
    ConsultationCommented,
    ConsultationOpened,
)
from tests.support.admission import Organisation
from tests.support.kafka import read_topic
from tests.support.platform import Platform, eventually

FAST_JOBS = {"SAFEHANDS_SCHEDULER_INTERVAL_SECONDS": "0.5"}
ROLE = {"title": "Trainer", "works_with_minors": False, "works_with_vulnerable": False}
DRAFT = (
    "# Gedragscode\n\nInleiding.\n\n## Respect\n\nWij zijn aardig.\n\n## Melden\n\nBij de VCP.\n"
)


def consultation_events(records: list[Any], org: str) -> list[tuple[str, dict[str, Any]]]:
    return [
        (dict(r.headers)["ce_type"].decode(), json.loads(r.value))
        for r in records
        if r.key.decode().startswith(f"{org}:")
    ]


async def test_a_round_from_opening_to_publishing(platform: Platform) -> None:
    intake = platform.start("intake")
    policy = platform.start("policy")
    org = Organisation(platform.infra, intake, policy)
    other = Organisation(platform.infra, intake, policy)
    for each in (org, other):
        assert each.register().status_code == 201
        assert each.define_role("coach", ROLE).status_code == 200
    anna, bram = org.apply("coach"), org.apply("coach")
    eventually(lambda: org.admission(anna) is not None and org.admission(bram) is not None)
    http, base = org.policy, f"/v1/orgs/{org.id}/consultation"

    # Nothing to consult without a draft; a closing day ahead; current members only.
    assert http.post(base, json={"closes_on": "2099-01-01"}, headers=org.admin).status_code == 404
    assert http.put(f"/v1/orgs/{org.id}/codes/draft", json={"text": DRAFT}, headers=org.admin)
    closes_on = (today() + timedelta(days=10)).isoformat()
    for body in (
        {"closes_on": today().isoformat()},
        {"closes_on": (today() + timedelta(days=91)).isoformat()},
        {"closes_on": closes_on, "member_ids": ["nobody"]},
    ):
        refused = http.post(base, json=body, headers=org.admin)
        assert refused.status_code == 422, refused.text
        assert refused.json()["detail"]
    assert (
        http.post(base, json={"closes_on": closes_on}, headers=org.coordinator).status_code == 403
    )

    opened = http.post(
        base, json={"closes_on": closes_on, "member_ids": ["test-coordinator"]}, headers=org.admin
    )
    assert opened.status_code == 201, opened.text
    assert (opened.json()["status"], opened.json()["invited"]) == ("open", 3)
    assert http.post(base, json={"closes_on": closes_on}, headers=org.admin).status_code == 409

    # The invited read the draft with its sections, and comment.
    mine = http.get(f"{base}/mine", headers=org.volunteer(anna))
    assert mine.status_code == 200, mine.text
    assert [s["slug"] for s in mine.json()["sections"]] == ["gedragscode", "respect", "melden"]
    assert mine.json()["text"] == DRAFT and mine.json()["organisation"] == "Scouting De Bevers"
    named = http.post(
        f"{base}/comments",
        json={"section": "respect", "text": "Ook tegen ouders?", "named": True},
        headers=org.volunteer(anna),
    )
    assert named.status_code == 201, named.text
    anonymous = http.post(
        f"{base}/comments",
        json={"section": "general", "text": "Te lang.", "named": False},
        headers=org.volunteer(bram),
    )
    assert anonymous.status_code == 201, anonymous.text
    by_coordinator = http.post(
        f"{base}/comments",
        json={"section": "melden", "text": "Welke VCP?", "named": True},
        headers=org.coordinator,
    )
    assert by_coordinator.status_code == 201, by_coordinator.text
    unknown = http.post(
        f"{base}/comments",
        json={"section": "nope", "text": "x", "named": True},
        headers=org.volunteer(anna),
    )
    assert unknown.status_code == 422
    stranger = org.volunteer("no-file")
    assert http.get(f"{base}/mine", headers=stranger).status_code == 403
    refused = http.post(
        f"{base}/comments",
        json={"section": "general", "text": "x", "named": True},
        headers=stranger,
    )
    assert refused.status_code == 403

    # Another organisation reaches neither the round nor its comments.
    outsider = other.admin
    assert http.get(base, headers=outsider).status_code == 404
    assert http.get(f"{base}/mine", headers=other.volunteer(anna)).status_code == 404
    answer_path = f"{base}/comments/{named.json()['comment_id']}/answer"
    assert http.put(answer_path, json={"text": "x"}, headers=outsider).status_code == 404
    assert http.get(f"/v1/orgs/{other.id}/consultation", headers=outsider).status_code == 404
    other_answer = f"/v1/orgs/{other.id}/consultation/comments/{named.json()['comment_id']}/answer"
    assert http.put(other_answer, json={"text": "x"}, headers=outsider).status_code == 404

    # The admin sees comments per section; the anonymous one without anyone's name or id.
    seen = http.get(base, headers=org.admin)
    assert seen.status_code == 200, seen.text
    sections = {s["slug"]: s["comments"] for s in seen.json()["sections"]}
    assert list(sections) == ["general", "gedragscode", "respect", "melden"]
    assert sections["respect"][0]["author_name"] == "Anna de Vries"
    assert sections["general"][0]["author_name"] is None
    assert (seen.json()["people"], seen.json()["comments"]) == (3, 3)
    assert bram not in seen.text

    # The admin answers; the commenter reads the answer.
    answered = http.put(answer_path, json={"text": "Ja, ook tegen ouders."}, headers=org.admin)
    assert answered.status_code == 200, answered.text
    assert http.put(f"{base}/comments/unknown/answer", json={"text": "x"}, headers=org.admin)
    mine_now = http.get(f"{base}/mine", headers=org.volunteer(anna)).json()["mine"]
    assert mine_now[0]["answer"]["text"] == "Ja, ook tegen ouders."

    # One person's comments an hour are limited.
    for _ in range(COMMENTS_PER_HOUR - 1):
        more = http.post(
            f"{base}/comments",
            json={"section": "general", "text": "Nog iets.", "named": True},
            headers=org.volunteer(anna),
        )
        assert more.status_code == 201, more.text
    too_many = http.post(
        f"{base}/comments",
        json={"section": "general", "text": "Nog iets.", "named": True},
        headers=org.volunteer(anna),
    )
    assert too_many.status_code == 429 and too_many.json()["detail"]

    # The audit log (and its export) names the named commenter, never the anonymous one.
    log = http.get(f"/v1/orgs/{org.id}/audit", params={"action": "consultation"}, headers=org.admin)
    actors = {(e["action"], e["actor"]["sub"]) for e in log.json()}
    assert ("consultation.commented", anna) in actors
    assert ("consultation.commented", "anonymous") in actors
    exported = http.get(f"/v1/orgs/{org.id}/audit", params={"format": "csv"}, headers=org.admin)
    assert bram not in log.text and bram not in exported.text

    # Publishing is the admin's step; the version records who took part.
    published = org.publish_code(DRAFT + "\n## Ouders\n\nOok tegen ouders.\n")
    assert published.status_code == 201, published.text
    consulted = {"people": 3, "comments": COMMENTS_PER_HOUR + 2}
    assert published.json()["consulted"] == consulted
    current = http.get(f"/v1/orgs/{org.id}/codes/current").json()
    assert current["consulted"] == consulted
    assert http.get(base, headers=org.admin).status_code == 404
    late = http.post(
        f"{base}/comments",
        json={"section": "general", "text": "x", "named": True},
        headers=org.volunteer(bram),
    )
    assert late.status_code == 404

    # The events: opened, commented, closed; ids and counts, never an author or a text.
    def complete(records: list[Any]) -> bool:
        return ConsultationClosed.type_name in {t for t, _ in consultation_events(records, org.id)}

    records = await read_topic(
        platform.infra.kafka_bootstrap, ConsultationOpened.topic(), until=complete, timeout=30
    )
    events = consultation_events(records, org.id)
    types = [t for t, _ in events]
    assert types.count(ConsultationOpened.type_name) == 1
    assert types.count(ConsultationCommented.type_name) == COMMENTS_PER_HOUR + 2
    closed = next(data for t, data in events if t == ConsultationClosed.type_name)
    assert (closed["people"], closed["comments"]) == (3, COMMENTS_PER_HOUR + 2)
    opened_event = next(data for t, data in events if t == ConsultationOpened.type_name)
    assert sorted(opened_event["invitee_ids"]) == sorted([anna, bram, "test-coordinator"])
    commented = json.dumps([d for t, d in events if t == ConsultationCommented.type_name])
    assert anna not in commented and bram not in commented and "Te lang" not in commented


async def test_the_daily_sweep_reminds_once_and_closes_a_round_past_its_day(
    platform: Platform,
) -> None:
    """Also: a volunteer whose data is erased after the retention period takes their
    comments along."""
    intake = platform.start("intake")
    policy = platform.start("policy", env=FAST_JOBS)
    org = Organisation(platform.infra, intake, policy)
    assert org.register().status_code == 201
    assert org.define_role("coach", ROLE).status_code == 200
    gone = org.apply("coach")
    eventually(lambda: org.admission(gone) is not None)
    assert org.policy.put(f"/v1/orgs/{org.id}/codes/draft", json={"text": DRAFT}, headers=org.admin)
    closes_on = today() + timedelta(days=10)
    opened = org.policy.post(
        f"/v1/orgs/{org.id}/consultation",
        json={"closes_on": closes_on.isoformat()},
        headers=org.admin,
    )
    assert opened.status_code == 201, opened.text
    assert opened.json()["invited"] == 1
    commented = org.policy.post(
        f"/v1/orgs/{org.id}/consultation/comments",
        json={"section": "respect", "text": "Mooi.", "named": False},
        headers=org.volunteer(gone),
    )
    assert commented.status_code == 201, commented.text
    # As policy would have stored it had the round opened 12 days ago, and the volunteer been
    # inactive for longer than the retention period. The reminder's day is moved first and
    # the closing day only once the reminder is out: the sweep runs every moment here, and a
    # sweep that finds both days passed closes the round without reminding (as it should:
    # a reminder for a closed round helps nobody), so one rewrite of both would race it.
    with MongoClient(platform.infra.mongo_uri) as client:
        database = client[f"{platform.database}_policy"]
        database[ADMISSIONS].update_one(
            {"org_id": org.id, "volunteer_id": gone},
            {"$set": {"last_activity": (today() - timedelta(days=800)).isoformat()}},
        )
        database[CONSULTATIONS].update_one(
            {"org_id": org.id},
            {
                "$set": {
                    "reminder_on": (today() - timedelta(days=4)).isoformat(),
                    "opened_at": datetime.now(UTC) - timedelta(days=12),
                }
            },
        )

    def kinds_seen(records: list[Any]) -> set[str]:
        return {t for t, _ in consultation_events(records, org.id)}

    await read_topic(
        platform.infra.kafka_bootstrap,
        ConsultationOpened.topic(),
        until=lambda records: ConsultationClosingSoon.type_name in kinds_seen(records),
        timeout=30,
    )
    with MongoClient(platform.infra.mongo_uri) as client:
        client[f"{platform.database}_policy"][CONSULTATIONS].update_one(
            {"org_id": org.id},
            {"$set": {"closes_on": (today() - timedelta(days=1)).isoformat()}},
        )

    def both(records: list[Any]) -> bool:
        return {ConsultationClosingSoon.type_name, ConsultationClosed.type_name} <= kinds_seen(
            records
        )

    await read_topic(
        platform.infra.kafka_bootstrap, ConsultationOpened.topic(), until=both, timeout=30
    )
    eventually(
        lambda: (
            org.policy.get(f"/v1/orgs/{org.id}/consultation", headers=org.admin).json()["status"]
            == "closed"
        )
    )
    # Several more runs of the job change nothing: each was announced once.
    await asyncio.sleep(3)
    records = await read_topic(
        platform.infra.kafka_bootstrap, ConsultationOpened.topic(), until=both, timeout=30
    )
    types = [t for t, _ in consultation_events(records, org.id)]
    assert types.count(ConsultationClosingSoon.type_name) == 1
    assert types.count(ConsultationClosed.type_name) == 1

    def comments_of_the_erased() -> int:
        with MongoClient(platform.infra.mongo_uri) as client:
            found = client[f"{platform.database}_policy"][CONSULTATION_COMMENTS]
            return found.count_documents({"org_id": org.id, "author_id": gone})

    eventually(lambda: org.admission(gone) is None)
    assert comments_of_the_erased() == 0
