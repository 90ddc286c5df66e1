"""A service keeps an idle connection open longer than its clients keep it for reuse.

Were it the other way round (uvicorn's 5 s against httpx's 5 s), a client could send its next
request on a connection the server is closing at that moment and get a reset for nothing:
`bench/admission.py` died of exactly that (httpx.ReadError).
"""

from __future__ import annotations

import socket
import time

import httpx

from tests.support.platform import Platform

# httpx's pool keeps an idle connection this long before it stops reusing it.
HTTPX_KEEPALIVE_EXPIRY = httpx.Limits().keepalive_expiry or 0.0


def get_healthz(connection: socket.socket, port: int) -> bytes:
    connection.sendall(f"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
    # Read the whole answer, body included: a body left unread would prefix the next one.
    answer = b""
    while True:
        head, separator, body = answer.partition(b"\r\n\r\n")
        if separator:
            length = next(
                (
                    int(line.split(b":", 1)[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length:")
                ),
                0,
            )
            if len(body) >= length:
                return answer
        chunk = connection.recv(4096)
        if not chunk:
            return answer
        answer += chunk


def test_an_idle_connection_outlasts_the_clients_keep_alive(platform: Platform) -> None:
    service = platform.start("intake")
    port = int(service.url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
        assert get_healthz(connection, port).startswith(b"HTTP/1.1 200")
        # Idle for as long as httpx would still reuse the connection, and a little more.
        time.sleep(HTTPX_KEEPALIVE_EXPIRY + 1.5)
        answer = get_healthz(connection, port)
    assert answer.startswith(b"HTTP/1.1 200"), f"the service closed the idle connection: {answer!r}"
