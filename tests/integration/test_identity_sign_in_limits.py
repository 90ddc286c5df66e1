"""Sign-in requests are limited per address and per client, across identity instances."""

from __future__ import annotations

import uuid

from tests.support.platform import Platform

LIMITS = {
    "SAFEHANDS_SIGN_IN_LIMIT_PER_ADDRESS": "3",
    "SAFEHANDS_SIGN_IN_LIMIT_PER_CLIENT": "7",
}


def test_too_many_sign_in_requests_get_429_with_retry_after(platform: Platform) -> None:
    # Two instances: the counters live in the database, so they count together.
    first, second = (platform.start("identity", env=LIMITS) for _ in range(2))
    address = f"someone-{uuid.uuid4().hex[:6]}@example.org"
    with first.client() as one, second.client() as two:
        answers = [
            client.post("/v1/sign-in", json={"email": address}).status_code
            for client in (one, two, one)
        ]
        assert answers == [202, 202, 202]
        refused = two.post("/v1/sign-in", json={"email": address.upper()})
        assert refused.status_code == 429
        assert 1 <= int(refused.headers["Retry-After"]) <= 900
        assert refused.json() == {
            "detail": "Too many sign-in requests; please wait a little and try again."
        }
        assert address not in refused.text

        # Per client: 4 requests so far; other addresses get 3 more, then none.
        others = [f"other-{i}-{uuid.uuid4().hex[:6]}@example.org" for i in range(4)]
        statuses = [one.post("/v1/sign-in", json={"email": a}).status_code for a in others]
        assert statuses == [202, 202, 202, 429]
