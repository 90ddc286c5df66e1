"""Application rate limits hold across intake instances, and keep no client address."""

from __future__ import annotations

import uuid

from pymongo import MongoClient

from shared.runtime.rate_limit import RATE_LIMITS
from tests.support.platform import Platform

LIMITS = {"SAFEHANDS_RATE_LIMIT_PER_CLIENT": "5", "SAFEHANDS_RATE_LIMIT_PER_ORG": "3"}


def test_limits_per_organisation_and_per_client_are_shared_by_two_instances(
    platform: Platform,
) -> None:
    first = platform.start("intake", env=LIMITS)
    second = platform.start("intake", env=LIMITS)
    busy, quiet = f"org-{uuid.uuid4().hex[:6]}", f"org-{uuid.uuid4().hex[:6]}"
    body = {"role_id": "coach", "name": "Anna", "email": "anna@example.org"}

    def apply(instance: int, org: str) -> int:
        with (first, second)[instance].client() as http:
            return http.post(f"/v1/orgs/{org}/applications", json=body).status_code

    # Neither organisation is known to intake (404), but every attempt counts: probing costs.
    assert [apply(i % 2, busy) for i in range(3)] == [404, 404, 404]
    with second.client() as http:
        refused = http.post(f"/v1/orgs/{busy}/applications", json=body)
    assert refused.status_code == 429, "the organisation's limit of 3 is shared by both"
    assert int(refused.headers["Retry-After"]) >= 1
    assert refused.json()["detail"].startswith("Too many requests")

    # The client has made 4 requests; its limit is 5, across organisations and instances.
    assert apply(0, quiet) == 404
    assert apply(1, quiet) == 429

    with MongoClient(platform.infra.mongo_uri) as client:
        collection = client[f"{platform.database}_intake"][RATE_LIMITS]
        counters = list(collection.find())
        ttl = [i for i in collection.list_indexes() if "expireAfterSeconds" in i]
    assert counters and all("expires_at" in doc for doc in counters)
    assert "127.0.0.1" not in repr(counters), "the client address must only be a keyed hash"
    assert [(list(i["key"]), i["expireAfterSeconds"]) for i in ttl] == [(["expires_at"], 0)]
