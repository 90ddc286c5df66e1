"""Reporting cannot be silenced from outside: a flood from many addresses puts the
organisation under pressure, after which every request needs an ALTCHA proof of work
(shared/runtime/proof_of_work.py), and honest reporters, each from their own address,
still submit. Addresses are the gateway's X-Forwarded-For, believed from loopback only
because these services are told to trust it."""

from __future__ import annotations

import base64
import json
import threading
import time
import uuid

import httpx
from pymongo import MongoClient

from cli.reporting_client import ReportingApi, solve_proof_of_work
from shared.crypto import PrivateKey
from tests.support.platform import Platform, eventually
from tests.support.pressure import wait_before_a_flood
from tests.support.vcps import announce_vcp, sealed_report

PER_CLIENT = 20
PRESSURE = {
    # The default: 30 flooding addresses could send 600 requests, more than the old shared
    # limit of the organisation (500 an hour) that silenced it.
    "SAFEHANDS_RATE_LIMIT_PER_CLIENT": str(PER_CLIENT),
    "SAFEHANDS_PROOF_OF_WORK_ABOVE_PER_MINUTE": "20",
    # Small challenges, so that the test solves them in milliseconds.
    "SAFEHANDS_PROOF_OF_WORK_COST": "10",
    "SAFEHANDS_PROOF_OF_WORK_MAX_COUNTER": "100",
    "SAFEHANDS_TRUSTED_PROXIES": "127.0.0.1/32,::1/128",
}
FLOOD_ADDRESSES = [f"2001:db8:{n:x}::1" for n in range(30)]  # 30 different /64s


async def _organisation_with_a_vcp(platform: Platform) -> tuple[str, PrivateKey]:
    org = f"org-{uuid.uuid4().hex[:6]}"
    key = await announce_vcp(platform.infra.kafka_bootstrap, org)
    with MongoClient(platform.infra.mongo_uri) as mongo:
        db = mongo[f"{platform.database}_intake"]
        eventually(lambda: db["known_vcp_keys"].find_one({"org_id": org}), timeout=30)
    return org, key


def _flood(url: str, org: str, stop: threading.Event, answers: list[int]) -> None:
    """Junk (422 when it gets through) from 30 addresses, round and round, no proof of work."""
    with httpx.Client(base_url=url, timeout=10) as http:
        while not stop.is_set():
            for address in FLOOD_ADDRESSES:
                answer = http.post(
                    f"/v1/orgs/{org}/reports", json={}, headers={"X-Forwarded-For": address}
                )
                answers.append(answer.status_code)


async def test_honest_reporters_submit_while_a_flood_from_many_addresses_runs(
    platform: Platform,
) -> None:
    intake = platform.start("intake", env=PRESSURE)
    org, key = await _organisation_with_a_vcp(platform)
    stop, flooded = threading.Event(), list[int]()
    flood = threading.Thread(target=_flood, args=(intake.url, org, stop, flooded))
    flood.start()
    try:
        # The flood has put the organisation under pressure, and sent more than the old
        # shared limit of 500.
        eventually(lambda: 428 in flooded and len(flooded) > 600, timeout=60)
        submitted = []
        with httpx.Client(base_url=intake.url, timeout=30) as http:
            for n in range(3):
                headers = {"X-Forwarded-For": f"198.51.100.{n + 1}"}
                body = sealed_report(org, key)
                first = http.post(f"/v1/orgs/{org}/reports", json=body, headers=headers)
                assert first.status_code == 428, first.text
                assert first.json()["reason"] == "proof_of_work_required"
                headers["X-Altcha"] = solve_proof_of_work(first.json()["challenge"])
                answer = http.post(f"/v1/orgs/{org}/reports", json=body, headers=headers)
                submitted.append(answer.status_code)
        assert submitted == [202, 202, 202], "honest reporters are not silenced by the flood"
        # The CLI's client (`safehands report submit|check|reply`) solves the 428 by itself.
        with ReportingApi(intake_url=intake.url, reports_url=intake.url) as api:
            submission = sealed_report(org, key)
            answer = api.submit_report(org, submission)
            assert answer == {"report_id": submission["report_id"]}
    finally:
        stop.set()
        flood.join()
    # Before the pressure, each flooding address got at most its own limit through (422);
    # none of them ever made another client or the organisation be refused.
    assert flooded.count(422) <= PER_CLIENT * len(FLOOD_ADDRESSES)
    assert 428 in flooded and 202 not in flooded


