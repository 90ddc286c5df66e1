"""bench/loadgen.py speaks HTTP/1.1 by hand: it must send what it says, over the keep-alive
connections it opened before the clock started, and count every answer."""

from __future__ import annotations

import asyncio
import json
from types import ModuleType

from tests.support.bench_modules import bench_module


def loadgen() -> ModuleType:
    return bench_module("loadgen")


async def read_request(reader: asyncio.StreamReader) -> tuple[str, dict[str, str], bytes] | None:
    """The test servers' side: one request's line, headers (lower-case names) and body, or
    None when the client closed the connection."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError:
        return None
    request_line, *header_lines = head.decode().split("\r\n")
    headers = {
        name.strip().lower(): value.strip()
        for name, _, value in (line.partition(":") for line in header_lines if line)
    }
    body = await reader.readexactly(int(headers.get("content-length", "0")))
    return request_line, headers, body


async def test_every_request_is_sent_on_the_opened_connections_and_every_answer_counted() -> None:
    connections: list[int] = []
    bodies: list[bytes] = []

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(1)
        while (request := await read_request(reader)) is not None:
            request_line, _, body = request
            if request_line.startswith("POST"):
                bodies.append(body)
                # Every fifth is refused, as a rate limit would: counted, not timed.
                status = b"429 Too Many Requests" if len(bodies) % 5 == 0 else b"202 Accepted"
            else:
                status = b"200 OK"
            answer = b'{"ok":true}'
            writer.write(
                b"HTTP/1.1 "
                + status
                + b"\r\ncontent-length: "
                + str(len(answer)).encode()
                + b"\r\n\r\n"
                + answer
            )
            await writer.drain()
        writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        result = await loadgen().run(
            f"http://127.0.0.1:{port}", "/v1/orgs/o/applications", 200, 0.5, 4
        )
    finally:
        server.close()
    assert len(connections) == 4, "the connections are opened once and kept alive"
    assert result["statuses"] == {"202": 80, "429": 20}
    assert len({json.loads(body)["email"] for body in bodies}) == 100, "each body is fresh"
    assert result["offered_per_second"] > 0


async def test_the_admission_bench_client_sends_headers_and_bodies_and_reads_json() -> None:
    """bench/admission.py walks volunteers with `Client`: each answer is read whole, so the
    next request on the connection starts at its own status line."""
    opened: list[int] = []

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        opened.append(1)
        while (request := await read_request(reader)) is not None:
            request_line, headers, body = request
            method, path, _ = request_line.split(" ")
            answer = json.dumps(
                {
                    "method": method,
                    "path": path,
                    "authorization": headers.get("authorization"),
                    "body": json.loads(body) if body else None,
                }
            ).encode()
            status = b"201 Created" if method != "GET" else b"200 OK"
            writer.write(
                b"HTTP/1.1 " + status + b"\r\ncontent-length: " + str(len(answer)).encode()
            )
            writer.write(b"\r\n\r\n" + answer)
            await writer.drain()
        writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        async with loadgen().Client(f"http://127.0.0.1:{port}", connections=2) as client:
            token = {"Authorization": "Bearer t"}
            answers = await asyncio.gather(
                client.post("/a", json={"n": 1}, headers=token),
                client.put("/b", json=[2]),
                client.get("/c?x=1", headers=token),
                client.post("/d", json={"n": 4}),
            )
    finally:
        server.close()
    assert len(opened) == 2, "two keep-alive connections, opened before the first request"
    assert [a.status_code for a in answers] == [201, 201, 200, 201]
    seen = [a.json() for a in answers]
    assert [(s["method"], s["path"], s["body"]) for s in seen] == [
        ("POST", "/a", {"n": 1}),
        ("PUT", "/b", [2]),
        ("GET", "/c?x=1", None),
        ("POST", "/d", {"n": 4}),
    ]
    assert [s["authorization"] for s in seen] == ["Bearer t", None, "Bearer t", None]


def test_percentiles_are_nearest_rank() -> None:
    percentile = loadgen().percentile
    answers = [float(n) for n in range(200, 0, -1)]  # 1 … 200, in any order
    assert percentile(answers, 0.99) == 198.0
    assert percentile(answers, 0.5) == 100.0
    assert percentile(answers, 1.0) == 200.0
    assert percentile([7.0], 0.99) == 7.0
    assert percentile([], 0.5) != percentile([], 0.5)  # NaN: no answers, no figure
