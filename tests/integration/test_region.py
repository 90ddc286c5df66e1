"""The regional centre's open roles (/vacatures) and news, over real parts: policy (and
notify for the weekly digest) on the test broker and database (issue 25, items 3 and 4)."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta

import httpx
from pymongo import MongoClient

from services.policy.storage import NEWS
from shared.domain.calendar import today
from shared.tenants import REGIONAL_CENTRE
from tests.support.audit import chained_entries
from tests.support.mail import body_text, mails_to
from tests.support.platform import Infrastructure, Platform, bearer, eventually

FAST_JOBS = {"SAFEHANDS_SCHEDULER_INTERVAL_SECONDS": "0.5"}
COACH = {"title": "Youth coach", "works_with_minors": True, "works_with_vulnerable": False}
BAR = {"title": "Bar staff", "works_with_minors": False, "works_with_vulnerable": False}


def register(http: httpx.Client, infra: Infrastructure, name: str) -> str:
    org = f"org-{uuid.uuid4().hex[:6]}"
    created = http.post(
        "/v1/orgs", json={"org_id": org, "name": name}, headers=bearer(infra.token("operator"))
    )
    assert created.status_code == 201, created.text
    return org


def define(http: httpx.Client, org: str, admin: dict[str, str], role_id: str, role: dict) -> None:  # type: ignore[type-arg]
    defined = http.put(f"/v1/orgs/{org}/roles/{role_id}", json=role, headers=admin)
    assert defined.status_code == 200, defined.text


def found(http: httpx.Client, **query: object) -> list[tuple[str, str]]:
    answer = http.get("/v1/open-roles", params=query)
    assert answer.status_code == 200, answer.text
    return [(item["org_id"], item["role_id"]) for item in answer.json()["items"]]


def test_a_listed_role_is_found_by_words_and_place_and_an_unlisted_organisation_never(
    platform: Platform,
) -> None:
    policy = platform.start("policy")
    infra = platform.infra
    with policy.client() as http:
        club = register(http, infra, "Harbour Rowing Club")
        shelter = register(http, infra, "Safe House Shelter")
        club_admin = bearer(infra.token("admin", club))
        shelter_admin = bearer(infra.token("admin", shelter))
        define(http, club, club_admin, "coach", COACH)
        define(http, club, club_admin, "bar", BAR)
        define(http, shelter, shelter_admin, "coach", COACH)
        word = uuid.uuid4().hex[:8]

        # Off by default: a defined role is not on the regional page.
        assert found(http, q=word) == []
        listing = {"listed": True, "place": f"Oss{word}", "hours": "2 hours a week", "text": word}
        listed = http.put(f"/v1/orgs/{club}/roles/coach/listing", json=listing, headers=club_admin)
        assert listed.status_code == 200, listed.text
        assert listed.json() == listing
        # An unknown role, a coordinator, another organisation's admin (its data answers 404),
        # anyone: refused.
        assert (
            http.put(f"/v1/orgs/{club}/roles/nope/listing", json=listing, headers=club_admin)
        ).status_code == 404
        coordinator = bearer(infra.token("coordinator", club))
        for headers, status in ((coordinator, 403), (shelter_admin, 404), ({}, 401)):
            refused = http.put(f"/v1/orgs/{club}/roles/bar/listing", json=listing, headers=headers)
            assert refused.status_code == status, refused.text
        assert (
            http.put(
                f"/v1/orgs/{club}/roles/bar/listing",
                json={**listing, "listed": 1},
                headers=club_admin,
            )
        ).status_code == 422
        # The shelter lists its role too, then chooses not to be findable.
        assert (
            http.put(f"/v1/orgs/{shelter}/roles/coach/listing", json=listing, headers=shelter_admin)
        ).status_code == 200
        assert sorted(found(http, q=word)) == sorted([(club, "coach"), (shelter, "coach")])
        hidden = http.put(
            f"/v1/orgs/{shelter}/settings", json={"listed": False}, headers=shelter_admin
        )
        assert hidden.status_code == 200, hidden.text

        assert found(http, q=word) == [(club, "coach")]
        assert found(http, q=f"youth harbour {word}", place=f"oss{word}") == [(club, "coach")]
        assert found(http, q=word, place="Utrecht") == []
        assert found(http, q=f"bar {word}") == []
        [item] = http.get("/v1/open-roles", params={"place": f"OSS{word}"}).json()["items"]
        assert item == {
            "org_id": club,
            "organisation": "Harbour Rowing Club",
            "role_id": "coach",
            "title": "Youth coach",
            "place": f"Oss{word}",
            "hours": "2 hours a week",
            # From the role's risk profile: it works with minors.
            "vog_required": True,
            "text": word,
            "apply_path": f"/o/{club}/apply?role=coach",
        }
        # The admin's list of roles carries each listing; the log records the change.
        roles = http.get(f"/v1/orgs/{club}/roles", headers=club_admin).json()
        assert {r["role_id"]: r["listing"] for r in roles} == {"bar": None, "coach": listing}
        log = http.get(f"/v1/orgs/{club}/audit", headers=club_admin).json()
        assert any(e["action"] == "role.listing_changed" for e in log)

        # Taken off again: gone.
        off = {**listing, "listed": False}
        assert (
            http.put(f"/v1/orgs/{club}/roles/coach/listing", json=off, headers=club_admin)
        ).status_code == 200
        assert found(http, q=word) == []
        # Bounded and strict.
        # A parameter the search does not know (a misspelt filter) is refused, not ignored.
        for query in (
            {"page_size": 51},
            {"page": 10_001},
            {"q": "x" * 101},
            {"page": "1e3"},
            {"plaats": "Oss"},
        ):
            assert http.get("/v1/open-roles", params=query).status_code == 422, query


def test_news_reaches_the_organisations_it_is_addressed_to_and_only_their_members(
    platform: Platform,
) -> None:
    policy = platform.start("policy")
    infra = platform.infra
    operator = bearer(infra.token("operator"))
    with policy.client() as http:
        sport = register(http, infra, "Football Club")
        care = register(http, infra, "Care Home Friends")
        sport_admin = bearer(infra.token("admin", sport))
        care_admin = bearer(infra.token("admin", care))
        for org, admin, kind in ((sport, sport_admin, "sport"), (care, care_admin, "care")):
            changed = http.put(f"/v1/orgs/{org}/settings", json={"kind": kind}, headers=admin)
            assert changed.status_code == 200 and changed.json()["kind"] == kind, changed.text
            # The other settings kept their values.
            assert changed.json()["listed"] is True and changed.json()["news_digest"] is False

        items = {}
        for audience in ("all", "sport", "care"):
            body = {"title": f"For {audience}", "body": "**Bold** news", "audience": audience}
            published = http.post("/v1/news", json=body, headers=operator)
            assert published.status_code == 201, published.text
            items[audience] = published.json()["news_id"]
        assert (
            http.post("/v1/news", json={"title": "x", "body": "y"}, headers=sport_admin).status_code
            == 403
        )
        bad = http.post(
            "/v1/news", json={"title": "x", "body": "y", "audience": "army"}, headers=operator
        )
        assert bad.status_code == 422

        def titles(org: str, headers: dict[str, str]) -> list[str]:
            answer = http.get(f"/v1/orgs/{org}/news", headers=headers)
            assert answer.status_code == 200, answer.text
            return [item["title"] for item in answer.json()]

        assert titles(sport, sport_admin) == ["For sport", "For all"]
        assert titles(care, care_admin) == ["For care", "For all"]
        assert titles(care, bearer(infra.token("coordinator", care))) == ["For care", "For all"]
        [first] = [
            i
            for i in http.get(f"/v1/orgs/{sport}/news", headers=sport_admin).json()
            if i["title"] == "For sport"
        ]
        assert first["body"] == "**Bold** news"
        # Members only: never anonymous, never another organisation's admin, never a volunteer.
        assert http.get(f"/v1/orgs/{sport}/news").status_code == 401
        assert http.get(f"/v1/orgs/{care}/news", headers=sport_admin).status_code == 404
        assert (
            http.get(
                f"/v1/orgs/{sport}/news", headers=bearer(infra.token("volunteer", sport))
            ).status_code
            == 403
        )
        assert http.get("/v1/news").status_code == 401
        assert len(http.get("/v1/news", headers=operator).json()) >= 3
    # The operator's publishing is in the centre's audit chain, each item once.
    with MongoClient(infra.mongo_uri) as client:
        entries = chained_entries(
            client[f"{platform.database}_policy"], REGIONAL_CENTRE, {"action": "news.published"}
        )
        logged = [(e["object"]["id"], e["actor"]["role"]) for e in entries]
    assert sorted(logged) == sorted((news_id, "operator") for news_id in items.values())


def test_the_centre_corrects_and_withdraws_news_it_published(platform: Platform) -> None:
    """A typo or a wrong date in an item: the operator corrects it (it keeps its day of
    publication) or withdraws it; only the operator may; each is in the centre's audit chain."""
    policy = platform.start("policy")
    infra = platform.infra
    operator = bearer(infra.token("operator"))
    with policy.client() as http:
        sport = register(http, infra, "Hockey Club")
        admin = bearer(infra.token("admin", sport))
        assert http.put(f"/v1/orgs/{sport}/settings", json={"kind": "sport"}, headers=admin)
        body = {"title": "Evening on 3 March", "body": "Come.", "audience": "sport"}
        published = http.post("/v1/news", json=body, headers=operator).json()
        news_id = published["news_id"]
        assert published["edited_at"] is None

        corrected = {"title": "Evening on 4 March", "body": "Come *too*.", "audience": "all"}
        assert http.put(f"/v1/news/{news_id}", json=corrected, headers=admin).status_code == 403
        assert http.put(f"/v1/news/{news_id}", json=corrected).status_code == 401
        unknown = http.put(f"/v1/news/{uuid.uuid4()}", json=corrected, headers=operator)
        assert unknown.status_code == 404 and "no such news" in unknown.json()["detail"]
        wrong = {**corrected, "audience": "army"}
        assert http.put(f"/v1/news/{news_id}", json=wrong, headers=operator).status_code == 422
        edited = http.put(f"/v1/news/{news_id}", json=corrected, headers=operator)
        assert edited.status_code == 200, edited.text
        item = edited.json()
        assert {k: item[k] for k in corrected} == corrected
        assert item["published_at"] == published["published_at"]
        assert item["edited_at"] is not None
        [seen] = [i for i in http.get(f"/v1/orgs/{sport}/news", headers=admin).json()]
        assert (seen["title"], seen["body"]) == ("Evening on 4 March", "Come *too*.")

        assert http.delete(f"/v1/news/{news_id}", headers=admin).status_code == 403
        assert http.delete(f"/v1/news/{news_id}", headers=operator).status_code == 204
        assert http.get(f"/v1/orgs/{sport}/news", headers=admin).json() == []
        assert news_id not in [i["news_id"] for i in http.get("/v1/news", headers=operator).json()]
        assert http.delete(f"/v1/news/{news_id}", headers=operator).status_code == 404
        assert http.put(f"/v1/news/{news_id}", json=corrected, headers=operator).status_code == 404

        # The operators read the centre's whole log, each other's changes included; an
        # organisation's admin does not.
        centre_log = f"/v1/orgs/{REGIONAL_CENTRE}/audit"
        logged = http.get(centre_log, headers=operator)
        assert logged.status_code == 200, logged.text
        ours = [
            (e["action"], e["actor"]["role"]) for e in logged.json() if e["object"]["id"] == news_id
        ]
        assert ours == [
            ("news.published", "operator"),
            ("news.edited", "operator"),
            ("news.withdrawn", "operator"),
        ]
        assert http.get(centre_log, headers=admin).status_code == 404
        assert http.get(centre_log).status_code == 401
    with MongoClient(infra.mongo_uri) as client:
        database = client[f"{platform.database}_policy"]
        for action in ("news.edited", "news.withdrawn"):
            entries = chained_entries(database, REGIONAL_CENTRE, {"action": action})
            assert [(e["object"]["id"], e["actor"]["role"]) for e in entries] == [
                (news_id, "operator")
            ], action


