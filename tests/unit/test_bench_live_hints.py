"""bench/admission.py waits for a decision as the coordinator's page does: it reads the
admission again when the live stream hints at the volunteer. The wait must miss no hint
(one that came before the wait began counts), wake only for its volunteer, and wake every
waiter on a resync. Against a small server speaking the stream's format (docs/api.md,
"Live pages") over TCP."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from tests.support.bench_modules import bench_module


class StreamServer:
    """Answers `GET /v1/orgs/{org}/changes` with `ready`, then whatever the test sends."""

    def __init__(self) -> None:
        self.writers: list[asyncio.StreamWriter] = []
        self.authorizations: list[str] = []
        self.connected = asyncio.Event()

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = (await reader.readuntil(b"\r\n\r\n")).decode()
        for line in head.split("\r\n"):
            if line.lower().startswith("authorization:"):
                self.authorizations.append(line.split(":", 1)[1].strip())
        writer.write(
            b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n"
            b"transfer-encoding: chunked\r\n\r\n"
        )
        self.writers.append(writer)
        await self.send("ready", {})
        self.connected.set()
        await reader.read()  # until the client goes

    async def send(self, event: str, data: dict[str, str]) -> None:
        body = f"event: {event}\ndata: {json.dumps(data)}\n\n".encode()
        for writer in self.writers:
            writer.write(f"{len(body):x}\r\n".encode() + body + b"\r\n")
            await writer.drain()

    async def hint(self, volunteer: str) -> None:
        await self.send("change", {"kind": "volunteer", "volunteer_id": volunteer})


@asynccontextmanager
async def live(server: StreamServer) -> AsyncIterator[object]:
    bench = bench_module("admission")
    listening = await asyncio.start_server(server.handle, "127.0.0.1", 0)
    port = listening.sockets[0].getsockname()[1]
    try:
        headers = {"Authorization": "Bearer t"}
        async with bench.LiveHints(f"http://127.0.0.1:{port}", "org-1", headers) as hints:
            yield hints
    finally:
        for writer in server.writers:
            writer.close()
        listening.close()


async def waited(hints: object, volunteer: str, seen: int, seconds: float) -> float:
    started = time.perf_counter()
    await hints.after(volunteer, seen, seconds)  # type: ignore[attr-defined]
    return time.perf_counter() - started


async def _a_hint_wakes_its_waiter_and_no_other() -> None:
    server = StreamServer()
    async with live(server) as hints:
        assert server.authorizations == ["Bearer t"]
        seen = hints.count("v-1")  # type: ignore[attr-defined]
        waiting = asyncio.create_task(waited(hints, "v-1", seen, 10))
        other = asyncio.create_task(waited(hints, "v-2", 0, 10))
        await asyncio.sleep(0.05)
        await server.hint("v-1")
        assert await asyncio.wait_for(waiting, 5) < 5
        await asyncio.sleep(0.1)
        assert not other.done()
        other.cancel()


async def _a_hint_before_the_wait_is_not_missed() -> None:
    server = StreamServer()
    async with live(server) as hints:
        seen = hints.count("v-1")  # type: ignore[attr-defined]
        await server.hint("v-1")
        deadline = time.monotonic() + 5
        while hints.count("v-1") == seen and time.monotonic() < deadline:  # type: ignore[attr-defined]
            await asyncio.sleep(0.01)
        assert await waited(hints, "v-1", seen, 10) < 0.1
        # Only a newer hint ends the next wait.
        assert await waited(hints, "v-1", seen + 1, 0.3) >= 0.3


async def _a_resync_wakes_every_waiter() -> None:
    server = StreamServer()
    async with live(server) as hints:
        waiters = [asyncio.create_task(waited(hints, f"v-{n}", 0, 10)) for n in range(3)]
        await asyncio.sleep(0.05)
        await server.send("change", {"kind": "resync"})
        assert all(seconds < 5 for seconds in await asyncio.wait_for(asyncio.gather(*waiters), 5))


def test_a_hint_wakes_its_waiter_and_no_other() -> None:
    asyncio.run(_a_hint_wakes_its_waiter_and_no_other())


def test_a_hint_before_the_wait_is_not_missed() -> None:
    asyncio.run(_a_hint_before_the_wait_is_not_missed())


def test_a_resync_wakes_every_waiter() -> None:
    asyncio.run(_a_resync_wakes_every_waiter())
