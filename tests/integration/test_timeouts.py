"""Nothing waits for ever: a database that stops answering mid-operation ends the
operation at SAFEHANDS_MONGO_TIMEOUT_MS (a route answers 503 with a sentence), and an SMTP
server that trickles its answers ends the send at its deadline, within the mail claim."""

from __future__ import annotations

import asyncio
import time
import uuid
from urllib.parse import urlsplit

import httpx
import pytest
from pymongo.errors import PyMongoError

from services.notify.mail.delivery import CLAIM_LEASE
from shared.mail.smtp import (
    SMTP_SEND_DEADLINE_SECONDS,
    OutgoingMail,
    SmtpMailer,
    SmtpRefused,
)
from shared.storage.database import Database
from shared.storage.deadlines import DEFAULT_MAX_POOL_SIZE
from tests.support.platform import Infrastructure, Platform
from tests.support.stalling_proxy import StallingProxy


def _mongo_address(infra: Infrastructure) -> tuple[str, int]:
    where = urlsplit(infra.mongo_uri)
    assert where.hostname and where.port
    return where.hostname, where.port


async def test_a_database_operation_without_an_answer_ends_at_the_timeout(
    infra: Infrastructure,
) -> None:
    proxy = StallingProxy(*_mongo_address(infra), marker=b"stalled_collection")
    proxy.armed.set()
    with proxy.running():
        uri = f"mongodb://127.0.0.1:{proxy.port}/?directConnection=true"
        db = Database(uri, f"timeouts_{uuid.uuid4().hex[:8]}", "/tests", operation_timeout_ms=1000)
        try:
            await db.ping()  # the proxy forwards everything else
            started = time.monotonic()
            with pytest.raises(PyMongoError) as caught:
                await asyncio.wait_for(
                    db.platform_collection("stalled_collection").find_one({}), timeout=20
                )
            assert caught.value.timeout
            assert time.monotonic() - started < 5
        finally:
            await db.close()


async def test_a_crowd_of_operations_waits_in_the_service_not_at_the_database(
    infra: Infrastructure,
) -> None:
    """Forty operations at once, the database answering none: no more than the pool's
    connections carry one to it; the rest wait in the service and end at their deadline
    without reaching it (with PyMongo's own pool of a hundred, all forty reached it and queued
    there, where the embedded database ran each later, whoever had waited)."""
    proxy = StallingProxy(*_mongo_address(infra), marker=b"stalled_collection")
    with proxy.running():
        uri = f"mongodb://127.0.0.1:{proxy.port}/?directConnection=true"
        db = Database(uri, f"pool_{uuid.uuid4().hex[:8]}", "/tests", operation_timeout_ms=10_000)
        try:
            await db.ping()
            proxy.armed.set()
            stalled = db.platform_collection("stalled_collection")
            crowd = asyncio.gather(
                *(stalled.find_one({}) for _ in range(40)), return_exceptions=True
            )
            # Counted well before the first deadline: a connection closed at its timeout
            # makes room for a new one, so later the count of all that ever reached the
            # database grows past those at once.
            async with asyncio.timeout(5):
                while proxy.stalled_connections == 0:
                    await asyncio.sleep(0.05)
            await asyncio.sleep(0.5)
            assert proxy.stalled_connections <= DEFAULT_MAX_POOL_SIZE
            ended = await asyncio.wait_for(crowd, timeout=60)
            assert all(isinstance(e, PyMongoError) and e.timeout for e in ended), ended
        finally:
            await db.close()


def test_a_route_whose_database_stops_answering_gets_503(platform: Platform) -> None:
    proxy = StallingProxy(*_mongo_address(platform.infra), marker=b"known_organisations")
    with proxy.running():
        intake = platform.start(
            "intake",
            env={
                "SAFEHANDS_MONGO_URI": f"mongodb://127.0.0.1:{proxy.port}/?directConnection=true",
                "SAFEHANDS_MONGO_TIMEOUT_MS": "1500",
            },
        )
        proxy.armed.set()
        body = {"role_id": "coach", "name": "Anna", "email": "anna@example.org"}
        started = time.monotonic()
        with httpx.Client(base_url=intake.url, timeout=30) as http:
            answer = http.post("/v1/orgs/demo/applications", json=body)
        assert answer.status_code == 503, answer.text
        assert answer.json()["detail"].startswith("The database did not answer in time")
        assert time.monotonic() - started < 10
        platform.stop_all()


class TricklingSmtpServer:
    """Answers like an SMTP server, one byte every `interval` seconds: each read gets
    something well within a per-read timeout, the whole exchange takes for ever."""

    def __init__(self, interval: float) -> None:
        self.interval = interval

    async def _say(self, writer: asyncio.StreamWriter, line: bytes) -> None:
        for byte in line:
            writer.write(bytes([byte]))
            await writer.drain()
            await asyncio.sleep(self.interval)

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await self._say(writer, b"220 slow.example ESMTP\r\n")
            while line := await reader.readline():
                command = line.strip().upper()
                if command.startswith(b"EHLO") or command.startswith(b"HELO"):
                    await self._say(writer, b"250 slow.example\r\n")
                elif command == b"DATA":
                    await self._say(writer, b"354 go on\r\n")
                    while (await reader.readline()).rstrip(b"\r\n") != b".":
                        pass
                    await self._say(writer, b"250 queued\r\n")
                elif command == b"QUIT":
                    await self._say(writer, b"221 bye\r\n")
                    break
                else:
                    await self._say(writer, b"250 ok\r\n")
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            writer.close()


def test_the_smtp_deadline_is_within_the_mail_claim() -> None:
    assert CLAIM_LEASE.total_seconds() > SMTP_SEND_DEADLINE_SECONDS


async def test_an_smtp_server_that_trickles_cannot_hold_a_send_past_its_deadline() -> None:
    trickle = TricklingSmtpServer(interval=0.2)
    server = await asyncio.start_server(trickle.handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    mailer = SmtpMailer(
        "127.0.0.1", port, "SafeHands <no-reply@safehands.local>", deadline_seconds=2
    )
    mail = OutgoingMail(mail_id="m1", to="anna@example.org", subject="Hi", text="Hello", kind="t")
    started = time.monotonic()
    try:
        with pytest.raises(SmtpRefused, match="did not finish"):
            await mailer.send(mail)
    finally:
        server.close()
    # The exchange would take about 15 s at this pace; the deadline ends it at 2 s.
    assert time.monotonic() - started < 4
