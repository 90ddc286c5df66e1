"""Two intake instances, each with its in-memory copy of roles, codes and VCP keys
(services/intake/known_facts.py), kept current by following policy's and reports' events
itself (shared/messaging/follower.py), while the consumer group applies each event once to
the database projection.

The second instance starts after the organisation, its role and its first code exist, so its
copy is loaded from the projection; a second code version is published after both run, so
each copy must follow the event itself. A copy that knows the code answers a signature
without reading the database: a signature of version 1 refused on an instance proves that
instance's copy holds version 2 (the database is read only for what the copy does not know,
and the copy knows version 1).
"""

from __future__ import annotations

import json
import re

import httpx
from pymongo import MongoClient

from shared.events.admission import CodeOfConductPublished
from shared.storage.unit_of_work import INBOX
from tests.support.admission import Organisation
from tests.support.kafka import read_topic
from tests.support.platform import Platform, RunningService, eventually

ROLE = {"title": "Jeugdleider", "works_with_minors": True, "works_with_vulnerable": False}
CODE_1 = "Wij behandelen iedereen met respect.\n"
CODE_2 = "Wij behandelen iedereen met respect, ook online.\n"
FALLBACKS = re.compile(r"^safehands_intake_known_facts_fallbacks ([0-9.e+]+)$", re.MULTILINE)


def fallbacks(service: RunningService) -> int:
    """The requests for which the instance's copy read the database, so far."""
    text = httpx.get(f"{service.url}/metrics", timeout=10).text
    match = FALLBACKS.search(text)
    assert match, "no fallback metric"
    return int(float(match[1]))


COMMANDS = re.compile(r'^safehands_db_commands_total\{command="([^"]+)"\} ([0-9.e+]+)$')


def commands(service: RunningService) -> dict[str, int]:
    """The instance's database commands so far, by name."""
    text = httpx.get(f"{service.url}/metrics", timeout=10).text
    found = (COMMANDS.match(line) for line in text.splitlines())
    return {match[1]: int(float(match[2])) for match in found if match}


def apply(intake: RunningService, org: str) -> httpx.Response:
    return httpx.post(
        f"{intake.url}/v1/orgs/{org}/applications",
        json={"role_id": "leader", "name": "Anna de Vries", "email": "anna@example.org"},
        timeout=10,
    )


async def test_each_instance_follows_the_events_and_the_projection_applies_each_once(
    platform: Platform,
) -> None:
    policy = platform.start("policy")
    first = platform.start("intake")
    org = Organisation(platform.infra, first, policy)
    assert org.register().status_code == 201
    assert org.define_role("leader", ROLE).status_code in (200, 201)
    assert org.publish_code(CODE_1).status_code == 201
    volunteer = org.apply("leader")
    eventually(lambda: org.sign(volunteer, 1, CODE_1).status_code == 201, timeout=30)

    # Started now: its copy is loaded from the projection, then follows the topics.
    second = platform.start("intake")

    # An application on either instance reads neither organisation nor role from the
    # database: its copy knows both (the second's from the projection it loaded).
    # Application and outbox row go in one command (a client-level bulkWrite), no insert.
    for intake in (first, second):
        before, sent = fallbacks(intake), commands(intake)
        answer = apply(intake, org.id)
        assert answer.status_code == 202, answer.text
        assert fallbacks(intake) == before, f"{intake.url} read the database for its role"
        after = commands(intake)
        assert after.get("bulkWrite", 0) - sent.get("bulkWrite", 0) == 1
        assert after.get("insert", 0) == sent.get("insert", 0)

    # The copies answer, not the projection: with the role gone from the projection (as
    # no event would do: roles are never deleted), both instances still take applications.
    database = MongoClient(platform.infra.mongo_uri, tz_aware=True)[f"{platform.database}_intake"]
    assert database["known_roles"].delete_many({"org_id": org.id}).deleted_count == 1
    for intake in (first, second):
        assert apply(intake, org.id).status_code == 202

    # A change after both started reaches both copies.
    assert org.publish_code(CODE_2).status_code == 201
    for intake in (first, second):
        org.intake = intake.client()
        applicant = str(apply(intake, org.id).json()["volunteer_id"])
        # Version 2 is newer than the copy may know: the database answers until it does.
        eventually(lambda a=applicant: org.sign(a, 2, CODE_2).status_code == 201, timeout=30)
        # Written at commit with the outbox row: a second signature collides there.
        again = org.sign(applicant, 2, CODE_2)
        assert again.status_code == 409
        assert again.json() == {"detail": "Version 2 is already signed."}
        late = str(apply(intake, org.id).json()["volunteer_id"])
        refused = eventually(
            lambda late=late: (answer := org.sign(late, 1, CODE_1)).status_code == 409 and answer,
            timeout=30,
        )
        assert "version 2" in refused.json()["detail"]

    # The consumer group applied each of the organisation's events to the projection once:
    # one inbox row per event on the topics, and one document per code version.
    records = await read_topic(
        platform.infra.kafka_bootstrap,
        CodeOfConductPublished.topic(),
        until=lambda found: sum(r.key.decode().startswith(f"{org.id}:") for r in found) >= 2,
    )
    ours = {
        dict(r.headers)["ce_id"].decode()
        for r in records
        if json.loads(r.value).get("org_id") == org.id
        and dict(r.headers)["ce_type"].decode() == CodeOfConductPublished.type_name
    }
    assert len(ours) == 2
    inbox = database[INBOX]
    for event_id in ours:
        assert inbox.count_documents({"consumer": "intake", "event_id": event_id}) == 1
    assert database["known_codes"].count_documents({"org_id": org.id}) == 2
