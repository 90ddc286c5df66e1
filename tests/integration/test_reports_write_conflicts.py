"""Concurrent writes to one report — status changes, the VCP's and the reporter's
messages — answer success or 409 with a sentence, never 500, and lose nothing."""

from __future__ import annotations

import hashlib
import os
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import httpx
from pymongo import MongoClient

from shared.crypto import PrivateKey, message_context, report_context, seal
from shared.events.cloudevents import encode
from shared.events.reports import IncidentReported
from tests.support.kafka import produce
from tests.support.platform import Platform, eventually
from tests.support.vcps import appoint_vcp

ROUNDS = 3
EACH = 4  # requests of each kind per round, all at once


async def test_concurrent_status_changes_and_messages_never_answer_500(
    platform: Platform,
) -> None:
    reports = platform.start(
        "reports",
        env={
            "SAFEHANDS_RATE_LIMIT_PER_CLIENT": "1000",
            "SAFEHANDS_PROOF_OF_WORK_ABOVE_PER_MINUTE": "1000",
        },
    )
    org = f"org-{uuid.uuid4().hex[:6]}"
    vcp_key, reply_key = PrivateKey.generate("X25519"), PrivateKey.generate("X25519")
    admin = {"Authorization": f"Bearer {platform.infra.token('admin', org)}"}
    vcp = {"Authorization": f"Bearer {platform.infra.token('vcp', org, 'vera')}"}
    with reports.client() as http:
        appoint_vcp(http, org, "vera", vcp_key, admin=admin, vcp=vcp)

    report_id, secret = str(uuid.uuid4()), os.urandom(32)
    incident = encode(
        IncidentReported(
            org_id=org,
            report_id=report_id,
            envelope=seal(
                {"category": "other", "description": "x", "wants_contact": False},
                [vcp_key.public_key],
                report_context(org, report_id),
            ).model_dump(),
            mailbox_lookup=hashlib.sha256(secret).hexdigest(),
            reply_key=reply_key.public_key.model_dump(),
            received_at=datetime.now(UTC),
        ),
        "/safehands/intake",
    )
    await produce(
        platform.infra.kafka_bootstrap,
        incident.topic,
        incident.value,
        incident.key,
        incident.headers,
    )
    with MongoClient(platform.infra.mongo_uri) as mongo:
        stored = mongo[f"{platform.database}_reports"]["reports"]
        eventually(lambda: stored.find_one({"report_id": report_id}), timeout=30)

    def status(target: str) -> httpx.Response:
        with reports.client() as http:
            return http.post(
                f"/v1/orgs/{org}/reports/{report_id}/status", headers=vcp, json={"status": target}
            )

    def vcp_message() -> httpx.Response:
        message_id = str(uuid.uuid4())
        envelope = seal(
            {"text": "Thank you."},
            [reply_key.public_key, vcp_key.public_key],
            message_context(org, report_id, message_id),
        )
        with reports.client() as http:
            return http.post(
                f"/v1/orgs/{org}/reports/{report_id}/messages",
                headers=vcp,
                json={"message_id": message_id, "envelope": envelope.model_dump(mode="json")},
            )

    def reporter_message() -> httpx.Response:
        message_id = str(uuid.uuid4())
        envelope = seal(
            {"text": "It was on Tuesday."},
            [vcp_key.public_key],
            message_context(org, report_id, message_id),
        )
        with reports.client() as http:
            return http.post(
                f"/v1/orgs/{org}/mailbox/messages",
                json={
                    "secret": secret.hex(),
                    "message_id": message_id,
                    "envelope": envelope.model_dump(mode="json"),
                },
            )

    answers: list[tuple[str, httpx.Response]] = []
    with ThreadPoolExecutor(max_workers=3 * EACH) as pool:
        for target in ("acknowledged", "in_progress", "in_progress")[:ROUNDS]:
            futures = [("status", pool.submit(status, target)) for _ in range(EACH)]
            futures += [("vcp", pool.submit(vcp_message)) for _ in range(EACH)]
            futures += [("reporter", pool.submit(reporter_message)) for _ in range(EACH)]
            answers += [(kind, future.result()) for kind, future in futures]

    codes = sorted({answer.status_code for _, answer in answers})
    assert 500 not in codes, [a.text for _, a in answers if a.status_code >= 500]
    assert set(codes) <= {200, 201, 409}, codes
    for _, answer in answers:
        if answer.status_code == 409:
            assert answer.json()["detail"].endswith("."), answer.text
    posted = sum(1 for kind, a in answers if kind != "status" and a.status_code == 201)
    assert posted >= 1 and any(k == "status" and a.status_code == 200 for k, a in answers)
    with MongoClient(platform.infra.mongo_uri) as mongo:
        db = mongo[f"{platform.database}_reports"]
        assert db["report_messages"].count_documents({"report_id": report_id}) == posted
        assert db["reports"].find_one({"report_id": report_id})["status"] == "in_progress"
