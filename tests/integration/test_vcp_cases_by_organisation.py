"""The grouped inbox of a regional centre's VCP (issue 24 item 2), over HTTP against every
service as its own process on the real broker and database: the centre VCP serves two
organisations and sees both organisations' cases, each under its own organisation, with a
token of either; a third organisation whose own VCP happens to have the same id is someone
else's (neither reaches the other's cases); an organisation that asked her but whose request
she has not accepted is not listed; and once her membership in one organisation ends in the
membership projection, that organisation drops out on the next request."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from pymongo import MongoClient

from cli import report as reporter
from shared.auth.membership import CURRENT_MEMBERS
from shared.crypto import PrivateKey, ReportBody
from tests.e2e.test_reporting_flow import Org, database
from tests.support.platform import Infrastructure, Platform, RunningService, bearer

GROUPED = "/v1/vcp/cases"


@pytest.fixture
def services(platform: Platform) -> dict[str, RunningService]:
    return platform.start_services()


@pytest.fixture
def orgs(infra: Infrastructure, services: dict[str, RunningService]) -> Iterator[list[Org]]:
    created = [Org(infra, services) for _ in range(4)]
    yield created
    for org in created:
        org.reports.close()
        org.intake.close()


def report_in(org: Org, vcp_id: str) -> str:
    with org.api() as anonymous:
        submitted = reporter.submit_report(
            anonymous,
            org.id,
            ReportBody(category="other", description=f"Melding bij {org.id}", wants_contact=False),
        )
    org.wait_for_report(vcp_id, submitted.report_id)
    return submitted.report_id


def grouped(org: Org, vcp_id: str) -> dict[str, list[str]]:
    answer = org.reports.get(GROUPED, headers=bearer(org.infra.token("vcp", org.id, vcp_id)))
    assert answer.status_code == 200, answer.text
    body: list[dict[str, Any]] = answer.json()
    return {group["org_id"]: [c["report_id"] for c in group["cases"]] for group in body}


def test_a_centre_vcp_sees_the_cases_of_the_organisations_she_serves_grouped_and_no_others(
    orgs: list[Org], services: dict[str, RunningService]
) -> None:
    first, second, third, asking = orgs
    infra = first.infra
    reports = first.reports
    centre_id = f"centre-{uuid.uuid4().hex[:6]}"
    person = {"vcp_id": centre_id, "name": "Carla van het Steunpunt", "email": "c@example.org"}
    listed = reports.post("/v1/centre-vcps", json=person, headers=bearer(infra.token("operator")))
    assert listed.status_code == 201, listed.text

    # She serves the first two: asked, accepted, a key in each.
    for org in (first, second, asking):
        added = reports.post(
            f"/v1/orgs/{org.id}/centre-vcps", json={"vcp_id": centre_id}, headers=org.admin
        )
        assert added.status_code == 201, added.text
    keys = {}
    for org in (first, second):
        as_centre = bearer(infra.token("vcp", org.id, centre_id))
        accepted = reports.post(
            f"/v1/orgs/{org.id}/vcps/{centre_id}/acceptance",
            json={"accept": True},
            headers=as_centre,
        )
        assert accepted.status_code == 200, accepted.text
        keys[org.id] = PrivateKey.generate()
        put = reports.put(
            f"/v1/orgs/{org.id}/vcps/{centre_id}/public-key",
            json={"public_key": keys[org.id].public_key.model_dump()},
            headers=as_centre,
        )
        assert put.status_code == 200, put.text
        org.wait_until_intake_knows(keys[org.id])
    # The third organisation's own VCP has the same id: another person.
    own = PrivateKey.generate()
    third.appoint(centre_id, own)
    third.wait_until_intake_knows(own)

    cases = {org.id: report_in(org, centre_id) for org in (first, second, third)}

    # With either organisation's token: both organisations, each case under its own, the
    # token's organisation first; neither the third nor the one still asking.
    for org, other in ((first, second), (second, first)):
        answer = reports.get(GROUPED, headers=bearer(infra.token("vcp", org.id, centre_id)))
        assert [g["org_id"] for g in answer.json()] == [org.id, other.id]
        assert grouped(org, centre_id) == {
            org.id: [cases[org.id]],
            other.id: [cases[other.id]],
        }
    first_groups = reports.get(GROUPED, headers=bearer(infra.token("vcp", first.id, centre_id)))
    [row] = first_groups.json()[0]["cases"]
    assert set(row) >= {"report_id", "received_at", "status", "acknowledge_by", "unread"}
    assert "envelope" not in row

    # The third organisation's own VCP of that id reaches their own organisation alone.
    assert grouped(third, centre_id) == {third.id: [cases[third.id]]}

    # Other roles get 403; no token 401.
    assert reports.get(GROUPED, headers=first.admin).status_code == 403
    assert reports.get(GROUPED).status_code == 401

    # Her membership in the second organisation ends (as MemberRemoved would set it in the
    # projection): the second drops out on the next request, and that token is refused.
    # (Minted first: minting records the membership anew.)
    second_token = bearer(infra.token("vcp", second.id, centre_id))
    first_token = bearer(infra.token("vcp", first.id, centre_id))
    with MongoClient(infra.mongo_uri) as client:
        members = client[database(services["reports"])][CURRENT_MEMBERS]
        ended = members.update_many(
            {"org_id": second.id, "sub": centre_id}, {"$set": {"removed": True}}
        )
        assert ended.modified_count >= 1
    after = reports.get(GROUPED, headers=first_token).json()
    assert [(g["org_id"], [c["report_id"] for c in g["cases"]]) for g in after] == [
        (first.id, [cases[first.id]])
    ]
    assert reports.get(GROUPED, headers=second_token).status_code == 403
