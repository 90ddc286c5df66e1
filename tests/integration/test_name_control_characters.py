"""Names and titles with control characters get 422 with a sentence, on the real services
(issue 19, item 5): an organisation, a role, a member, a VCP and an applicant."""

from __future__ import annotations

import uuid

from tests.support.platform import Infrastructure, Platform, bearer, wait_until_ready


def test_every_name_with_a_control_character_gets_422(
    platform: Platform, infra: Infrastructure
) -> None:
    services = {
        name: platform.start(name, wait=False)
        for name in ("policy", "identity", "reports", "intake")
    }
    for service in services.values():
        wait_until_ready(service)
    org = f"club-{uuid.uuid4().hex[:6]}"
    operator, admin = bearer(infra.token("operator")), bearer(infra.token("admin", org))
    attempts = [
        ("policy", "POST", "/v1/orgs", operator, {"org_id": org, "language": "nl"}, "name"),
        (
            "policy",
            "PUT",
            f"/v1/orgs/{org}/roles/coach",
            admin,
            {"works_with_minors": True, "works_with_vulnerable": False},
            "title",
        ),
        (
            "identity",
            "POST",
            f"/v1/orgs/{org}/members",
            operator,
            {"email": "ada@example.org", "roles": ["admin"]},
            "name",
        ),
        (
            "reports",
            "POST",
            f"/v1/orgs/{org}/vcps",
            admin,
            {"vcp_id": "vera", "email": "vera@example.org"},
            "name",
        ),
        (
            "intake",
            "POST",
            f"/v1/orgs/{org}/applications",
            {},
            {"role_id": "coach", "email": "anna@example.org"},
            "name",
        ),
    ]
    for service, method, path, headers, body, field in attempts:
        for bad in ("Sportclub\nNieuw", "tab\there", "bell\x07", "rlo\u202egro"):
            with services[service].client() as http:
                answer = http.request(method, path, json={**body, field: bad}, headers=headers)
            assert answer.status_code == 422, (service, path, bad, answer.text)
            detail = answer.json()["detail"]
            assert field in detail and "control characters" in detail, detail
            assert bad not in detail
