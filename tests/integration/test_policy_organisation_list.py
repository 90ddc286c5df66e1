"""The operator's overview: `GET /v1/orgs` lists every organisation with its three pillars,
a page at a time; nobody else may read it."""

from __future__ import annotations

import uuid

from tests.support.admission import Organisation
from tests.support.platform import Platform, bearer


def test_the_operator_pages_through_organisations_with_their_pillars(platform: Platform) -> None:
    policy = platform.start("policy")
    prefix = f"zz-{uuid.uuid4().hex[:6]}"
    orgs = [f"{prefix}-a", f"{prefix}-b", f"{prefix}-c"]
    operator = bearer(platform.infra.token("operator"))
    with policy.client() as http:
        for org in orgs:
            created = http.post(
                "/v1/orgs", json={"org_id": org, "name": f"Club {org}"}, headers=operator
            )
            assert created.status_code == 201, created.text
        published = http.post(
            f"/v1/orgs/{orgs[1]}/codes",
            json={"text": "Be kind."},
            headers=bearer(platform.infra.token("admin", orgs[1])),
        )
        assert published.status_code == 201, published.text

        first = http.get("/v1/orgs", params={"limit": 100}, headers=operator)
        assert first.status_code == 200, first.text
        page = first.json()
        assert page["total"] >= 3 and page["limit"] == 100 and page["offset"] == 0
        slugs = [item["org_id"] for item in page["items"]]
        assert slugs == sorted(slugs)
        ours = {item["org_id"]: item for item in page["items"] if item["org_id"] in orgs}
        assert set(ours) == set(orgs)
        assert ours[orgs[0]]["name"] == f"Club {orgs[0]}"
        assert ours[orgs[1]]["pillars"]["code_of_conduct"]["done"] is True
        assert ours[orgs[0]]["pillars"]["code_of_conduct"]["done"] is False
        assert ours[orgs[0]]["pillars"]["vcp"]["done"] is False
        assert ours[orgs[1]]["counts"]["codes_published"] == 1

        # Pages do not overlap: the second of two has the slug after the first's.
        position = slugs.index(orgs[0])
        one = http.get("/v1/orgs", params={"offset": position, "limit": 1}, headers=operator)
        two = http.get("/v1/orgs", params={"offset": position + 1, "limit": 1}, headers=operator)
        assert [i["org_id"] for i in one.json()["items"]] == [orgs[0]]
        assert [i["org_id"] for i in two.json()["items"]] == [orgs[1]]

        too_many = http.get("/v1/orgs", params={"limit": 1000}, headers=operator)
        assert too_many.status_code == 422
        admin = http.get("/v1/orgs", headers=bearer(platform.infra.token("admin", orgs[0])))
        assert admin.status_code == 403, admin.text
        assert http.get("/v1/orgs").status_code == 401


def test_the_admin_reads_the_roles_with_their_whole_risk_profile(platform: Platform) -> None:
    policy = platform.start("policy")
    org = f"roles-{uuid.uuid4().hex[:6]}"
    admin = bearer(platform.infra.token("admin", org))
    with policy.client() as http:
        created = http.post(
            "/v1/orgs",
            json={"org_id": org, "name": "Roles club"},
            headers=bearer(platform.infra.token("operator")),
        )
        assert created.status_code == 201, created.text
        for role_id, title, minors, age in (
            ("coach", "Youth coach", True, 90),
            ("bar", "Bar", False, 180),
        ):
            defined = http.put(
                f"/v1/orgs/{org}/roles/{role_id}",
                json={
                    "title": title,
                    "works_with_minors": minors,
                    "works_with_vulnerable": False,
                    "vog_max_age_days": age,
                    "vog_renewal_years": 2,
                },
                headers=admin,
            )
            assert defined.status_code == 200, defined.text

        listed = http.get(f"/v1/orgs/{org}/roles", headers=admin)
        assert listed.status_code == 200, listed.text
        assert listed.json() == [
            {
                "role_id": "bar",
                "title": "Bar",
                "works_with_minors": False,
                "works_with_vulnerable": False,
                "vog_max_age_days": 180,
                "vog_renewal_years": 2,
                "vog_required": False,
                # Its listing on the regional page (/vacatures): never listed.
                "listing": None,
            },
            {
                "role_id": "coach",
                "title": "Youth coach",
                "works_with_minors": True,
                "works_with_vulnerable": False,
                "vog_max_age_days": 90,
                "vog_renewal_years": 2,
                "vog_required": True,
                "listing": None,
            },
        ]
        coordinator = bearer(platform.infra.token("coordinator", org))
        assert http.get(f"/v1/orgs/{org}/roles", headers=coordinator).status_code == 200
        volunteer = bearer(platform.infra.token("volunteer", org))
        assert http.get(f"/v1/orgs/{org}/roles", headers=volunteer).status_code == 403
        # Another organisation's admin is told nothing, not even that the organisation exists.
        other = bearer(platform.infra.token("admin", "another-org"))
        assert http.get(f"/v1/orgs/{org}/roles", headers=other).status_code == 404


def test_the_admin_learns_how_many_volunteers_must_sign_again(platform: Platform) -> None:
    intake = platform.start("intake")
    policy = platform.start("policy")
    org = Organisation(platform.infra, intake, policy)
    assert org.register().status_code == 201
    role = {"title": "Bar", "works_with_minors": False, "works_with_vulnerable": False}
    assert org.define_role("bar", role).status_code == 200
    text = "We are kind to each other."
    assert org.publish_code(text).status_code == 201
    url = f"/v1/orgs/{org.id}/codes/signing-again"

    before = org.policy.get(url, headers=org.admin)
    assert before.status_code == 200, before.text
    assert before.json() == {
        "current_version": 1,
        "must_sign_again_on_publish": 0,
        "resign_grace_days": 30,
    }

    signed = org.apply("bar")
    assert org.interview(signed, "proceed").status_code == 201
    assert org.sign(signed, 1, text).status_code == 201
    org.wait_for_admission(signed, "admitted", [])
    rejected = org.apply("bar")
    assert org.sign(rejected, 1, text).status_code == 201
    assert org.interview(rejected, "reject").status_code == 201
    org.wait_for_admission(rejected, "rejected", [])
    not_signed = org.apply("bar")
    org.wait_for_admission(not_signed, "pending", ["interview", "code_signature"])

    after = org.policy.get(url, headers=org.admin)
    assert after.json() == {
        "current_version": 1,
        "must_sign_again_on_publish": 1,
        "resign_grace_days": 30,
    }
    assert org.policy.get(url, headers=org.coordinator).status_code == 403
