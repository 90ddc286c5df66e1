"""A crowd of applications is answered at once beyond intake's lane and its short queue
(shared/runtime/lanes.py): 503 with Retry-After, nothing written for it, its place never
lost; and a report sent in the middle of the crowd is never refused for it. Against the
real intake, database and broker, with a lane of one place (and a queue of one) so that a
handful of applications at once fill it."""

from __future__ import annotations

import asyncio

import httpx
from pymongo import MongoClient

from tests.support.admission import Organisation
from tests.support.platform import Platform, eventually
from tests.support.vcps import announce_vcp, sealed_report

CROWD = 40
LANE = {
    "SAFEHANDS_MAX_APPLICATIONS_IN_FLIGHT": "1",
    # Neither the client's limit nor the pressure limit may answer first: one client sends
    # the whole crowd.
    "SAFEHANDS_RATE_LIMIT_PER_CLIENT": "10000",
    "SAFEHANDS_PROOF_OF_WORK_ABOVE_PER_MINUTE": "10000",
}
ROLE = {"title": "Jeugdleider", "works_with_minors": True, "works_with_vulnerable": False}


async def test_a_crowd_beyond_the_lane_is_answered_at_once_and_a_report_still_goes_through(
    platform: Platform,
) -> None:
    policy = platform.start("policy")
    intake = platform.start("intake", env=LANE)
    org = Organisation(platform.infra, intake, policy)
    assert org.register().status_code == 201
    assert org.define_role("leader", ROLE).status_code in (200, 201)
    key = await announce_vcp(platform.infra.kafka_bootstrap, org.id)
    database = MongoClient(platform.infra.mongo_uri)[f"{platform.database}_intake"]
    eventually(lambda: database["known_vcp_keys"].find_one({"org_id": org.id}), timeout=30)
    # The role has reached intake: one application alone is taken.
    org.apply("leader")

    limits = httpx.Limits(max_connections=CROWD + 1)
    async with httpx.AsyncClient(base_url=intake.url, timeout=30, limits=limits) as http:

        async def application(n: int) -> httpx.Response:
            body = {"role_id": "leader", "name": f"Aanmelder {n}", "email": f"a{n}@example.org"}
            return await http.post(f"/v1/orgs/{org.id}/applications", json=body)

        async def report() -> httpx.Response:
            return await http.post(f"/v1/orgs/{org.id}/reports", json=sealed_report(org.id, key))

        half = CROWD // 2
        answers = await asyncio.gather(
            *(application(n) for n in range(half)),
            report(),
            *(application(n) for n in range(half, CROWD)),
        )
    reported = answers.pop(half)
    assert reported.status_code == 202, "a report is never refused for the crowd"

    statuses = [a.status_code for a in answers]
    shed = [a for a in answers if a.status_code == 503]
    assert set(statuses) <= {202, 503}, statuses
    assert shed, "a lane of one place, forty at once: some were answered at once"
    for answer in shed:
        assert answer.headers["Retry-After"] == "2"
        assert answer.json() == {
            "detail": "Too many people are applying at this moment; "
            "please try again in a few seconds."
        }
    # Nothing written for a refused application; each one taken is there.
    taken = {a.json()["volunteer_id"] for a in answers if a.status_code == 202}
    stored = {
        doc["volunteer_id"]
        for doc in database["applications"].find(
            {"org_id": org.id, "name": {"$regex": "^Aanmelder "}}
        )
    }
    assert stored == taken

    # Every place was given back: one application alone is taken again.
    after = httpx.post(
        f"{intake.url}/v1/orgs/{org.id}/applications",
        json={"role_id": "leader", "name": "Na de drukte", "email": "na@example.org"},
        timeout=10,
    )
    assert after.status_code == 202, after.text
