"""A removed member is out at once, for every role, in every service (issue 19, item 1).

On the real broker and database with every service running: an admin (who is also a
coordinator) invited through identity and signed in with the link of their mail acts in each
service; once another admin removes them, their still valid access token is refused with 403
in identity (at once: it is the same transaction) and in policy, intake, reports and notify
(as soon as MemberRemoved reaches them); a re-invitation of themselves is refused too.
Without the projection every service keeps, each of these requests was accepted until the
token expired.
"""

from __future__ import annotations

import base64
import re
import secrets
import uuid
from collections.abc import Callable
from email.message import EmailMessage

import httpx
from pymongo import MongoClient

from shared.auth.tokens import mint_token
from tests.support.mail import body_text, mails_to
from tests.support.platform import Infrastructure, Platform, bearer, eventually

NO_LONGER = "no longer a member"


def sign_in_code(infra: Infrastructure, address: str) -> str:
    def found() -> str | None:
        for message in mails_to(infra.maildir, address):
            match = re.search(r"#code=([A-Za-z0-9_-]+)", body_text(message))
            if match:
                return match[1]
        return None

    code: str = eventually(found, timeout=30)
    return code


def refused(answer: httpx.Response) -> bool:
    return answer.status_code == 403 and NO_LONGER in answer.json()["detail"]


def test_a_removed_admin_is_refused_everywhere_on_the_next_request(
    platform: Platform, infra: Infrastructure
) -> None:
    services = platform.start_services()
    http = {name: service.client() for name, service in services.items()}
    org = f"org-{uuid.uuid4().hex[:6]}"
    operator = bearer(infra.token("operator"))
    assert (
        http["policy"]
        .post("/v1/orgs", json={"org_id": org, "name": "De Bevers"}, headers=operator)
        .status_code
        == 201
    )
    # Ada's token is minted (and her membership recorded) as `safehands token` does.
    ada = bearer(infra.token("admin", org, "ada"))
    bram_address = f"bram-{org}@example.org"

    def invite(who: dict[str, str], address: str, roles: list[str]) -> httpx.Response:
        return http["identity"].post(
            f"/v1/orgs/{org}/members",
            json={"email": address, "name": "Bram", "roles": roles},
            headers=who,
        )

    # identity learns of the organisation from policy's event.
    invited = eventually(
        lambda: (a := invite(ada, bram_address, ["admin", "coordinator"])).status_code == 201 and a,
        timeout=30,
    )
    bram_id = invited.json()["member_id"]
    # Bram signs in with the link of his invitation: a token identity issues, whose
    # membership every service learns from MemberAdded alone.
    session = http["identity"].post(
        "/v1/sign-in/exchange", json={"code": sign_in_code(infra, bram_address)}
    )
    assert session.status_code == 200, session.text
    issued = http["identity"].post(
        "/v1/tokens", json={"refresh_token": session.json()["refresh_token"], "org_id": org}
    )
    assert issued.status_code == 200, issued.text
    bram = bearer(issued.json()["access_token"])

    secret = "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()
    role = {"title": "Coach", "works_with_minors": True, "works_with_vulnerable": False}
    volunteer: dict[str, str] = {}

    def apply() -> bool:
        answer = http["intake"].post(
            f"/v1/orgs/{org}/applications",
            json={"role_id": "coach", "name": "Vince", "email": f"vince-{org}@example.org"},
        )
        if answer.status_code == 202:
            volunteer.update(answer.json())
        return answer.status_code == 202

    # One request of each kind, each in another service.
    requests: dict[str, Callable[[], httpx.Response]] = {
        "policy role": lambda: http["policy"].put(
            f"/v1/orgs/{org}/roles/coach", json=role, headers=bram
        ),
        "notify webhook": lambda: http["notify"].post(
            f"/v1/orgs/{org}/webhooks",
            json={
                "url": "http://127.0.0.1:9/hook",
                "event_types": ["nl.safehands.volunteer.applied.v1"],
                "secret": secret,
            },
            headers=bram,
        ),
        "reports admin": lambda: http["reports"].get(f"/v1/orgs/{org}/stats", headers=bram),
        "intake coordinator": lambda: http["intake"].post(
            f"/v1/orgs/{org}/volunteers/{volunteer['volunteer_id']}/interview",
            json={"outcome": "doubt"},
            headers=bram,
        ),
        "identity invite": lambda: invite(bram, f"eve-{org}@example.org", ["admin"]),
    }
    expected = {
        "policy role": 200,
        "notify webhook": 201,
        "reports admin": 200,
        "intake coordinator": 201,
        "identity invite": 201,
    }
    # While Bram is a member, each is his to make (once his membership reached the service).
    for kind, request in requests.items():
        if kind == "intake coordinator":
            eventually(apply, timeout=30)
        answer = eventually(
            lambda request=request, kind=kind: (a := request()).status_code == expected[kind] and a,
            timeout=30,
        )
        assert answer.status_code == expected[kind], (kind, answer.text)

    assert (
        http["identity"].delete(f"/v1/orgs/{org}/members/{bram_id}", headers=ada).status_code == 204
    )
    # identity refuses him at once: he cannot invite himself back.
    again = invite(bram, bram_address, ["admin"])
    assert refused(again), again.text
    # Every other service as soon as MemberRemoved reaches it (the token is still valid).
    for kind, request in requests.items():
        answer = eventually(lambda request=request: (a := request()).status_code == 403 and a)
        assert refused(answer), (kind, answer.text)
    # His session is over too, and nothing of what he tried was stored.
    assert (
        http["identity"]
        .post("/v1/tokens", json={"refresh_token": issued.json()["refresh_token"], "org_id": org})
        .status_code
        == 401
    )
    members = http["identity"].get(f"/v1/orgs/{org}/members", headers=ada).json()
    assert bram_address not in {member["email"] for member in members}
    for client in http.values():
        client.close()


