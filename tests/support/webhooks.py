"""Webhook receivers for tests — real HTTP servers on free local ports — and the helpers
that subscribe to and publish events for them."""

from __future__ import annotations

import base64
import secrets
import select
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from cli.embedded import free_port
from shared.events import Event
from shared.events.admission import VolunteerApplied
from shared.events.cloudevents import encode
from tests.support.kafka import produce
from tests.support.platform import Infrastructure, RunningService


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    answered: int


@dataclass
class Receiver:
    """An HTTP server that answers each path with scripted status codes, then 200."""

    port: int = field(default_factory=free_port)
    script: dict[str, list[int]] = field(default_factory=dict)
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def at(self, path: str) -> list[Received]:
        with self.lock:
            return [r for r in self.received if r.path == path]

    def handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                with receiver.lock:
                    planned = receiver.script.get(self.path, [])
                    code = planned.pop(0) if planned else 200
                    receiver.received.append(
                        Received(
                            self.path, {k.lower(): v for k, v in self.headers.items()}, body, code
                        )
                    )
                self.send_response(code)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *_args: Any) -> None:
                pass

        return Handler


@contextmanager
def serving(receiver: Receiver) -> Iterator[Receiver]:
    server = ThreadingHTTPServer(("127.0.0.1", receiver.port), receiver.handler())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class TricklingReceiver:
    """A receiver that reads the request, then answers one byte a second, for ever: the
    status line and headers never end. Counts the requests and notes, at once, when a
    client closes its connection (after how many seconds)."""

    port: int = field(default_factory=free_port)
    requests: int = 0
    closed_after: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stopping: threading.Event = field(default_factory=threading.Event)

    def serve(self, listener: socket.socket) -> None:
        while not self.stopping.is_set():
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=self.trickle, args=(connection,), daemon=True).start()

    def trickle(self, connection: socket.socket) -> None:
        opened = time.monotonic()
        with connection:
            request = b""
            while b"\r\n\r\n" not in request:
                chunk = connection.recv(65536)
                if not chunk:
                    return
                request += chunk
            with self.lock:
                self.requests += 1
            answer = b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 100_000
            for byte in answer:
                if self.stopping.is_set() or self.closed_by_client(connection, within=1.0):
                    break
                try:
                    connection.sendall(bytes([byte]))
                except OSError:
                    break
        with self.lock:
            self.closed_after.append(time.monotonic() - opened)

    def closed_by_client(self, connection: socket.socket, within: float) -> bool:
        """Wait up to `within` seconds; True as soon as the client closes the connection."""
        deadline = time.monotonic() + within
        while (left := deadline - time.monotonic()) > 0 and not self.stopping.is_set():
            readable, _, _ = select.select([connection], [], [], min(left, 0.1))
            if readable:
                try:
                    if not connection.recv(65536):  # the rest of the body, or the end
                        return True
                except OSError:
                    return True
        return False

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


@contextmanager
def trickling() -> Iterator[TricklingReceiver]:
    receiver = TricklingReceiver()
    listener = socket.create_server(("127.0.0.1", receiver.port), backlog=64)
    thread = threading.Thread(target=receiver.serve, args=(listener,), daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        receiver.stopping.set()
        listener.close()


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def subscribe(
    infra: Infrastructure, notify: RunningService, org: str, url: str, types: list[str], secret: str
) -> str:
    with notify.client() as http:
        answer = http.post(
            f"/v1/orgs/{org}/webhooks",
            json={"url": url, "event_types": types, "secret": secret},
            headers={"Authorization": f"Bearer {infra.token('admin', org)}"},
        )
    assert answer.status_code == 201, answer.text
    return str(answer.json()["webhook_id"])


def application(org: str) -> VolunteerApplied:
    return VolunteerApplied(
        org_id=org,
        volunteer_id=str(uuid.uuid4()),
        application_id=str(uuid.uuid4()),
        role_id="coach",
        name="Anna",
        email="anna@example.org",
        applied_at=datetime.now(UTC),
    )


async def publish(infra: Infrastructure, event: Event) -> str:
    record = encode(event, "/tests")
    await produce(infra.kafka_bootstrap, record.topic, record.value, record.key, record.headers)
    return record.event_id
