"""The regional centre's trainings over HTTP (issue 25 item 2), policy and notify as
separate processes on the real broker, database and SMTP sink: the operator publishes a
training of one seat, members of two organisations fill it and its waiting list, a
cancelled seat goes to the first waiting (by mail), attendance reaches the admin's
checklist, the calendar files parse, and the day's reminder is mailed by the sweep."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from icalendar import Calendar
from pymongo import MongoClient

from tests.e2e.test_reporting_flow import database
from tests.support.admission import bearer
from tests.support.audit import chained_entries
from tests.support.mail import body_text, mails_to
from tests.support.platform import Infrastructure, Platform, RunningService, eventually

pytestmark = pytest.mark.e2e

WEB = "https://safehands.example.org"


@pytest.fixture(scope="module")
def services(infra: Infrastructure) -> Iterator[dict[str, RunningService]]:
    platform = Platform(infra)
    fast = {"SAFEHANDS_SCHEDULER_INTERVAL_SECONDS": "0.5", "SAFEHANDS_WEB_URL": WEB}
    try:
        yield {
            "policy": platform.start("policy", env=fast),
            "notify": platform.start("notify", env=fast),
        }
    finally:
        platform.stop_all()


@pytest.fixture
def policy(services: dict[str, RunningService]) -> Iterator[httpx.Client]:
    with services["policy"].client() as client:
        yield client


def new_org(policy: httpx.Client, operator: dict[str, str]) -> str:
    org_id = f"org-{uuid.uuid4().hex[:6]}"
    body = {"org_id": org_id, "name": f"Zwemclub {org_id[-4:]}", "language": "nl"}
    assert policy.post("/v1/orgs", json=body, headers=operator).status_code == 201
    return org_id


def training_body(seats: int, starts_in: timedelta) -> dict[str, object]:
    start = datetime.now(UTC) + starts_in
    return {
        "title": "Basistraining vertrouwenscontactpersoon",
        "description": "Wat een VCP doet en niet doet.",
        "audience": ["vcps"],
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=3)).isoformat(),
        "place": "Utrecht, Stadhuisplein 1",
        "seats": seats,
    }


def test_a_full_training_fills_its_waiting_list_and_gives_a_freed_seat_to_the_first(
    infra: Infrastructure, policy: httpx.Client, services: dict[str, RunningService]
) -> None:
    operator = bearer(infra.token("operator"))
    club, choir = new_org(policy, operator), new_org(policy, operator)
    anna = bearer(infra.token("volunteer", club, "anna"))
    bram = bearer(infra.token("vcp", choir, "bram"))
    carla = bearer(infra.token("coordinator", choir, "carla"))
    choir_admin = bearer(infra.token("admin", choir, "dirk"))
    bram_mail = f"bram-{uuid.uuid4().hex[:6]}@example.org"

    # Only the operator publishes; a training needs a place or a link and an end after it.
    body = training_body(seats=1, starts_in=timedelta(hours=20))
    assert policy.post("/v1/trainings", json=body, headers=choir_admin).status_code == 403
    nowhere = policy.post("/v1/trainings", json={**body, "place": None}, headers=operator)
    assert nowhere.status_code == 422 and "place or an online link" in nowhere.json()["detail"]
    published = policy.post("/v1/trainings", json=body, headers=operator)
    assert published.status_code == 201, published.text
    training_id = published.json()["training_id"]
    assert any(
        t["training_id"] == training_id for t in policy.get("/v1/trainings", headers=anna).json()
    )

    def register(org: str, who: dict[str, str], email: str) -> httpx.Response:
        return policy.post(
            f"/v1/orgs/{org}/trainings/{training_id}/registrations",
            json={"name": "Lid", "email": email, "language": "nl"},
            headers=who,
        )

    # Anna takes the one seat; Bram, then Carla wait, in that order.
    seat = register(club, anna, "anna@example.org")
    assert seat.status_code == 201 and seat.json()["status"] == "confirmed"
    first = register(choir, bram, bram_mail)
    assert first.json()["status"] == "waiting" and first.json()["position"] == 1
    assert register(choir, bram, bram_mail).status_code == 409
    second = register(choir, carla, "carla@example.org")
    assert second.json()["position"] == 2
    # A member registers only for themself, in their own organisation.
    assert register(club, bram, bram_mail).status_code == 404

    # One organisation never reaches another's registrations.
    anna_id = seat.json()["registration_id"]
    assert (
        policy.delete(
            f"/v1/orgs/{choir}/training-registrations/{anna_id}", headers=bram
        ).status_code
        == 404
    )
    assert (
        policy.delete(f"/v1/orgs/{club}/training-registrations/{anna_id}", headers=bram).status_code
        == 404
    )
    mine = policy.get(f"/v1/orgs/{choir}/training-registrations", headers=bram).json()
    assert [r["registration_id"] for r in mine] == [first.json()["registration_id"]]
    assert (
        policy.get(f"/v1/trainings/{training_id}/registrations", headers=choir_admin).status_code
        == 403
    )

    # Anna cancels: her seat goes to Bram, who is told by mail; Carla is next.
    cancelled = policy.delete(f"/v1/orgs/{club}/training-registrations/{anna_id}", headers=anna)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    mine = policy.get(f"/v1/orgs/{choir}/training-registrations", headers=bram).json()
    assert mine[0]["status"] == "confirmed"
    carla_now = policy.get(f"/v1/orgs/{choir}/training-registrations", headers=carla).json()
    assert carla_now[0]["position"] == 1
    seat_mail = eventually(
        lambda: next(
            (m for m in mails_to(infra.maildir, bram_mail) if "plaats" in str(m["Subject"])), None
        )
    )
    assert "Basistraining vertrouwenscontactpersoon" in str(seat_mail["Subject"])
    assert f"{WEB}/me#trainings" in body_text(seat_mail)

    # The operator's view, per training and per organisation; attendance is marked.
    overview = policy.get(f"/v1/trainings/{training_id}/registrations", headers=operator).json()
    assert {
        (o["member_org"], o["confirmed"], o["waiting"]) for o in overview["per_organisation"]
    } == {(choir, 1, 1)}
    bram_id = first.json()["registration_id"]
    carla_id = second.json()["registration_id"]
    attendance = f"/v1/trainings/{training_id}/registrations/{{}}/attendance"
    waiting = policy.put(attendance.format(carla_id), json={"attended": True}, headers=operator)
    assert waiting.status_code == 409
    assert (
        policy.put(attendance.format(bram_id), json={"attended": True}, headers=bram).status_code
        == 403
    )
    checklist = f"/v1/orgs/{choir}/checklist"
    before = policy.get(checklist, headers=choir_admin).json()["pillars"]["vcp"]["items"]
    assert {i["item"]: i["done"] for i in before}["train_vcp"] is False
    marked = policy.put(attendance.format(bram_id), json={"attended": True}, headers=operator)
    assert marked.status_code == 200 and marked.json()["attended"] is True
    after = policy.get(checklist, headers=choir_admin).json()["pillars"]["vcp"]["items"]
    assert {i["item"]: i["done"] for i in after}["train_vcp"] is True
    # Not the other organisation's checklist.
    club_items = policy.get(
        f"/v1/orgs/{club}/checklist", headers=bearer(infra.token("admin", club))
    ).json()
    assert {i["item"]: i["done"] for i in club_items["pillars"]["vcp"]["items"]}[
        "train_vcp"
    ] is False

    # The calendar files: the training's, and Bram's own registration (not Carla's).
    ics = policy.get(f"/v1/trainings/{training_id}/calendar.ics", headers=carla)
    assert ics.headers["content-type"].startswith("text/calendar")
    assert (
        'filename="basistraining-vertrouwenscontactpersoon.ics"'
        in ics.headers["content-disposition"]
    )
    event = Calendar.from_ical(ics.content).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Basistraining vertrouwenscontactpersoon"
    assert str(event["LOCATION"]) == "Utrecht, Stadhuisplein 1"
    own = policy.get(
        f"/v1/orgs/{choir}/training-registrations/{bram_id}/calendar.ics", headers=bram
    )
    assert str(Calendar.from_ical(own.content).walk("VEVENT")[0]["STATUS"]) == "CONFIRMED"
    theirs = f"/v1/orgs/{choir}/training-registrations/{carla_id}/calendar.ics"
    assert policy.get(theirs, headers=bram).status_code == 404

    # Every change is in the centre's audit chain, by whom it was made.
    with MongoClient(infra.mongo_uri) as client:
        actions = {
            (entry["action"], entry["actor"]["sub"])
            for entry in chained_entries(client[database(services["policy"])], "regional-centre")
        }
    assert {
        ("training.published", "test-operator"),
        ("training.registered", "bram"),
        ("training.registration_cancelled", "anna"),
        ("training.attendance_marked", "test-operator"),
    } <= actions

    # Less than a day before: the sweep mails Bram the day's reminder, once.
    reminder = eventually(
        lambda: next(
            (m for m in mails_to(infra.maildir, bram_mail) if "Morgen" in str(m["Subject"])), None
        )
    )
    assert "Basistraining" in str(reminder["Subject"])
    assert sum("Morgen" in str(m["Subject"]) for m in mails_to(infra.maildir, bram_mail)) == 1


def test_of_many_registering_at_once_exactly_the_seats_are_given(
    infra: Infrastructure, policy: httpx.Client
) -> None:
    operator = bearer(infra.token("operator"))
    org = new_org(policy, operator)
    body = training_body(seats=3, starts_in=timedelta(days=30))
    training_id = policy.post("/v1/trainings", json=body, headers=operator).json()["training_id"]
    members = [bearer(infra.token("volunteer", org, f"m{i}")) for i in range(8)]

    def register(who: dict[str, str]) -> str:
        number = members.index(who)
        with httpx.Client(base_url=str(policy.base_url), timeout=30) as client:
            answer = client.post(
                f"/v1/orgs/{org}/trainings/{training_id}/registrations",
                json={"name": f"Lid {number}", "email": "lid@example.org"},
                headers=who,
            )
        assert answer.status_code == 201, answer.text
        return str(answer.json()["status"])

    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(register, members))
    assert statuses.count("confirmed") == 3 and statuses.count("waiting") == 5
    listed = next(
        t
        for t in policy.get("/v1/trainings", headers=members[0]).json()
        if t["training_id"] == training_id
    )
    assert (listed["seats_left"], listed["waiting"]) == (0, 5)

    # The three with a seat cancel at once: the three first waiting get one each, in order.
    overview = policy.get(f"/v1/trainings/{training_id}/registrations", headers=operator).json()
    rows = overview["registrations"]
    seated = [r for r in rows if r["status"] == "confirmed"]
    queue = sorted((r for r in rows if r["status"] == "waiting"), key=lambda r: r["position"])
    holder = {r["registration_id"]: members[int(r["name"][-1])] for r in rows}

    def cancel(registration_id: str) -> int:
        with httpx.Client(base_url=str(policy.base_url), timeout=30) as client:
            path = f"/v1/orgs/{org}/training-registrations/{registration_id}"
            return client.delete(path, headers=holder[registration_id]).status_code

    with ThreadPoolExecutor(3) as pool:
        assert list(pool.map(cancel, [r["registration_id"] for r in seated])) == [200] * 3
    after = policy.get(f"/v1/trainings/{training_id}/registrations", headers=operator).json()
    now_seated = {
        r["registration_id"] for r in after["registrations"] if r["status"] == "confirmed"
    }
    assert now_seated == {r["registration_id"] for r in queue[:3]}
    still_waiting = [r for r in after["registrations"] if r["status"] == "waiting"]
    assert sorted(r["position"] for r in still_waiting) == [1, 2]
    assert (after["training"]["seats_left"], after["training"]["waiting"]) == (0, 2)


def test_a_cancelled_training_ends_every_registration_and_tells_each_member(
    infra: Infrastructure, policy: httpx.Client, services: dict[str, RunningService]
) -> None:
    operator = bearer(infra.token("operator"))
    club = new_org(policy, operator)
    anna = bearer(infra.token("vcp", club, "anna"))
    bram = bearer(infra.token("coordinator", club, "bram"))
    club_admin = bearer(infra.token("admin", club, "carla"))
    anna_mail = f"anna-{uuid.uuid4().hex[:6]}@example.org"
    bram_mail = f"bram-{uuid.uuid4().hex[:6]}@example.org"
    body = training_body(seats=1, starts_in=timedelta(days=20))
    training_id = policy.post("/v1/trainings", json=body, headers=operator).json()["training_id"]
    registrations = f"/v1/orgs/{club}/trainings/{training_id}/registrations"
    seat = policy.post(registrations, json={"name": "Anna", "email": anna_mail}, headers=anna)
    waiting = policy.post(
        registrations, json={"name": "Bram", "email": bram_mail, "language": "en"}, headers=bram
    )
    assert (seat.json()["status"], waiting.json()["status"]) == ("confirmed", "waiting")

    cancel = f"/v1/trainings/{training_id}/cancellation"
    assert policy.post(cancel, headers=club_admin).status_code == 403
    cancelled = policy.post(cancel, headers=operator)
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["cancelled_at"] is not None
    assert (cancelled.json()["seats_left"], cancelled.json()["waiting"]) == (1, 0)
    again = policy.post(cancel, headers=operator)
    assert again.status_code == 409 and "cancelled" in again.json()["detail"]

    # Listed, marked; no one can register any more; the seat and the waiting place ended.
    listed = {t["training_id"]: t for t in policy.get("/v1/trainings", headers=anna).json()}
    assert listed[training_id]["cancelled_at"] is not None
    late = policy.post(
        registrations, json={"name": "Carla", "email": "c@example.org"}, headers=club_admin
    )
    assert late.status_code == 409 and "cancelled" in late.json()["detail"]
    for who in (anna, bram):
        mine = policy.get(f"/v1/orgs/{club}/training-registrations", headers=who).json()
        assert training_id not in {r["training_id"] for r in mine}
    overview = policy.get(f"/v1/trainings/{training_id}/registrations", headers=operator).json()
    assert overview["registrations"] == [] and overview["training"]["cancelled_at"]
    ics = policy.get(f"/v1/trainings/{training_id}/calendar.ics", headers=anna)
    assert str(Calendar.from_ical(ics.content).walk("VEVENT")[0]["STATUS"]) == "CANCELLED"

    # Each member is told once, in the language they registered in.
    dutch = eventually(lambda: mails_to(infra.maildir, anna_mail) or None)
    english = eventually(lambda: mails_to(infra.maildir, bram_mail) or None)
    assert str(dutch[0]["Subject"]) == f"Gaat niet door: {body['title']}"
    assert str(english[0]["Subject"]) == f"Cancelled: {body['title']}"
    assert f"{WEB}/me#trainings" in body_text(english[0])

    def audited() -> bool | None:
        with MongoClient(infra.mongo_uri) as client:
            chain = client[database(services["policy"])]["audit_log"]
            found = chain.find_one(
                {
                    "org_id": "regional-centre",
                    "action": "training.cancelled",
                    "object.id": training_id,
                }
            )
        return found is not None or None

    assert eventually(audited)
    assert len(mails_to(infra.maildir, anna_mail)) == 1
