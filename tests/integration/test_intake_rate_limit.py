"""Application rate limits hold across intake instances, and keep no client address. There is
no limit per organisation that clients add up to (shared/runtime/proof_of_work.py)."""

from __future__ import annotations

import uuid

from pymongo import MongoClient

from shared.runtime.rate_limit import RATE_LIMITS
from tests.support.platform import Platform

LIMITS = {
    "SAFEHANDS_RATE_LIMIT_PER_CLIENT": "5",
    # Loopback is the gateway here: its X-Forwarded-For names the client.
    "SAFEHANDS_TRUSTED_PROXIES": "127.0.0.1/32,::1/128",
}


def test_the_limit_per_client_is_shared_by_two_instances_and_none_per_organisation(
    platform: Platform,
) -> None:
    first = platform.start("intake", env=LIMITS)
    second = platform.start("intake", env=LIMITS)
    busy, quiet = f"org-{uuid.uuid4().hex[:6]}", f"org-{uuid.uuid4().hex[:6]}"
    body = {"role_id": "coach", "name": "Anna", "email": "anna@example.org"}

    def apply(instance: int, org: str, client: str = "198.51.100.1") -> int:
        with (first, second)[instance].client() as http:
            headers = {"X-Forwarded-For": client}
            return http.post(f"/v1/orgs/{org}/applications", json=body, headers=headers).status_code

    # Neither organisation is known to intake (404), but every attempt counts: probing costs.
    assert [apply(i % 2, busy) for i in range(4)] == [404] * 4
    # The client has made 4 requests; its limit is 5, across organisations and instances.
    assert apply(0, quiet) == 404
    with second.client() as http:
        refused = http.post(
            f"/v1/orgs/{quiet}/applications", json=body, headers={"X-Forwarded-For": "198.51.100.1"}
        )
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) >= 1
    assert refused.json()["detail"].startswith("Too many requests")

    # Many clients together are never refused for the organisation's sake (the old shared
    # limit of the organisation let about 25 addresses silence it for an hour).
    others = [apply(n % 2, busy, f"198.51.100.{n}") for n in range(10, 30)]
    assert others == [404] * 20

    with MongoClient(platform.infra.mongo_uri) as client:
        collection = client[f"{platform.database}_intake"][RATE_LIMITS]
        counters = list(collection.find())
        ttl = [i for i in collection.list_indexes() if "expireAfterSeconds" in i]
    assert counters and all("expires_at" in doc for doc in counters)
    assert "198.51.100" not in repr(counters), "the client address must only be a keyed hash"
    assert [(list(i["key"]), i["expireAfterSeconds"]) for i in ttl] == [(["expires_at"], 0)]
