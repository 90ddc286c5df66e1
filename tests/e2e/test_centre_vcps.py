"""The regional centre's own VCPs (issue 24 item 2), over HTTP against the services as
separate processes: the operator lists a centre VCP, two organisations add her, she accepts
in each and sets a key in each with that organisation's token, and she reaches each
organisation's cases only there."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from cli import report as reporter
from cli import vcp as vcp_cli
from shared.crypto import PrivateKey, ReportBody
from tests.e2e.test_reporting_flow import Org
from tests.support.platform import Infrastructure, RunningService, bearer, eventually

pytestmark = pytest.mark.e2e


@pytest.fixture
def two_orgs(infra: Infrastructure, services: dict[str, RunningService]) -> Iterator[list[Org]]:
    created = [Org(infra, services), Org(infra, services)]
    yield created
    for org in created:
        org.reports.close()
        org.intake.close()


def test_a_centre_vcp_serves_two_organisations_and_reaches_each_ones_cases_only(
    two_orgs: list[Org],
) -> None:
    first, second = two_orgs
    reports = first.reports
    infra = first.infra
    centre_id = f"centre-{uuid.uuid4().hex[:6]}"
    operator = bearer(infra.token("operator"))
    person = {"vcp_id": centre_id, "name": "Carla van het Steunpunt", "email": "c@example.org"}

    # Only the operator keeps the centre's list; an admin reads names, not addresses.
    assert reports.post("/v1/centre-vcps", json=person, headers=first.admin).status_code == 403
    assert reports.post("/v1/centre-vcps", json=person, headers=operator).status_code == 201
    assert reports.post("/v1/centre-vcps", json=person, headers=operator).status_code == 409
    listed = reports.get("/v1/centre-vcps", headers=first.admin)
    assert {"vcp_id": centre_id, "name": person["name"]} in listed.json()
    assert "c@example.org" not in listed.text
    unknown = reports.post(
        f"/v1/orgs/{first.id}/centre-vcps", json={"vcp_id": "nobody"}, headers=first.admin
    )
    assert unknown.status_code == 404 and "no VCP nobody" in unknown.text

    # The first organisation has its own VCP too; both add the centre's.
    own = PrivateKey.generate()
    first.appoint("own", own)
    keys = {}
    for org in (first, second):
        added = reports.post(
            f"/v1/orgs/{org.id}/centre-vcps", json={"vcp_id": centre_id}, headers=org.admin
        )
        assert added.status_code == 201, added.text
        as_centre = bearer(infra.token("vcp", org.id, centre_id))
        key = PrivateKey.generate()
        put_key = f"/v1/orgs/{org.id}/vcps/{centre_id}/public-key"
        body = {"public_key": key.public_key.model_dump()}
        # No key before she accepts.
        early = reports.put(put_key, json=body, headers=as_centre)
        assert early.status_code == 409 and "Accept" in early.text
        accepted = reports.post(
            f"/v1/orgs/{org.id}/vcps/{centre_id}/acceptance",
            json={"accept": True},
            headers=as_centre,
        )
        assert accepted.json() == {"vcp_id": centre_id, "accepted": True}
        assert reports.put(put_key, json=body, headers=as_centre).status_code == 200
        keys[org.id] = key
        published = {
            k["vcp_id"]: k["centre"] for k in reports.get(f"/v1/orgs/{org.id}/vcp-keys").json()
        }
        assert published[centre_id] is True
    assert {k["vcp_id"]: k["centre"] for k in reports.get(f"/v1/orgs/{first.id}/vcp-keys").json()}[
        "own"
    ] is False
    first.wait_until_intake_knows(own, keys[first.id])
    second.wait_until_intake_knows(keys[second.id])

    # The fallback contacts of organisations without a VCP name her, with the introduction
    # she wrote at the organisation that added her first, for anyone, and nothing else.
    for org, text in (
        (second, "Tekst bij de tweede."),
        (first, "Ik ben Carla, van het steunpunt."),
    ):
        written = reports.put(
            f"/v1/orgs/{org.id}/vcps/{centre_id}/introduction",
            json={"introduction": text},
            headers=bearer(infra.token("vcp", org.id, centre_id)),
        )
        assert written.status_code == 200, written.text
    public = reports.get("/v1/centre-vcp-introductions")
    assert public.status_code == 200
    assert {
        "name": person["name"],
        "introduction": "Ik ben Carla, van het steunpunt.",
    } in public.json()
    assert all(set(row) == {"name", "introduction"} for row in public.json())
    for private in (centre_id, "c@example.org", first.id, second.id):
        assert private not in public.text

    # A report in each organisation, sealed to the centre VCP (and, in the first, its own).
    report_ids = {}
    for org in (first, second):
        with org.api() as anonymous:
            submitted = reporter.submit_report(
                anonymous,
                org.id,
                ReportBody(
                    category="other", description=f"Melding bij {org.id}", wants_contact=False
                ),
            )
        report_ids[org.id] = submitted.report_id
        org.wait_for_report(centre_id, submitted.report_id)

    # With each organisation's token she reaches that organisation's case alone.
    for org, other in ((first, second), (second, first)):
        token = bearer(infra.token("vcp", org.id, centre_id))
        listed_cases = reports.get(f"/v1/orgs/{org.id}/reports", headers=token).json()
        assert [c["report_id"] for c in listed_cases] == [report_ids[org.id]]
        # The other organisation's case: not under this organisation, and this token is
        # no good in the other organisation.
        here = reports.get(f"/v1/orgs/{org.id}/reports/{report_ids[other.id]}", headers=token)
        assert here.status_code == 404
        there = reports.get(f"/v1/orgs/{other.id}/reports/{report_ids[other.id]}", headers=token)
        assert there.status_code == 404
        with org.api(centre_id) as api:
            opened = vcp_cli.read_case(api, org.id, report_ids[org.id], keys[org.id])
        assert opened.report is not None and opened.report.description == f"Melding bij {org.id}"


def test_a_centre_vcp_who_declines_leaves_the_organisation_and_may_be_asked_again(
    two_orgs: list[Org],
) -> None:
    org = two_orgs[0]
    reports = org.reports
    centre_id = f"centre-{uuid.uuid4().hex[:6]}"
    person = {"vcp_id": centre_id, "name": "Dirk", "email": "d@example.org"}
    operator = bearer(org.infra.token("operator"))
    assert reports.post("/v1/centre-vcps", json=person, headers=operator).status_code == 201
    ask = {"vcp_id": centre_id}
    assert reports.post(f"/v1/orgs/{org.id}/centre-vcps", json=ask, headers=org.admin).is_success
    [pending] = [v for v in reports.get(f"/v1/orgs/{org.id}/vcps", headers=org.admin).json()]
    assert (pending["centre"], pending["accepted"], pending["name"]) == (True, False, "Dirk")
    as_centre = bearer(org.infra.token("vcp", org.id, centre_id))
    # Only she answers: not the admin.
    answer = f"/v1/orgs/{org.id}/vcps/{centre_id}/acceptance"
    assert reports.post(answer, json={"accept": True}, headers=org.admin).status_code == 403
    declined = reports.post(answer, json={"accept": False}, headers=as_centre)
    assert declined.json() == {"vcp_id": centre_id, "accepted": False}
    assert reports.get(f"/v1/orgs/{org.id}/vcps", headers=org.admin).json() == []
    # Her token for this organisation is no good any more ...
    gone = reports.get(f"/v1/orgs/{org.id}/vcps", headers=as_centre)
    assert gone.status_code == 403
    # ... and the organisation may ask her again later.
    again = reports.post(f"/v1/orgs/{org.id}/centre-vcps", json=ask, headers=org.admin)
    assert again.status_code == 201, again.text
    eventually(lambda: reports.get(f"/v1/orgs/{org.id}/vcps", headers=org.admin).json() != [])