def seed_news(platform: Platform) -> None:
    """News of last week, as policy would have stored it then; and this week's, not yet due."""
    last_week = datetime.combine(today(), datetime.min.time(), tzinfo=UTC) - timedelta(days=7)
    with MongoClient(platform.infra.mongo_uri) as client:
        news = client[f"{platform.database}_policy"][NEWS]
        for title, audience, at in (
            ("Sport safety evening", "sport", last_week),
            ("For care homes", "care", last_week),
            ("Not yet", "all", datetime.now(UTC)),
        ):
            news.insert_one(
                {
                    "org_id": REGIONAL_CENTRE,
                    "news_id": str(uuid.uuid4()),
                    "title": title,
                    "body": "text",
                    "audience": audience,
                    "published_at": at,
                }
            )


def test_the_weekly_digest_mails_last_weeks_news_once_to_the_admins_who_asked(
    platform: Platform,
) -> None:
    # Two policy instances run the job; the lease and the week's mark send it once.
    first = platform.start("policy", env=FAST_JOBS)
    platform.start("policy", env=FAST_JOBS)
    notify = platform.start("notify")
    infra = platform.infra
    admin_address = f"admin-{uuid.uuid4().hex[:6]}@example.org"
    other_address = f"admin-{uuid.uuid4().hex[:6]}@example.org"
    with first.client() as http, notify.client() as mail:
        wanting = register(http, infra, "Tennis Club")
        quiet = register(http, infra, "Chess Club")
        # Before the digest is asked for: the job marks a week done in its first run.
        seed_news(platform)
        for org, address, digest in ((wanting, admin_address, True), (quiet, other_address, False)):
            admin = bearer(infra.token("admin", org))
            # The admins' addresses first: the digest may be due at once.
            contacts = {"coordinators": [], "admins": [address]}
            assert (
                mail.put(f"/v1/orgs/{org}/contacts", json=contacts, headers=admin).status_code
                == 200
            )
            settings = {"kind": "sport", "news_digest": digest}
            assert (
                http.put(f"/v1/orgs/{org}/settings", json=settings, headers=admin).status_code
                == 200
            )
    (digest,) = eventually(lambda: mails_to(infra.maildir, admin_address), timeout=60)
    text = body_text(digest)
    assert "- Sport safety evening" in text and "/admin/news" in text
    assert "care homes" not in text and "Not yet" not in text and "**" not in text
    time.sleep(3)
    assert len(mails_to(infra.maildir, admin_address)) == 1
    assert mails_to(infra.maildir, other_address) == []