def test_under_pressure_a_request_without_a_valid_solution_is_refused_with_428(
    platform: Platform,
) -> None:
    intake = platform.start("intake", env=PRESSURE)
    reports = platform.start("reports", env=PRESSURE)
    org, quiet = f"org-{uuid.uuid4().hex[:6]}", f"org-{uuid.uuid4().hex[:6]}"
    with httpx.Client(base_url=intake.url, timeout=10) as http:

        def post(target: str, client: str, solution: str | None = None) -> httpx.Response:
            headers = {"X-Forwarded-For": client}
            if solution is not None:
                headers["X-Altcha"] = solution
            return http.post(f"/v1/orgs/{target}/reports", json={}, headers=headers)

        # Not under pressure: no proof of work is asked (the body is junk: 422).
        time.sleep(wait_before_a_flood())
        assert post(org, "192.0.2.1").status_code == 422
        for address in FLOOD_ADDRESSES:
            post(org, address)

        refused = post(org, "192.0.2.2")
        assert refused.status_code == 428
        body = refused.json()
        assert body["reason"] == "proof_of_work_required" and body["detail"].endswith(".")
        assert refused.headers["Cache-Control"] == "no-store"
        parameters = body["challenge"]["parameters"]
        assert parameters["algorithm"] == "PBKDF2/SHA-256"
        assert parameters["data"] == {"org": org, "service": "intake"}

        solution = solve_proof_of_work(body["challenge"])
        assert post(org, "192.0.2.2", solution).status_code == 422, "through the gate"
        reused = post(org, "192.0.2.3", solution)
        assert (reused.status_code, reused.json()["reason"]) == (428, "proof_of_work_invalid")
        assert post(org, "192.0.2.3", "not base64 at all").status_code == 428

        # A challenge from the route, made easier by the client: refused.
        fetched = http.get(f"/v1/orgs/{org}/proof-of-work")
        assert fetched.status_code == 200 and fetched.headers["Cache-Control"] == "no-store"
        tampered = fetched.json()
        tampered["parameters"]["keyPrefix"] = "0"
        assert post(org, "192.0.2.3", solve_proof_of_work(tampered)).status_code == 428
        # Solved for another organisation: refused here.
        other = http.get(f"/v1/orgs/{quiet}/proof-of-work").json()
        assert post(org, "192.0.2.3", solve_proof_of_work(other)).status_code == 428
        # The fetched challenge, unchanged, solved: through.
        fresh = http.get(f"/v1/orgs/{org}/proof-of-work").json()
        assert post(org, "192.0.2.3", solve_proof_of_work(fresh)).status_code == 422

        # Another organisation is not under pressure for this one's flood.
        assert post(quiet, "192.0.2.4").status_code == 422

    # reports' mailbox is under the same rule, with challenges of its own: intake's does not
    # open it.
    with httpx.Client(base_url=reports.url, timeout=10) as http:
        time.sleep(wait_before_a_flood())
        for address in FLOOD_ADDRESSES:
            http.post(f"/v1/orgs/{org}/mailbox", json={}, headers={"X-Forwarded-For": address})
        refused = http.post(
            f"/v1/orgs/{org}/mailbox",
            json={"secret": "00" * 32},
            headers={"X-Forwarded-For": "192.0.2.9"},
        )
        assert refused.status_code == 428
        assert refused.json()["challenge"]["parameters"]["data"]["service"] == "reports"
        from_intake = solve_proof_of_work(fresh)
        headers = {"X-Forwarded-For": "192.0.2.9", "X-Altcha": from_intake}
        assert http.post(f"/v1/orgs/{org}/mailbox", json={}, headers=headers).status_code == 428
        headers["X-Altcha"] = solve_proof_of_work(refused.json()["challenge"])
        answer = http.post(f"/v1/orgs/{org}/mailbox", json={"secret": "00" * 32}, headers=headers)
        assert answer.status_code == 404, "through the gate: an unknown mailbox"


def test_the_solution_format_is_what_docs_api_md_says() -> None:
    """The header is the base64 of {"challenge", "solution": {"counter", "derivedKey"}}."""
    import altcha

    challenge = altcha.create_challenge(
        "PBKDF2/SHA-256", 10, counter=7, hmac_secret=b"k" * 32, hmac_key_secret=b"d" * 32
    ).to_dict()
    decoded = json.loads(base64.b64decode(solve_proof_of_work(challenge)))
    assert decoded["challenge"] == challenge
    assert decoded["solution"]["counter"] == 7
    assert set(decoded["solution"]) >= {"counter", "derivedKey"}
