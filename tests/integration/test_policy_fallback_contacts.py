"""The regional centre's fallback contacts (issue 21 item 8): the operator sets them (the whole
list, audited), anyone reads them, nobody else may set them, and the centre's address cannot
be registered as an organisation."""

from __future__ import annotations

from pymongo import MongoClient

from tests.support.audit import chained_entries
from tests.support.platform import Platform, bearer

CONTACTS = [
    {
        "name": "De Kindertelefoon",
        "kind": "national_line",
        "phone": "0800-0432",
        "url": "https://www.kindertelefoon.nl",
        "hours": "elke dag 11:00-21:00",
    },
    {
        "name": "Anna Ankers (vrijwilligerscentrum)",
        "kind": "centre_contact",
        "phone": "  030 123 45 67 ",
        "hours": "ma-vr 9:00-17:00",
    },
]


def test_the_operator_sets_the_fallback_contacts_and_anyone_reads_them(platform: Platform) -> None:
    policy = platform.start("policy")
    operator = bearer(platform.infra.token("operator"))
    with policy.client() as http:
        # Nothing is assumed before the operator sets them.
        assert http.get("/v1/fallback-contacts").json() == {"contacts": []}

        put = http.put("/v1/fallback-contacts", json={"contacts": CONTACTS}, headers=operator)
        assert put.status_code == 200, put.text
        read = http.get("/v1/fallback-contacts")
        assert read.status_code == 200
        contacts = read.json()["contacts"]
        assert [c["name"] for c in contacts] == [c["name"] for c in CONTACTS]
        assert contacts[0]["url"] == "https://www.kindertelefoon.nl"
        assert contacts[1]["phone"] == "030 123 45 67" and contacts[1]["url"] is None

        # Only the operator: not an organisation's admin, not anonymous.
        admin = bearer(platform.infra.token("admin", "some-club"))
        assert (
            http.put("/v1/fallback-contacts", json={"contacts": []}, headers=admin).status_code
            == 403
        )
        assert http.put("/v1/fallback-contacts", json={"contacts": []}).status_code == 401

        # Each can be reached: a phone or an https address; one line each.
        for bad in (
            {**CONTACTS[1], "phone": None},
            {**CONTACTS[0], "phone": None, "url": "http://example.org"},
            {**CONTACTS[0], "kind": "hotline"},
            {**CONTACTS[0], "hours": "ma\nvr"},
        ):
            refused = http.put("/v1/fallback-contacts", json={"contacts": [bad]}, headers=operator)
            assert refused.status_code == 422, bad
            assert refused.json()["detail"]
        assert http.get("/v1/fallback-contacts").json()["contacts"] == contacts

        # The centre's address is no organisation's.
        taken = http.post(
            "/v1/orgs", json={"org_id": "regional-centre", "name": "Nep"}, headers=operator
        )
        assert taken.status_code == 409

    with MongoClient(platform.infra.mongo_uri) as client:
        entries = chained_entries(
            client[f"{platform.database}_policy"],
            "regional-centre",
            {"action": "fallback_contacts.changed"},
        )
    assert len(entries) == 1
    assert entries[0]["actor"]["role"] == "operator"