def test_a_minted_token_of_a_member_removed_through_the_api_is_refused(
    platform: Platform, infra: Infrastructure
) -> None:
    """`safehands token` records the membership it mints for in identity too, so the minted
    coordinator is an ordinary member: removing them through the API refuses their token."""
    services = platform.start_services()
    org = f"org-{uuid.uuid4().hex[:6]}"
    ada = bearer(infra.token("admin", org, "ada"))
    cora = bearer(infra.token("coordinator", org, "cora"))
    with services["identity"].client() as identity, services["policy"].client() as policy:
        assert policy.get(f"/v1/orgs/{org}/volunteers", headers=cora).status_code == 200
        listed = identity.get(f"/v1/orgs/{org}/members", headers=ada).json()
        assert {(m["sub"], tuple(m["roles"])) for m in listed} == {
            ("ada", ("admin",)),
            ("cora", ("coordinator",)),
        }
        assert identity.delete(f"/v1/orgs/{org}/members/cora", headers=ada).status_code == 204
        answer = eventually(
            lambda: (
                (a := policy.get(f"/v1/orgs/{org}/volunteers", headers=cora)).status_code == 403
                and a
            )
        )
        assert NO_LONGER in answer.json()["detail"]
        # A valid token for a sub that never was a member (minted past the helper, so
        # nothing recorded its membership) is refused as well.
        nobody = mint_token(infra.jwt_private_key, roles=["coordinator"], org=org, sub="nobody")
        stranger = policy.get(f"/v1/orgs/{org}/volunteers", headers=bearer(nobody))
        assert refused(stranger), stranger.text


