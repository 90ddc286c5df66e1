"""Text that is not Unicode: JSON may escape half of a surrogate pair ("\\ud800"), which
decodes to a Python string that no database, event or mail can hold. Every service refuses
such a body with 422 and a sentence, and stores nothing."""

from __future__ import annotations

from pymongo import MongoClient

from tests.support.platform import Platform, bearer

LONE_HIGH = b'"Anna \\ud800"'
LONE_LOW = b'"\\udc00 Visser"'


def _json(name: bytes) -> bytes:
    return b'{"org_id": "club-unicode", "name": ' + name + b', "language": "nl"}'


def test_a_lone_surrogate_is_refused_with_a_sentence_and_nothing_is_stored(
    platform: Platform,
) -> None:
    policy = platform.start("policy")
    operator = bearer(platform.infra.token("operator"))
    with policy.client() as http:
        for name in (LONE_HIGH, LONE_LOW):
            answer = http.post(
                "/v1/orgs",
                content=_json(name),
                headers={**operator, "Content-Type": "application/json"},
            )
            assert answer.status_code == 422, answer.text
            assert "unicode" in answer.json()["detail"].lower()
        # A pair that makes one character, and an escaped backslash before "u", are fine.
        fine = http.post(
            "/v1/orgs",
            content=_json(b'"Anna \\ud83d\\ude00 \\\\ud800"'),
            headers={**operator, "Content-Type": "application/json"},
        )
        assert fine.status_code == 201, fine.text
        assert http.get("/v1/orgs/club-unicode/public").json()["name"] == "Anna \U0001f600 \\ud800"
    with MongoClient(platform.infra.mongo_uri) as client:
        names = [
            d.get("name") for d in client[f"{platform.database}_policy"]["organisations"].find()
        ]
    assert names == ["Anna \U0001f600 \\ud800"]
