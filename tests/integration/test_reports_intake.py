"""intake's anonymous report submission on the real broker and database: rate-limited per
client with its own allowance, and without a trace of the sender's address or user agent
in intake's database, its log or the event it publishes."""

from __future__ import annotations

import json
import uuid

from pymongo import MongoClient

from shared.crypto import PrivateKey, report_context, seal
from shared.events.reports import IncidentReported
from tests.support.kafka import read_topic
from tests.support.platform import Platform, eventually
from tests.support.vcps import announce_vcp

AGENT = f"agent-{uuid.uuid4().hex}"


async def test_submissions_are_limited_and_leave_no_trace_of_the_sender(
    platform: Platform,
) -> None:
    intake = platform.start("intake", env={"SAFEHANDS_RATE_LIMIT_PER_CLIENT": "3"})
    org = f"org-{uuid.uuid4().hex[:6]}"
    key = await announce_vcp(platform.infra.kafka_bootstrap, org, PrivateKey.generate())
    with MongoClient(platform.infra.mongo_uri) as mongo:
        db = mongo[f"{platform.database}_intake"]
        eventually(lambda: db["known_vcp_keys"].find_one({"org_id": org}), timeout=30)

        report_id = str(uuid.uuid4())
        submission = {
            "report_id": report_id,
            "envelope": seal(
                {"category": "other", "description": "x", "wants_contact": False},
                [key.public_key],
                report_context(org, report_id),
            ).model_dump(mode="json"),
            "mailbox": {
                "lookup": uuid.uuid4().hex * 2,
                "reply_key": PrivateKey.generate().public_key.model_dump(),
            },
        }
        with intake.client() as http:
            http.headers["User-Agent"] = AGENT
            codes = [
                http.post(f"/v1/orgs/{org}/reports", json=submission).status_code,
                http.post("/v1/orgs/org-without-vcp/reports", json=submission).status_code,
                http.post(f"/v1/orgs/{org}/reports", json=submission).status_code,
            ]
            assert codes == [202, 404, 409]
            refused = http.post(f"/v1/orgs/{org}/reports", json=submission)
            assert refused.status_code == 429
            assert int(refused.headers["Retry-After"]) >= 1
            # Reports have their own allowance: applications are not limited by them.
            application = {"role_id": "coach", "name": "Anna", "email": "anna@example.org"}
            assert http.post(f"/v1/orgs/{org}/applications", json=application).status_code == 404

        stored = {name: list(db[name].find()) for name in db.list_collection_names()}
    assert stored["received_reports"] and stored["rate_limits"]
    dump = repr(stored)
    assert "127.0.0.1" not in dump and AGENT not in dump
    assert AGENT not in intake.log_text()

    records = await read_topic(
        platform.infra.kafka_bootstrap,
        IncidentReported.topic(),
        until=lambda rs: any(r.key == f"{org}:{report_id}".encode() for r in rs),
    )
    (record,) = [r for r in records if r.key == f"{org}:{report_id}".encode()]
    published = json.loads(record.value)
    assert set(published) == {
        "org_id",
        "report_id",
        "envelope",
        "mailbox_lookup",
        "reply_key",
        "received_at",
    }
    assert published["envelope"] == submission["envelope"]
    everything = repr(record.headers) + record.value.decode()
    assert "127.0.0.1" not in everything and AGENT not in everything