def test_a_new_admin_or_coordinator_is_announced_to_the_admins_and_the_vcps(
    platform: Platform, infra: Infrastructure
) -> None:
    """identity's MemberAdded now names the new admin or coordinator, and notify mails the
    organisation's admins and every VCP who and which roles: nothing else, no link."""
    services = platform.start_services()
    org = f"org-{uuid.uuid4().hex[:6]}"
    ada_address, vera_address = f"ada-{org}@example.org", f"vera-{org}@example.org"
    bram_address = f"bram-{org}@example.org"
    operator = bearer(infra.token("operator"))
    ada = bearer(infra.token("admin", org, "ada"))
    with (
        services["policy"].client() as policy,
        services["notify"].client() as notify,
        services["reports"].client() as reports,
        services["identity"].client() as identity,
    ):
        registered = policy.post(
            "/v1/orgs",
            json={"org_id": org, "name": "De Bevers", "language": "en"},
            headers=operator,
        )
        assert registered.status_code == 201, registered.text
        contacts = notify.put(
            f"/v1/orgs/{org}/contacts", json={"admins": [ada_address]}, headers=ada
        )
        assert contacts.status_code == 200, contacts.text
        appointed = reports.post(
            f"/v1/orgs/{org}/vcps",
            json={"vcp_id": "vera", "name": "Vera", "email": vera_address},
            headers=ada,
        )
        assert appointed.status_code == 201, appointed.text
        # notify knows the VCP (another topic than identity's) before Bram arrives.
        with MongoClient(infra.mongo_uri) as mongo:
            eventually(
                lambda: mongo[f"{platform.database}_notify"]["vcps"].count_documents(
                    {"org_id": org, "vcp_id": "vera"}
                ),
                timeout=30,
            )
        invited = eventually(
            lambda: (
                (
                    a := identity.post(
                        f"/v1/orgs/{org}/members",
                        json={
                            "email": bram_address,
                            "name": "Bram Bakker",
                            "roles": ["coordinator"],
                        },
                        headers=ada,
                    )
                ).status_code
                == 201
                and a
            ),
            timeout=30,
        )
        assert invited.status_code == 201

    def announcements() -> list[EmailMessage]:
        return [
            m
            for m in mails_to(infra.maildir, ada_address, vera_address, bram_address)
            if str(m["X-SafeHands-Kind"]) == "staff_member_added"
        ]

    eventually(lambda: len(announcements()) == 2, timeout=30)
    mails = announcements()
    assert sorted(str(m["To"]) for m in mails) == sorted([ada_address, vera_address])
    for mail in mails:
        assert str(mail["Subject"]) == "Bram Bakker is now coordinator of De Bevers"
        text = body_text(mail)
        assert "Bram Bakker" in text and "http" not in text and "code" not in text


def test_without_contacts_the_members_hear_of_a_new_coordinator_and_of_applications(
    platform: Platform, infra: Infrastructure
) -> None:
    """With no contacts list, notify mails an organisation's admins and coordinators at the
    addresses identity's MemberAdded gave it: another admin invited through identity hears of
    a new coordinator (who is not told of themself), and the coordinator of an application.
    Before, both mails went nowhere until someone filled in the contacts list."""
    services = platform.start_services()
    org = f"org-{uuid.uuid4().hex[:6]}"
    carla_address, bram_address = f"carla-{org}@example.org", f"bram-{org}@example.org"
    operator = bearer(infra.token("operator"))
    # Ada's token is minted as `safehands token` does: notify has no address of hers.
    ada = bearer(infra.token("admin", org, "ada"))
    with (
        services["policy"].client() as policy,
        services["identity"].client() as identity,
        services["intake"].client() as intake,
    ):
        registered = policy.post(
            "/v1/orgs",
            json={"org_id": org, "name": "De Bevers", "language": "en"},
            headers=operator,
        )
        assert registered.status_code == 201, registered.text

        def invite(address: str, name: str, roles: list[str]) -> httpx.Response:
            answer: httpx.Response = eventually(
                lambda: (
                    (
                        a := identity.post(
                            f"/v1/orgs/{org}/members",
                            json={"email": address, "name": name, "roles": roles},
                            headers=ada,
                        )
                    ).status_code
                    == 201
                    and a
                ),
                timeout=30,
            )
            return answer

        invite(carla_address, "Carla Claes", ["admin"])
        # Carla's MemberAdded is on the same partition as Bram's: notify reads hers first.
        invite(bram_address, "Bram Bakker", ["coordinator"])

        def announcements(address: str) -> list[EmailMessage]:
            return [
                m
                for m in mails_to(infra.maildir, address)
                if str(m["X-SafeHands-Kind"]) == "staff_member_added"
            ]

        [mail] = eventually(lambda: announcements(carla_address), timeout=30)
        assert str(mail["Subject"]) == "Bram Bakker is now coordinator of De Bevers"

        role = {"title": "Coach", "works_with_minors": True, "works_with_vulnerable": False}
        defined = policy.put(f"/v1/orgs/{org}/roles/coach", json=role, headers=ada)
        assert defined.status_code == 200, defined.text
        eventually(
            lambda: (
                intake.post(
                    f"/v1/orgs/{org}/applications",
                    json={"role_id": "coach", "name": "Vince", "email": f"vince-{org}@example.org"},
                ).status_code
                == 202
            ),
            timeout=30,
        )

    def new_applications() -> list[EmailMessage]:
        return [
            m
            for m in mails_to(infra.maildir, bram_address)
            if str(m["X-SafeHands-Kind"]) == "new_application"
        ]

    eventually(new_applications, timeout=30)
    # The announcement went to the others only: never to the new coordinator themself.
    assert announcements(bram_address) == []
