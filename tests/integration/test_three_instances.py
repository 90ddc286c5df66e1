"""Three instances of every service at once, as Kubernetes runs them (deploy/kubernetes/: at
least two of each, up to the partitions): each event is handled once and each sweep done once.

The instances of one service share a consumer group (their partitions split between them), the
outbox relay's lease and the sweeps' leases, and record each consumed event in their inbox. So
volunteers who apply, are interviewed and hand in their VOG through different intake
instances, and are read from different policy instances, are admitted once each; notify mails
each of them, and their coordinator, once per mail; and policy's VOG-renewal sweep, run by
three instances every half second, announces each renewal once.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections import Counter
from datetime import timedelta

import httpx

from cli.services import SERVICE_NAMES
from shared.domain.calendar import today
from shared.events.admission import VOGExpiring, VolunteerAdmitted
from tests.support.admission import Organisation
from tests.support.kafka import read_topic
from tests.support.mail import mails_to
from tests.support.platform import Platform, RunningService, eventually, wait_until_ready

INSTANCES = 3
# policy's sweeps every half second, so that three instances compete for them many times.
FAST_JOBS = {"SAFEHANDS_SCHEDULER_INTERVAL_SECONDS": "0.5"}
ROLE = {
    "title": "Jeugdleider",
    "works_with_minors": True,
    "works_with_vulnerable": False,
    "vog_max_age_days": 3650,
    "vog_renewal_years": 3,
}


def address(who: str) -> str:
    return f"{who}-{uuid.uuid4().hex[:8]}@example.org"


def apply(intake: httpx.Client, org: str, email: str) -> str:
    body = {"role_id": "leader", "name": "Sam de Boer", "email": email}

    def accepted() -> httpx.Response | None:
        # intake learns of the role from policy's event: eventually, not at once.
        answer = intake.post(f"/v1/orgs/{org}/applications", json=body)
        return answer if answer.status_code == 202 else None

    return str(eventually(accepted, timeout=60).json()["volunteer_id"])


async def test_three_instances_of_each_service_handle_each_event_and_sweep_once(
    platform: Platform,
) -> None:
    instances: dict[str, list[RunningService]] = {
        name: [
            platform.start(name, env=FAST_JOBS if name == "policy" else None, wait=False)
            for _ in range(INSTANCES)
        ]
        for name in SERVICE_NAMES
    }
    for running in instances.values():
        for service in running:
            wait_until_ready(service, timeout=120)
    intakes, policies = instances["intake"], instances["policy"]

    org = Organisation(platform.infra, intakes[0], policies[0])
    assert org.register().status_code == 201
    assert org.define_role("leader", ROLE).status_code in (200, 201)
    coordinator = address("coordinator")
    with instances["notify"][1].client() as notify:
        contacts = notify.put(
            f"/v1/orgs/{org.id}/contacts",
            json={"coordinators": [coordinator], "admins": [address("admin")]},
            headers=org.admin,
        )
    assert contacts.status_code == 200, contacts.text

    # Six volunteers, each step through another instance; three VOGs are due for renewal
    # within the 30-day notice window (20 days), three are not (60 days).
    volunteers: dict[str, str] = {}
    due: list[str] = []
    for i in range(6):
        email = address(f"volunteer{i}")
        volunteer = apply(intakes[i % INSTANCES].client(), org.id, email)
        volunteers[volunteer] = email
        org.intake = intakes[(i + 1) % INSTANCES].client()
        assert org.interview(volunteer, "proceed").status_code == 201
        renewal_in = 20 if i % 2 == 0 else 60
        org.intake = intakes[(i + 2) % INSTANCES].client()
        issued_on = today() - timedelta(days=3 * 365 - renewal_in)
        assert org.hand_in_vog(volunteer, issued_on, [84]).status_code == 201
        if renewal_in == 20:
            due.append(volunteer)
    for i, volunteer in enumerate(volunteers):
        org.use_policy(policies[i % INSTANCES])
        # Fifteen processes on a small machine: the groups settle (three members each, every
        # join held by the broker) before the first decision, so more patience than usual.
        org.wait_for_admission(volunteer, "admitted", [], timeout=120)

    # policy's announcements, read from its topic: one admission per volunteer, one renewal
    # notice per due VOG, none for the others.
    def counted(records: list) -> Counter[tuple[str, str]]:  # type: ignore[type-arg]
        return Counter(
            (dict(r.headers)["ce_type"].decode(), json.loads(r.value)["volunteer_id"])
            for r in records
            if r.key.decode().startswith(f"{org.id}:")
        )

    expected = {(VolunteerAdmitted.type_name, v): 1 for v in volunteers} | {
        (VOGExpiring.type_name, v): 1 for v in due
    }

    def reached(records: list) -> bool:  # type: ignore[type-arg]
        counts = counted(records)
        return all(counts[key] >= n for key, n in expected.items())

    await read_topic(platform.infra.kafka_bootstrap, VOGExpiring.topic(), until=reached, timeout=60)
    # Many more sweeps by all three instances: none may announce a renewal again. Then the
    # whole topic (read until the timeout, so that a late duplicate is seen too).
    await asyncio.sleep(4)
    counts = counted(await read_topic(platform.infra.kafka_bootstrap, VOGExpiring.topic()))
    for key, n in expected.items():
        assert counts[key] == n, key
    for volunteer in volunteers:
        if volunteer not in due:
            assert counts[(VOGExpiring.type_name, volunteer)] == 0

    # notify: each volunteer's mails once each (application received, VOG needed, admitted,
    # and the renewal notice where due); the coordinator one new-application mail per
    # volunteer.
    maildir = platform.infra.maildir

    def mail_kinds(to: str) -> Counter[str]:
        return Counter(str(m["X-SafeHands-Kind"]) for m in mails_to(maildir, to))

    for volunteer, email in volunteers.items():
        wanted = {"application_received", "admitted"} | (
            {"vog_renewal_approaching"} if volunteer in due else set()
        )
        eventually(lambda email=email, wanted=wanted: wanted <= set(mail_kinds(email)), timeout=60)
    eventually(lambda: mail_kinds(coordinator)["new_application"] >= len(volunteers), timeout=60)
    await asyncio.sleep(2)  # a duplicate would come within the relay's and sender's next rounds
    for volunteer, email in volunteers.items():
        kinds = mail_kinds(email)
        assert all(n == 1 for n in kinds.values()), (email, kinds)
        assert ("vog_renewal_approaching" in kinds) == (volunteer in due)
    assert mail_kinds(coordinator)["new_application"] == len(volunteers)
