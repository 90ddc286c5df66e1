"""A refused body is read to its end (within the gateway's limit) before the 413 goes out.

Caddy, in front, is still writing the body upstream when a service answers. A service that
answered 413 and closed without reading made Caddy's write fail, and Caddy answered 502
instead of passing the 413 on (CI saw it on test_gateway). These tests drive the middleware
as an ASGI server would and record the order of what it reads and sends.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from fastapi import FastAPI, Request

from shared.http import body_limit
from shared.http.body_limit import BodyLimitMiddleware

LIMIT = 100
GATEWAY = 1000


def _route_app() -> FastAPI:
    app = FastAPI()

    @app.post("/take")
    async def take(request: Request) -> dict[str, int]:
        return {"read": len(await request.body())}

    return app


def _post(headers: list[tuple[bytes, bytes]]) -> dict[str, Any]:
    """The scope of a POST /take, as an ASGI server gives it."""
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/take",
        "raw_path": b"/take",
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }


async def _call(
    chunks: list[bytes], *, declared: int | None, ends: bool = True
) -> tuple[list[str], int]:
    """Run one request through the middleware; the record of reads ("read 3") and the
    response's start ("start 413"), in order, and how many chunks were read. A body that
    does not end (`ends=False`) leaves the client silent after its last chunk."""
    events: list[str] = []
    pending = list(chunks)
    read = 0

    async def receive() -> dict[str, Any]:
        nonlocal read
        if not pending:
            await asyncio.sleep(3600)  # a client that sends nothing more
        chunk = pending.pop(0)
        read += 1
        events.append(f"read {read}")
        return {"type": "http.request", "body": chunk, "more_body": bool(pending) or not ends}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            events.append(f"start {message['status']}")

    headers = [(b"content-type", b"application/json")]
    if declared is not None:
        headers.append((b"content-length", str(declared).encode()))
    middleware = BodyLimitMiddleware(_route_app(), max_bytes=LIMIT, drain_bytes=GATEWAY)
    await asyncio.wait_for(middleware(_post(headers), receive, send), timeout=5)
    return events, read


async def test_a_declared_length_over_the_limit_is_read_to_its_end_before_the_413() -> None:
    chunks = [b"x" * 50] * 4  # 200 bytes: over the service's limit, within the gateway's
    events, read = await _call(chunks, declared=200)
    assert read == 4
    assert events[-1] == "start 413"


async def test_a_declared_length_over_the_gateways_limit_is_refused_unread() -> None:
    events, read = await _call([b"x" * 600] * 2, declared=1200)
    assert (events, read) == (["start 413"], 0)


async def test_a_streamed_body_refused_in_a_route_is_read_to_its_end_first() -> None:
    events, read = await _call([b"y" * 40] * 5, declared=None)
    assert read == 5
    assert events == [*(f"read {n}" for n in range(1, 6)), "start 413"]


async def test_a_streamed_body_past_the_gateways_limit_is_not_read_further() -> None:
    events, read = await _call([b"z" * 400] * 10, declared=None)
    # 400 read in the route, then 400, 400 (1200 > 1000) in the drain: then the answer.
    assert (read, events[-1]) == (3, "start 413")


async def test_a_client_that_stops_sending_is_waited_for_a_bounded_time(monkeypatch: Any) -> None:
    monkeypatch.setattr(body_limit, "DRAIN_SECONDS", 0.2)
    # Declares 500, sends 200 and falls silent: the drain waits DRAIN_SECONDS, then answers.
    events, read = await _call([b"w" * 100] * 2, declared=500, ends=False)
    assert (events, read) == (["read 1", "read 2", "start 413"], 2)


async def test_a_body_within_the_limit_reaches_the_route_whole() -> None:
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"{}", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    middleware = BodyLimitMiddleware(_route_app(), max_bytes=LIMIT, drain_bytes=GATEWAY)
    await middleware(_post([(b"content-length", b"2")]), receive, send)
    assert sent[0]["status"] == 200
    assert json.loads(sent[1]["body"]) == {"read": 2}
