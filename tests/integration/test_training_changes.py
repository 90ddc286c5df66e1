"""The centre changes a training, over real parts: policy and notify on the test broker,
database and SMTP sink, through policy's HTTP API. A new time reaches every registration
(seat and waiting list) once, in the language it was made in, and the calendar files keep
their UID with SEQUENCE one higher; a wording-only correction mails nobody; more seats go to
the waiting list's first, mailed as a freed seat; fewer than are taken, a training that was
cancelled, an end before the start, someone else than the operator: refused. Every change is
in the centre's audit chain."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from icalendar import Calendar
from pymongo import MongoClient

from shared.tenants import REGIONAL_CENTRE
from tests.support.audit import chained_entries
from tests.support.mail import body_text, mails_to
from tests.support.platform import Platform, bearer, eventually

WEB = "https://safehands.example.org"
TITLE = "Basistraining vertrouwenscontactpersoon"


def training_body(start: datetime, **fields: Any) -> dict[str, Any]:
    return {
        "title": TITLE,
        "description": "Wat een VCP doet en niet doet.",
        "audience": ["vcps"],
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=3)).isoformat(),
        "place": "Utrecht, Stadhuisplein 1",
        "seats": 2,
        **fields,
    }


def calendar_event(answer: httpx.Response) -> Any:
    assert answer.status_code == 200, answer.text
    return Calendar.from_ical(answer.content).walk("VEVENT")[0]


def test_a_changed_time_reaches_every_registration_once_and_updates_its_calendar(
    platform: Platform,
) -> None:
    fast = {"SAFEHANDS_WEB_URL": WEB}
    policy = platform.start("policy", env=fast)
    platform.start("notify", env=fast)
    infra = platform.infra
    operator = bearer(infra.token("operator"))
    addresses = {
        who: f"{who}-{uuid.uuid4().hex[:6]}@example.org" for who in ("anna", "bram", "cor")
    }
    with policy.client() as http:
        org = f"org-{uuid.uuid4().hex[:6]}"
        body = {"org_id": org, "name": "Zwemclub De Golf"}
        assert http.post("/v1/orgs", json=body, headers=operator).status_code == 201
        members = {who: bearer(infra.token("vcp", org, who)) for who in addresses}
        admin = bearer(infra.token("admin", org))
        start = (datetime.now(UTC) + timedelta(days=10)).replace(microsecond=0)
        published = http.post("/v1/trainings", json=training_body(start), headers=operator)
        assert published.status_code == 201, published.text
        training_id = published.json()["training_id"]
        assert published.json()["changed_at"] is None

        # Anna (Dutch) and Bram (English) take the two seats; Cor (Dutch) waits.
        registration_ids = {}
        for who, language in (("anna", "nl"), ("bram", "en"), ("cor", "nl")):
            registered = http.post(
                f"/v1/orgs/{org}/trainings/{training_id}/registrations",
                json={"name": who.title(), "email": addresses[who], "language": language},
                headers=members[who],
            )
            assert registered.status_code == 201, registered.text
            registration_ids[who] = registered.json()["registration_id"]
        assert registered.json()["status"] == "waiting"

        def own_calendar(who: str) -> Any:
            path = f"/v1/orgs/{org}/training-registrations/{registration_ids[who]}/calendar.ics"
            return calendar_event(http.get(path, headers=members[who]))

        training_ics = f"/v1/trainings/{training_id}/calendar.ics"
        before = calendar_event(http.get(training_ics, headers=operator))
        anna_before = own_calendar("anna")
        assert before["SEQUENCE"] == anna_before["SEQUENCE"] == 0

        change = f"/v1/trainings/{training_id}"
        later = start + timedelta(days=1, hours=2)
        moved = training_body(later)
        # Only the operator, signed in; a training that exists; checked as a new one.
        assert http.put(change, json=moved, headers=admin).status_code == 403
        assert http.put(change, json=moved).status_code == 401
        unknown = http.put(f"/v1/trainings/{uuid.uuid4()}", json=moved, headers=operator)
        assert unknown.status_code == 404 and "no such training" in unknown.json()["detail"]
        backwards = {**moved, "ends_at": (later - timedelta(hours=1)).isoformat()}
        refused = http.put(change, json=backwards, headers=operator)
        assert refused.status_code == 422 and "end after it starts" in refused.json()["detail"]
        # Two seats are taken: one seat would bump someone off.
        fewer = http.put(change, json={**moved, "seats": 1}, headers=operator)
        assert fewer.status_code == 409 and "2 seats" in fewer.json()["detail"]

        changed = http.put(change, json=moved, headers=operator)
        assert changed.status_code == 200, changed.text
        answer = changed.json()
        assert answer["changed_at"] is not None and answer["registrants_mailed"] == 3
        assert datetime.fromisoformat(answer["starts_at"]) == later
        listed = {t["training_id"]: t for t in http.get("/v1/trainings", headers=admin).json()}
        assert listed[training_id]["starts_at"] == answer["starts_at"]
        assert listed[training_id]["changed_at"] == answer["changed_at"]

        # Each registration, seat or waiting list, is mailed once, in its own language.
        mails = {
            who: eventually(lambda who=who: mails_to(infra.maildir, addresses[who]) or None)
            for who in addresses
        }
        assert str(mails["anna"][0]["Subject"]) == f"Gewijzigd: {TITLE}"
        assert str(mails["cor"][0]["Subject"]) == f"Gewijzigd: {TITLE}"
        assert str(mails["bram"][0]["Subject"]) == f"Changed: {TITLE}"
        english = body_text(mails["bram"][0])
        assert "changed the start and the end of the training" in english
        assert "Where: Utrecht, Stadhuisplein 1" in english
        assert f"{WEB}/me#trainings" in english

        # The calendar files: the same UIDs, SEQUENCE 1, the new time.
        after = calendar_event(http.get(training_ics, headers=members["anna"]))
        anna_after = own_calendar("anna")
        assert (str(after["UID"]), after["SEQUENCE"]) == (str(before["UID"]), 1)
        assert (str(anna_after["UID"]), anna_after["SEQUENCE"]) == (str(anna_before["UID"]), 1)
        assert after.decoded("DTSTART") == anna_after.decoded("DTSTART") == later
        mine = http.get(f"/v1/orgs/{org}/training-registrations", headers=members["anna"]).json()
        assert datetime.fromisoformat(mine[0]["starts_at"]) == later

        # The same again changes nothing; a new title alone mails nobody; a third seat goes
        # to Cor, told as for a freed seat.
        again = http.put(change, json=moved, headers=operator)
        assert again.status_code == 200 and again.json()["registrants_mailed"] == 0
        retitled = http.put(change, json={**moved, "title": f"{TITLE} (1)"}, headers=operator)
        assert retitled.json()["registrants_mailed"] == 0
        more = http.put(
            change, json={**moved, "title": f"{TITLE} (1)", "seats": 3}, headers=operator
        )
        assert more.status_code == 200, more.text
        assert (more.json()["seats_left"], more.json()["waiting"]) == (0, 0)
        seat = eventually(
            lambda: next(
                (
                    m
                    for m in mails_to(infra.maildir, addresses["cor"])
                    if "plaats" in str(m["Subject"])
                ),
                None,
            )
        )
        assert f"{TITLE} (1)" in str(seat["Subject"])
        assert own_calendar("cor")["SEQUENCE"] == 2

        # Once cancelled, a training is not changed; its files say so under SEQUENCE 3.
        assert http.post(f"{change}/cancellation", headers=operator).status_code == 200
        late = http.put(change, json=moved, headers=operator)
        assert late.status_code == 409 and "cancelled" in late.json()["detail"]
        cancelled = calendar_event(http.get(training_ics, headers=operator))
        assert (str(cancelled["STATUS"]), cancelled["SEQUENCE"]) == ("CANCELLED", 3)

    # Nobody got a second mail about the change (the cancellation's came after it).
    time.sleep(1)
    for who in ("anna", "bram"):
        subjects = [str(m["Subject"]) for m in mails_to(infra.maildir, addresses[who])]
        assert sum(s.startswith(("Gewijzigd", "Changed")) for s in subjects) == 1, subjects
    with MongoClient(infra.mongo_uri) as client:
        database = client[f"{platform.database}_policy"]
        query = {"action": "training.changed", "object.id": training_id}
        entries = chained_entries(database, REGIONAL_CENTRE, query)
    # Three changes were saved (the same body sent again is none), each by the operator.
    assert [(e["object"]["type"], e["actor"]["role"]) for e in entries] == [
        ("training", "operator")
    ] * 3
