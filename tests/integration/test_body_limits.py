"""Request bodies are bounded on every service while they stream in: the largest sealed
report is taken and relayed, anything larger is refused with 413 before it is read in full."""

from __future__ import annotations

import asyncio
import json
import socket
import uuid
from urllib.parse import urlsplit

import pytest
from pymongo import MongoClient

from shared.crypto import (
    MAX_PADDED_LEN,
    MAX_RECIPIENTS,
    MAX_SEALED_REQUEST_BYTES,
    SUITE_HYBRID,
    PrivateKey,
    report_context,
    seal,
)
from shared.events.reports import IncidentReported
from tests.support.kafka import read_topic
from tests.support.platform import Platform, RunningService, eventually
from tests.support.vcps import announce_vcp

# A route per service that takes a JSON body (the body is read before the token is checked).
BODY_ROUTES = {
    "intake": "/v1/orgs/demo/applications",
    "policy": "/v1/orgs",
    "reports": "/v1/orgs/demo/mailbox",
    "notify": "/v1/orgs/demo/webhooks",
}


def _raw_request(service: RunningService, head: str, parts: list[bytes]) -> tuple[int, dict]:
    """Send a request head and some body parts, never the rest; return the answer's status
    and JSON body. Fails (socket timeout) if the service waits for the rest instead."""
    where = urlsplit(service.url)
    with socket.create_connection((where.hostname, where.port), timeout=10) as conn:
        conn.sendall(head.encode())
        for part in parts:
            conn.sendall(part)
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = conn.recv(65536)
            assert chunk, f"connection closed without an answer: {answer!r}"
            answer += chunk
        head_bytes, _, body = answer.partition(b"\r\n\r\n")
        lines = head_bytes.decode().split("\r\n")
        headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
        length = int(headers["content-length"])
        while len(body) < length:
            chunk = conn.recv(65536)
            assert chunk, "connection closed during the answer"
            body += chunk
    return int(lines[0].split()[1]), json.loads(body)


def _head(path: str, host: str, extra: str) -> str:
    return f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n{extra}\r\n"


@pytest.mark.parametrize("name", sorted(BODY_ROUTES))
def test_a_streamed_body_over_the_limit_is_refused_while_it_arrives(
    platform: Platform, name: str
) -> None:
    service = platform.start(name, env={"SAFEHANDS_HTTP_MAX_BODY_BYTES": "2000"})
    host = urlsplit(service.url).netloc
    # Chunked: no Content-Length to go by. Three chunks of 1000 bytes, and no end.
    chunk = b'{"x": "' + b"a" * 990 + b'"}'
    parts = [f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n" for _ in range(3)]
    status, body = _raw_request(
        service, _head(BODY_ROUTES[name], host, "Transfer-Encoding: chunked\r\n"), parts
    )
    assert status == 413
    assert body["detail"].startswith("The request body is larger than the 2000 bytes")


def test_a_declared_length_over_the_limit_is_refused_though_the_body_never_comes(
    platform: Platform,
) -> None:
    """The rest of a refused body is read and dropped for a moment (shared/http/body_limit.py:
    so a proxy in front can finish writing it), never waited for beyond DRAIN_SECONDS."""
    intake = platform.start("intake")
    host = urlsplit(intake.url).netloc
    declared = MAX_SEALED_REQUEST_BYTES + 1
    status, body = _raw_request(
        intake,
        _head("/v1/orgs/demo/reports", host, f"Content-Length: {declared}\r\n"),
        [b'{"report_id": "'],
    )
    assert status == 413
    assert f"{MAX_SEALED_REQUEST_BYTES} bytes" in body["detail"]


async def test_a_report_at_the_maximum_size_is_relayed_and_a_larger_one_gets_413(
    platform: Platform,
) -> None:
    intake = platform.start("intake")
    org = f"org-{uuid.uuid4().hex[:6]}"
    # The most VCPs an envelope can name, with the largest (hybrid) keys.
    keys = [PrivateKey.generate(SUITE_HYBRID) for _ in range(MAX_RECIPIENTS)]
    for number, key in enumerate(keys):
        await announce_vcp(platform.infra.kafka_bootstrap, org, key, vcp_id=f"vcp-{number}")
    with MongoClient(platform.infra.mongo_uri) as mongo:
        known = mongo[f"{platform.database}_intake"]["known_vcp_keys"]
        eventually(lambda: known.count_documents({"org_id": org}) == MAX_RECIPIENTS, timeout=30)

    report_id = str(uuid.uuid4())
    largest = {"text": "a" * (MAX_PADDED_LEN - 4 - len('{"text":""}'))}
    envelope = seal(
        largest, [k.public_key for k in keys], report_context(org, report_id)
    ).model_dump(mode="json")
    submission = {
        "report_id": report_id,
        "envelope": envelope,
        "mailbox": {
            "lookup": uuid.uuid4().hex * 2,
            "reply_key": PrivateKey.generate(SUITE_HYBRID).public_key.model_dump(),
        },
    }
    with intake.client() as http:
        accepted = await asyncio.to_thread(http.post, f"/v1/orgs/{org}/reports", json=submission)
        assert accepted.status_code == 202, accepted.text

        # One padded size up: the body alone is over the limit, whatever its envelope says.
        larger = dict(submission, report_id=str(uuid.uuid4()))
        larger["envelope"] = dict(envelope, ciphertext=envelope["ciphertext"] * 2)
        refused = http.post(f"/v1/orgs/{org}/reports", json=larger)
        assert refused.status_code == 413
        assert "bytes this service accepts" in refused.json()["detail"]

    key = f"{org}:{report_id}".encode()
    records = await read_topic(
        platform.infra.kafka_bootstrap,
        IncidentReported.topic(),
        until=lambda rs: any(r.key == key for r in rs),
        timeout=30,
    )
    (record,) = [r for r in records if r.key == key]
    assert json.loads(record.value)["envelope"] == envelope
