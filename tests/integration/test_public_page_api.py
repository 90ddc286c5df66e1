"""What the reporter's and applicant's pages read without a token: the organisation's
public page from policy (name, language, roles) and the VCPs' names beside their keys."""

from __future__ import annotations

import uuid

from shared.crypto import PrivateKey
from shared.crypto.signing import signing_public_key
from shared.domain.calendar import today
from tests.support.platform import Platform, bearer
from tests.support.vcps import appoint_vcp


def test_the_public_page_names_the_organisation_its_language_and_roles(
    platform: Platform,
) -> None:
    policy = platform.start("policy")
    org = f"org-{uuid.uuid4().hex[:6]}"
    operator = bearer(platform.infra.token("operator"))
    admin = bearer(platform.infra.token("admin", org))
    with policy.client() as http:
        created = http.post(
            "/v1/orgs",
            json={"org_id": org, "name": "Harbour Rowing", "language": "en"},
            headers=operator,
        )
        assert created.status_code == 201, created.text
        for role_id, title, minors in (("coach", "Youth coach", True), ("bar", "Bar staff", False)):
            defined = http.put(
                f"/v1/orgs/{org}/roles/{role_id}",
                json={"title": title, "works_with_minors": minors, "works_with_vulnerable": False},
                headers=admin,
            )
            assert defined.status_code == 200, defined.text

        page = http.get(f"/v1/orgs/{org}/public")
        assert page.status_code == 200, page.text
        assert page.json() == {
            "org_id": org,
            "name": "Harbour Rowing",
            "language": "en",
            "roles": [
                {
                    "role_id": "bar",
                    "title": "Bar staff",
                    "works_with_minors": False,
                    "works_with_vulnerable": False,
                    "vog_required": False,
                },
                {
                    "role_id": "coach",
                    "title": "Youth coach",
                    "works_with_minors": True,
                    "works_with_vulnerable": False,
                    "vog_required": True,
                },
            ],
            # The application form says how long an applicant's data is kept.
            "volunteer_retention_days": 730,
        }
        # Nothing beyond what a visitor may see: no VOG periods, no settings.
        assert "vog_max_age_days" not in page.text

        unknown = http.get("/v1/orgs/nobody-here/public")
        assert unknown.status_code == 404
        assert "nobody-here" in unknown.json()["detail"]


def test_the_vcp_keys_carry_the_vcps_names(platform: Platform) -> None:
    reports = platform.start("reports")
    org = f"org-{uuid.uuid4().hex[:6]}"
    key = PrivateKey.generate()
    with reports.client() as http:
        appoint_vcp(
            http,
            org,
            "vera",
            key,
            admin=bearer(platform.infra.token("admin", org)),
            vcp=bearer(platform.infra.token("vcp", org, "vera")),
            name="Vera de Wit",
        )
        keys = http.get(f"/v1/orgs/{org}/vcp-keys")
    assert keys.status_code == 200
    assert keys.json() == [
        {
            "vcp_id": "vera",
            "name": "Vera de Wit",
            "public_key": key.public_key.model_dump(),
            "fingerprint": key.fingerprint,
            # Verifies the VCP's messages on the reporter's side (docs/api.md).
            "signing_key": signing_public_key(key),
            "since": today().isoformat(),
            # What the VCP writes about themself for reporters (issue 24); none yet.
            "introduction": None,
            # Not one of the regional centre's VCPs (issue 24).
            "centre": False,
        }
    ]
    # The address is not public: it stays with reports and notify.
    assert "vera@example.org" not in keys.text


def test_the_home_page_finds_listed_organisations_by_a_few_letters_of_their_name(
    platform: Platform,
) -> None:
    policy = platform.start("policy")
    # A word no other test's organisation carries, so that other modules' data do not match.
    unique = f"Zq{uuid.uuid4().hex[:6]}"
    operator = bearer(platform.infra.token("operator"))
    orgs = {
        "rowing": f"Harbour Rowing {unique}",
        "cafe": f"Café {unique} de Hoek",
        "shelter": f"Shelter {unique}",
    }
    ids = {key: f"{key}-{uuid.uuid4().hex[:6]}" for key in orgs}
    with policy.client() as http:
        for key, name in orgs.items():
            created = http.post(
                "/v1/orgs", json={"org_id": ids[key], "name": name}, headers=operator
            )
            assert created.status_code == 201, created.text
        # The shelter's admin chooses not to be found; its page stays at its address.
        shelter_admin = bearer(platform.infra.token("admin", ids["shelter"]))
        unlisted = http.put(
            f"/v1/orgs/{ids['shelter']}/settings",
            json={"volunteer_retention_days": 730, "listed": False},
            headers=shelter_admin,
        )
        assert unlisted.status_code == 200, unlisted.text
        assert unlisted.json()["listed"] is False
        # A script that knows only the retention period does not list the shelter again.
        retention = http.put(
            f"/v1/orgs/{ids['shelter']}/settings",
            json={"volunteer_retention_days": 365},
            headers=shelter_admin,
        )
        assert retention.json() == {
            "volunteer_retention_days": 365,
            "listed": False,
            "resign_grace_days": 30,
            "kind": None,
            "news_digest": False,
        }

        def found(name: str) -> list[tuple[str, str]]:
            answer = http.get("/v1/directory", params={"name": name})
            assert answer.status_code == 200, answer.text
            return [(o["org_id"], o["name"]) for o in answer.json()]

        everyone = [(ids["cafe"], orgs["cafe"]), (ids["rowing"], orgs["rowing"])]
        assert found(unique[:5].upper()) == everyone, "case ignored, by name, shelter unlisted"
        assert found(f"cafe {unique}") == [(ids["cafe"], orgs["cafe"])], "accents ignored"
        assert found(f"row {unique}") == [(ids["rowing"], orgs["rowing"])]
        assert found(f"owing {unique}") == [], "words are matched from their start"
        assert http.get(f"/v1/orgs/{ids['shelter']}/public").status_code == 200
        for bad in ("", "x", "y" * 101):
            refused = http.get("/v1/directory", params={"name": bad})
            assert refused.status_code == 422, (bad, refused.text)
