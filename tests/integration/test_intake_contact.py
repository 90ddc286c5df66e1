"""An applicant's phone and motivation (issue 21 item 2): given on the application, checked
loosely, read by the organisation's coordinators alone, and erased with the rest of the
volunteer's data when policy's retention period ends."""

from __future__ import annotations

from datetime import timedelta

import httpx
from pymongo import MongoClient

from services.policy.storage import ADMISSIONS
from shared.domain.calendar import today
from tests.support.admission import Organisation
from tests.support.platform import Platform, eventually

ROLE = {"title": "Bar", "works_with_minors": False, "works_with_vulnerable": False}
FAST_JOBS = {"SAFEHANDS_SCHEDULER_INTERVAL_SECONDS": "0.5"}


def applied(org: Organisation, **extra: object) -> httpx.Response:
    body = {"role_id": "bar", "name": "Anna de Vries", "email": "anna@example.org", **extra}

    def answered() -> httpx.Response | None:
        answer = org.intake.post(f"/v1/orgs/{org.id}/applications", json=body)
        # intake learns of the organisation and its role from policy's events: eventually.
        not_yet = (answer.status_code == 422 and "There is no role" in answer.text) or (
            answer.status_code == 404 and "is not known" in answer.text
        )
        return None if answer.status_code == 429 or not_yet else answer

    result: httpx.Response = eventually(answered)
    return result


def contact_of(org: Organisation, volunteer: str, headers: dict[str, str]) -> httpx.Response:
    return org.intake.get(f"/v1/orgs/{org.id}/volunteers/{volunteer}/contact", headers=headers)


def test_phone_and_motivation_reach_the_coordinator_and_go_with_the_retention(
    platform: Platform,
) -> None:
    org = Organisation(
        platform.infra, platform.start("intake"), platform.start("policy", env=FAST_JOBS)
    )
    assert org.register().status_code == 201
    assert org.define_role("bar", ROLE).status_code == 200

    answer = applied(org, phone="  +31 (0)6-1234 5678 ", motivation="  Ik tap graag bier.\n ")
    assert answer.status_code == 202, answer.text
    volunteer = answer.json()["volunteer_id"]
    found = contact_of(org, volunteer, org.coordinator)
    assert found.status_code == 200, found.text
    assert found.json() | {"applied_at": None} == {
        "volunteer_id": volunteer,
        "name": "Anna de Vries",
        "email": "anna@example.org",
        "phone": "+31 (0)6-1234 5678",
        "motivation": "Ik tap graag bier.",
        "applied_at": None,
    }
    # Neither is required; blank is nothing.
    bare = applied(org, phone="   ", motivation="")
    assert bare.status_code == 202, bare.text
    bare_contact = contact_of(org, bare.json()["volunteer_id"], org.coordinator).json()
    assert bare_contact["phone"] is None and bare_contact["motivation"] is None

    # The coordinator's alone: not the volunteer themself, not the admin, not a stranger.
    assert contact_of(org, volunteer, org.volunteer(volunteer)).status_code == 403
    assert contact_of(org, volunteer, org.admin).status_code == 403
    assert contact_of(org, volunteer, {}).status_code == 401
    assert contact_of(org, "no-such-volunteer", org.coordinator).status_code == 404

    for bad in ("call me", "12345", "0" * 31, "06 1234 5678 ext. 9"):
        refused = applied(org, phone=bad)
        assert refused.status_code == 422, bad
        assert "phone" in refused.json()["detail"], refused.text
    too_long = applied(org, motivation="x" * 1001)
    assert too_long.status_code == 422
    assert "motivation" in too_long.json()["detail"]
    assert applied(org, motivation="x" * 1000).status_code == 202

    # Rejected long ago: policy's retention sweep erases the file, intake the application
    # with its phone and motivation.
    assert org.interview(volunteer, "reject").status_code == 201
    org.wait_for_admission(volunteer, "rejected", [])
    with MongoClient(platform.infra.mongo_uri) as client:
        admissions = client[f"{platform.database}_policy"][ADMISSIONS]
        written = admissions.update_one(
            {"org_id": org.id, "volunteer_id": volunteer},
            {"$set": {"last_activity": (today() - timedelta(days=800)).isoformat()}},
        )
        assert written.matched_count == 1
    eventually(lambda: contact_of(org, volunteer, org.coordinator).status_code == 404, timeout=60)
    with MongoClient(platform.infra.mongo_uri) as client:
        left = client[f"{platform.database}_intake"]["applications"].count_documents(
            {"volunteer_id": volunteer}
        )
    assert left == 0
