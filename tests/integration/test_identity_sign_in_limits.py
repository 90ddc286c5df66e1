"""Sign-in requests are limited per address and per client, across identity instances.

Past an address's limits identity answers the same 202 and mails nothing more, so that
nobody can lock a person out of their own sign-in; the links already sent keep working.
Only a client that floods gets 429."""

from __future__ import annotations

import re
import time
import uuid

from tests.support.mail import body_text, mails_to
from tests.support.platform import Infrastructure, Platform, eventually

LIMITS = {
    "SAFEHANDS_SIGN_IN_LIMIT_PER_ADDRESS": "3",
    "SAFEHANDS_SIGN_IN_LIMIT_PER_CLIENT": "7",
}


def codes_mailed_to(infra: Infrastructure, address: str) -> list[str]:
    found = []
    for message in mails_to(infra.maildir, address):
        match = re.search(r"#code=([A-Za-z0-9_-]+)", body_text(message))
        assert match is not None
        found.append(match[1])
    return found


def test_past_the_address_limit_the_answer_is_the_same_and_no_mail_goes_out(
    platform: Platform, infra: Infrastructure
) -> None:
    person = f"someone-{uuid.uuid4().hex[:6]}@example.org"
    # An operator's address is known without any membership: it is mailed a link.
    env = {**LIMITS, "SAFEHANDS_OPERATOR_EMAILS": person}
    # Two instances: the counters live in the database, so they count together.
    first, second = (platform.start("identity", env=env) for _ in range(2))
    with first.client() as one, second.client() as two:
        answers = [
            client.post("/v1/sign-in", json={"email": person}).status_code
            for client in (one, two, one)
        ]
        assert answers == [202, 202, 202]
        codes = eventually(
            lambda: len(codes_mailed_to(infra, person)) == 3 and codes_mailed_to(infra, person)
        )

        # Past the limit, from a client that may still ask: the same answer, no fourth mail.
        beyond = two.post("/v1/sign-in", json={"email": person.upper()})
        assert (beyond.status_code, beyond.json()) == (202, {})
        time.sleep(1.5)
        assert len(codes_mailed_to(infra, person)) == 3

        # The links already sent keep working: the first and the last of them.
        for code in (codes[0], codes[-1]):
            exchanged = one.post("/v1/sign-in/exchange", json={"code": code})
            assert exchanged.status_code == 200, exchanged.text

        # Per client it is still 429: 4 requests so far; other addresses get 3 more, then none.
        others = [f"other-{i}-{uuid.uuid4().hex[:6]}@example.org" for i in range(4)]
        statuses = [one.post("/v1/sign-in", json={"email": a}).status_code for a in others]
        assert statuses == [202, 202, 202, 429]
        refused = one.post("/v1/sign-in", json={"email": person})
        assert refused.status_code == 429
        assert 1 <= int(refused.headers["Retry-After"]) <= 900
        assert refused.json() == {
            "detail": "Too many sign-in requests; please wait a little and try again."
        }
        assert person not in refused.text


def test_mails_to_one_address_are_capped_per_day(platform: Platform, infra: Infrastructure) -> None:
    person = f"daily-{uuid.uuid4().hex[:6]}@example.org"
    identity = platform.start(
        "identity",
        env={
            "SAFEHANDS_OPERATOR_EMAILS": person,
            "SAFEHANDS_SIGN_IN_LIMIT_PER_ADDRESS": "100",
            "SAFEHANDS_SIGN_IN_LIMIT_PER_CLIENT": "100",
            # A window of one second: the per-address limit never bites, the day's cap does.
            "SAFEHANDS_SIGN_IN_LIMIT_WINDOW_SECONDS": "1",
            "SAFEHANDS_SIGN_IN_MAILS_PER_ADDRESS_PER_DAY": "2",
        },
    )
    with identity.client() as http:
        answers = [http.post("/v1/sign-in", json={"email": person}).status_code for _ in range(4)]
        assert answers == [202, 202, 202, 202]
        eventually(lambda: len(codes_mailed_to(infra, person)) == 2)
        time.sleep(1.5)
        assert len(codes_mailed_to(infra, person)) == 2
        # Another address is not held back by this one's cap.
        other = f"daily-other-{uuid.uuid4().hex[:6]}@example.org"
        assert http.post("/v1/sign-in", json={"email": other}).status_code == 202
