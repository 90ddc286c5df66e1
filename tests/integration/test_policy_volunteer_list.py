"""The coordinator's list of volunteers (policy `GET /v1/orgs/{org}/volunteers`): stages,
filters by stage, role, name, re-signing and VOG renewal, paging, and who may read it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
from pymongo import MongoClient

from services.policy.storage import VOLUNTEER_NAMES
from shared.domain.calendar import today
from tests.support.admission import Organisation, bearer
from tests.support.platform import Platform, eventually

COACH = {"title": "Jeugdtrainer", "works_with_minors": True, "works_with_vulnerable": False}
BAR = {"title": "Bar", "works_with_minors": False, "works_with_vulnerable": False}
CODE = "Wij gaan respectvol met elkaar om."


def apply_as(org: Organisation, role_id: str, name: str) -> str:
    body = {"role_id": role_id, "name": name, "email": f"{name.split()[0].lower()}@example.org"}

    def accepted() -> httpx.Response | None:
        answer = org.intake.post(f"/v1/orgs/{org.id}/applications", json=body)
        return answer if answer.status_code == 202 else None

    return str(eventually(accepted).json()["volunteer_id"])


def listing(org: Organisation, **params: Any) -> dict[str, Any]:
    answer = org.policy.get(f"/v1/orgs/{org.id}/volunteers", params=params, headers=org.coordinator)
    assert answer.status_code == 200, answer.text
    result: dict[str, Any] = answer.json()
    return result


def test_the_coordinator_lists_volunteers_by_stage_role_and_name(platform: Platform) -> None:
    org = Organisation(platform.infra, platform.start("intake"), platform.start("policy"))
    assert org.register().status_code == 201
    assert org.define_role("coach", COACH).status_code == 200
    assert org.define_role("bar", BAR).status_code == 200
    assert org.publish_code(CODE).status_code == 201

    anna = apply_as(org, "coach", "Anna de Vries")
    bram = apply_as(org, "coach", "Bram Bakker")
    cees = apply_as(org, "bar", "Cees Jansen")
    dirk = apply_as(org, "bar", "Dirk de Boer")
    assert org.interview(bram, "proceed").status_code == 201
    assert org.interview(cees, "proceed").status_code == 201
    assert org.sign(cees, 1, CODE, headers=org.volunteer(cees)).status_code == 201
    assert org.interview(dirk, "doubt").status_code == 201
    org.wait_for_admission(cees, "admitted", [])
    org.wait_for_admission(dirk, "rejected", [])
    org.wait_for_admission(bram, "pending", ["code_signature", "vog"])

    everyone = listing(org)
    assert everyone["total"] == 4
    assert [row["name"] for row in everyone["items"]] == [
        "Anna de Vries",
        "Bram Bakker",
        "Cees Jansen",
        "Dirk de Boer",
    ]
    stages = {row["volunteer_id"]: row["stage"] for row in everyone["items"]}
    assert stages == {anna: "applied", bram: "interviewed", cees: "admitted", dirk: "rejected"}
    admitted = next(row for row in everyone["items"] if row["volunteer_id"] == cees)
    assert admitted["admitted_on"] == today().isoformat()
    assert admitted["role_title"] == "Bar"
    assert admitted["signed_code_version"] == 1
    roles = {role["role_id"]: role for role in everyone["roles"]}
    assert roles["coach"]["vog_required"] is True
    assert roles["coach"]["vog_max_age_days"] == 180

    assert [r["volunteer_id"] for r in listing(org, state="applied")["items"]] == [anna]
    assert [r["volunteer_id"] for r in listing(org, role_id="bar")["items"]] == [cees, dirk]
    assert [r["volunteer_id"] for r in listing(org, q="de")["items"]] == [anna, dirk]
    assert [r["volunteer_id"] for r in listing(org, q="DE boer")["items"]] == [dirk]

    # A search is words, not a pattern: signs that mean something to a regex match nothing.
    assert listing(org, q="de (")["total"] == 0
    assert listing(org, q=".*")["total"] == 0

    # Filters and paging together: the database counts and pages the filtered list.
    bar_second = listing(org, role_id="bar", page=2, page_size=1)
    assert (bar_second["total"], bar_second["pages"]) == (2, 2)
    assert [r["volunteer_id"] for r in bar_second["items"]] == [dirk]
    assert listing(org, state="rejected", role_id="coach")["total"] == 0

    second = listing(org, page=2, page_size=3)
    assert (second["total"], second["pages"], len(second["items"])) == (4, 2, 1)
    assert second["items"][0]["volunteer_id"] == dirk

    # A new version: the admitted volunteer must sign again; the rejected one need not.
    assert org.publish_code(CODE + " Ook online.").status_code == 201
    eventually(
        lambda: [r["volunteer_id"] for r in listing(org, must_resign=True)["items"]] == [cees]
    )

    # A VOG whose renewal falls within 60 days shows in the renewal list, one further does not.
    assert org.hand_in_vog(bram, today() - timedelta(days=10), [84]).status_code == 201
    org.wait_for_admission(bram, "pending", ["code_signature"])
    row = next(r for r in listing(org)["items"] if r["volunteer_id"] == bram)
    assert row["stage"] == "vog"
    assert row["vog_issued_on"] == (today() - timedelta(days=10)).isoformat()
    assert row["vog_renewal_due"] is not None
    assert listing(org, vog_due_within_days=60)["total"] == 0
    assert [r["volunteer_id"] for r in listing(org, vog_due_within_days=3 * 366)["items"]] == [bram]


def test_only_admins_and_coordinators_list_and_a_volunteer_reads_only_themself(
    platform: Platform,
) -> None:
    org = Organisation(platform.infra, platform.start("intake"), platform.start("policy"))
    assert org.register().status_code == 201
    assert org.define_role("bar", BAR).status_code == 200
    anna = apply_as(org, "bar", "Anna de Vries")
    bram = apply_as(org, "bar", "Bram Bakker")
    eventually(lambda: org.admission(anna) is not None and org.admission(bram) is not None)

    refused = org.policy.get(f"/v1/orgs/{org.id}/volunteers", headers=org.volunteer(anna))
    assert refused.status_code == 403
    assert "coordinator" in refused.json()["detail"]
    assert org.policy.get(f"/v1/orgs/{org.id}/volunteers", headers=org.admin).status_code == 200
    stranger = bearer(platform.infra.token("coordinator", "another-org"))
    assert org.policy.get(f"/v1/orgs/{org.id}/volunteers", headers=stranger).status_code == 404

    own = org.policy.get(f"/v1/orgs/{org.id}/volunteers/{anna}", headers=org.volunteer(anna))
    assert own.status_code == 200, own.text
    assert own.json()["name"] == "Anna de Vries"
    assert own.json()["stage"] == "applied"
    other = org.policy.get(f"/v1/orgs/{org.id}/volunteers/{bram}", headers=org.volunteer(anna))
    # Another volunteer's row is not there for her, as with the admission route.
    assert other.status_code == 404
    assert "Bram" not in other.text

    bad = org.policy.get(
        f"/v1/orgs/{org.id}/volunteers", params={"page_size": 1000}, headers=org.coordinator
    )
    assert bad.status_code == 422


def test_entries_stored_before_the_list_was_filtered_by_the_database_are_completed(
    platform: Platform,
) -> None:
    org = Organisation(
        platform.infra,
        platform.start("intake"),
        platform.start("policy", env={"SAFEHANDS_SCHEDULER_INTERVAL_SECONDS": "0.5"}),
    )
    assert org.register().status_code == 201
    assert org.define_role("bar", BAR).status_code == 200
    anna = apply_as(org, "bar", "Anna de Vries")
    eventually(lambda: listing(org, state="applied")["total"] == 1)

    # As policy stored an entry before: the name and the application date, nothing else.
    with MongoClient(platform.infra.mongo_uri) as client:
        entries = client[f"{platform.database}_policy"][VOLUNTEER_NAMES]
        stripped = entries.update_one(
            {"org_id": org.id, "volunteer_id": anna},
            {
                "$unset": {
                    field: ""
                    for field in (
                        "stage",
                        "status",
                        "role_id",
                        "signed_code_version",
                        "vog_renewal_due",
                        "name_key",
                    )
                }
            },
        )
        assert stripped.modified_count == 1

    # The job gives it the file's fields again: the filters and the search find her.
    eventually(
        lambda: (
            [
                row["volunteer_id"]
                for row in listing(org, state="applied", role_id="bar", q="VRIES")["items"]
            ]
            == [anna]
        )
    )
