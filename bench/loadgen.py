"""An open-loop load generator, run as its own process so that it does not share an event
loop (or a core's time slices) with what it measures.

`python bench/loadgen.py URL PATH --rate R --seconds S [--connections C]` POSTs a fresh
application body (its e-mail address numbered) every 1/R seconds for S seconds over
HTTP/1.1 keep-alive connections opened before the clock starts, whatever the answers take
(open loop: a slow server gets the same arrivals, as people arriving after a campaign mail
would). It prints one JSON line: what it offered, what it got, and the latencies'
percentiles in ms. `offered_per_second` is what it really sent; `kept_up` is false when
that fell more than 5 % short of R, or when the 99th percentile of sending late passed
20 ms (then the machine, not the server, limited the figure).

HTTP/1.1 is spoken by hand over asyncio streams, one request at a time per connection:
a request costs the generator tens of microseconds instead of httpx's milliseconds of
Python, so that on a 2-core machine it can offer 100/s and more while the services under
test take the cores (the issue's condition for a figure to count).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import time
from collections.abc import Mapping
from dataclasses import dataclass
from json import dumps
from typing import Any
from urllib.parse import urlsplit

BODY = '{{"role_id":"leader","name":"Anna de Vries","email":"anna-{n}@example.org"}}'
LATE_P99_MS = 20.0


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile: the smallest value with at least `share` of the values
    at or below it (of 200 answers, the p99 is the 198th fastest); NaN for none.
    Every bench takes its percentiles from here."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


class Connection:
    """One keep-alive HTTP/1.1 connection: a request, then its whole answer, then the next."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    async def exchange(
        self, method: str, path: str, body: bytes = b"", headers: Mapping[str, str] | None = None
    ) -> tuple[int, bytes]:
        """The status and the body of the answer to one request."""
        if self.writer is None:
            await self.open()
        assert self.reader is not None and self.writer is not None
        extra = "".join(f"{name}: {value}\r\n" for name, value in (headers or {}).items())
        head = (
            f"{method} {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n{extra}"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        self.writer.write(head.encode("ascii") + body)
        status_line = await self.reader.readuntil(b"\r\n")
        status = int(status_line.split(b" ", 2)[1])
        length, close = 0, False
        while (line := await self.reader.readuntil(b"\r\n")) != b"\r\n":
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value.strip())
            elif name == b"connection" and value.strip().lower() == b"close":
                close = True
            elif name == b"transfer-encoding":
                raise RuntimeError("chunked answers are not expected from these routes")
        answer = await self.reader.readexactly(length) if length else b""
        if close:
            self.close()
        return status, answer

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


@dataclass(frozen=True)
class Answer:
    """What bench/admission.py reads of an answer, named as httpx names it."""

    status_code: int
    content: bytes

    @property
    def text(self) -> str:
        return self.content.decode(errors="replace")

    def json(self) -> Any:
        return json.loads(self.content)


class Client:
    """A pool of keep-alive connections, for `run` and for bench/admission.py, which walks
    many volunteers from one event loop with `post`, `put` and `get`: httpx spent
    milliseconds of Python per request there, and the bench fell behind its own rate at 30
    volunteers a second."""

    def __init__(self, url: str, connections: int) -> None:
        parts = urlsplit(url)
        host, port = parts.hostname or "127.0.0.1", parts.port or 80
        self._pool = [Connection(host, port) for _ in range(connections)]
        self._idle: asyncio.LifoQueue[Connection] = asyncio.LifoQueue()

    async def __aenter__(self) -> Client:
        # Opened (and each asked once) before any clock starts: no connection set-up is timed.
        await asyncio.gather(*(c.exchange("GET", "/readyz") for c in self._pool))
        for connection in self._pool:
            self._idle.put_nowait(connection)
        return self

    async def __aexit__(self, *_exc: object) -> None:
        for connection in self._pool:
            connection.close()

    async def send(
        self, method: str, path: str, body: bytes, headers: Mapping[str, str] | None = None
    ) -> Answer:
        """One request on the next free connection; a connection that failed is closed, and
        opened afresh by its next request."""
        connection = await self._idle.get()
        try:
            status, content = await connection.exchange(method, path, body, headers)
        except BaseException:
            connection.close()
            raise
        finally:
            self._idle.put_nowait(connection)
        return Answer(status, content)

    async def post(
        self, path: str, *, json: object, headers: Mapping[str, str] | None = None
    ) -> Answer:
        return await self.send("POST", path, dumps(json).encode(), headers)

    async def put(
        self, path: str, *, json: object, headers: Mapping[str, str] | None = None
    ) -> Answer:
        return await self.send("PUT", path, dumps(json).encode(), headers)

    async def get(self, path: str, *, headers: Mapping[str, str] | None = None) -> Answer:
        return await self.send("GET", path, b"", headers)


async def run(
    url: str, path: str, rate: float, seconds: float, connections: int
) -> dict[str, object]:
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    late: list[float] = []

    async def one(client: Client, n: int) -> None:
        # Waiting for a free connection is part of the answer's time, as for a browser.
        started = time.perf_counter()
        try:
            answer = await client.send("POST", path, BODY.format(n=n).encode())
            key = str(answer.status_code)
        except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
            key = type(exc).__name__
        if key == "202":
            latencies.append((time.perf_counter() - started) * 1000)
        statuses[key] = statuses.get(key, 0) + 1

    total = int(rate * seconds)
    tasks = []
    async with Client(url, connections) as client:
        t0 = time.perf_counter()
        for n in range(total):
            due = t0 + n / rate
            wait = due - time.perf_counter()
            if wait > 0:
                await asyncio.sleep(wait)
            late.append(max(0.0, -wait))
            tasks.append(asyncio.create_task(one(client, n)))
        sent_for = time.perf_counter() - t0
        await asyncio.gather(*tasks)
    offered = total / sent_for if sent_for > 0 else 0.0
    late_p99 = percentile(late, 0.99) * 1000 if late else 0.0
    return {
        "rate": rate,
        "offered_per_second": round(offered, 1),
        "kept_up": offered >= 0.95 * rate and late_p99 <= LATE_P99_MS,
        "send_delay_p99_ms": round(late_p99, 1),
        "worst_send_delay_ms": round(max(late, default=0.0) * 1000, 1),
        "statuses": statuses,
        "ok_per_second": round(len(latencies) / sent_for, 1) if sent_for else 0.0,
        "p50_ms": round(percentile(latencies, 0.5), 1),
        "p99_ms": round(percentile(latencies, 0.99), 1),
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("path")
    parser.add_argument("--rate", type=float, required=True)
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--connections", type=int, default=64)
    a = parser.parse_args()
    print(json.dumps(asyncio.run(run(a.url, a.path, a.rate, a.seconds, a.connections))))
