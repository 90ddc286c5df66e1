"""The runtime owns background work: it runs each task, and at stop cancels them all before
closing any, in reverse order, so a worker's claims and clients outlive its last attempt."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from services.identity.mail_sender import MailSender
from services.notify.mail.delivery import MailWorker
from services.notify.webhooks.delivery import WebhookWorker
from services.notify.webhooks.sender import WebhookSender
from shared.auth.tokens import create_key_pair
from shared.mail.smtp import SmtpMailer
from shared.runtime.background import BackgroundTask, BackgroundWork
from shared.runtime.runtime import Runtime
from shared.settings import load_settings


class Recorded:
    def __init__(self, name: str, log: list[str], *, fail_to_close: bool = False) -> None:
        self.name = name
        self._log = log
        self._fail_to_close = fail_to_close
        self.running = asyncio.Event()

    async def run(self) -> None:
        self._log.append(f"{self.name} runs")
        self.running.set()
        try:
            await asyncio.Event().wait()
        finally:
            self._log.append(f"{self.name} cancelled")

    async def close(self) -> None:
        self._log.append(f"{self.name} closed")
        if self._fail_to_close:
            raise RuntimeError("a close that fails must not keep the others open")


@pytest.fixture
def runtime(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Runtime:
    create_key_pair(tmp_path / "keys" / "jwt_private.pem", tmp_path / "keys" / "jwt_public.pem")
    monkeypatch.setenv("SAFEHANDS_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SAFEHANDS_RATE_LIMIT_SECRET", "s" * 32)
    return Runtime("probe", load_settings(service_name="notify"), handlers={})


async def test_stop_cancels_every_task_then_closes_each_in_reverse_order(
    runtime: Runtime,
) -> None:
    log: list[str] = []
    first, second = Recorded("first", log, fail_to_close=True), Recorded("second", log)
    runtime.start_background(first)
    runtime.start_background(second)
    await asyncio.wait_for(asyncio.gather(first.running.wait(), second.running.wait()), 5)

    await runtime.stop()

    assert log[:2] == ["first runs", "second runs"]
    assert sorted(log[2:4]) == ["first cancelled", "second cancelled"]
    assert log[4:] == ["second closed", "first closed"]


async def test_a_task_made_of_functions_runs_until_stop(runtime: Runtime) -> None:
    rounds: list[int] = []
    closed = asyncio.Event()

    async def count() -> None:
        while True:
            rounds.append(len(rounds))
            await asyncio.sleep(0)

    async def close() -> None:
        closed.set()

    runtime.start_background(BackgroundWork("counter", count, close))
    while len(rounds) < 3:
        await asyncio.sleep(0)
    await runtime.stop()
    counted = len(rounds)
    await asyncio.sleep(0.01)
    assert closed.is_set() and len(rounds) == counted


async def test_stop_ends_a_task_whose_cancellation_was_lost(runtime: Runtime) -> None:
    """A task that took its cancellation and ran on (PyMongo on Python 3.11 loses one that
    lands just after a command went out, shared/cancellation.py): stop cancels it again
    instead of waiting for it for ever, then closes it."""
    lost = asyncio.Event()
    closed = asyncio.Event()

    async def loses_its_cancellation() -> None:
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            lost.set()  # taken, as asyncio.wait_for on Python 3.11 takes it
        await asyncio.sleep(3600)

    async def close() -> None:
        closed.set()

    runtime.start_background(BackgroundWork("loses", loses_its_cancellation, close))
    await asyncio.sleep(0.01)
    stopping = asyncio.create_task(runtime.stop())
    try:
        done, _ = await asyncio.wait({stopping}, timeout=10)
        assert stopping in done, "stop waits for a task that runs on after its cancellation"
        stopping.result()
    finally:
        stopping.cancel()  # without the fix, this ends the task, and then stop
        await asyncio.wait({stopping}, timeout=10)
    assert lost.is_set() and closed.is_set()


def test_the_workers_start_nothing_until_the_runtime_runs_them(runtime: Runtime) -> None:
    # Made outside any event loop: a worker that started a task in __init__ would raise.
    settings = runtime.settings
    mailer = SmtpMailer(settings.smtp_host, settings.smtp_port, settings.smtp_sender)
    made: list[BackgroundTask] = [
        MailWorker(runtime.db, mailer, "probe", poll_seconds=1, retry_scale=1),
        WebhookWorker(
            runtime.db,
            "probe",
            sender=WebhookSender(allow_private_networks=False, deadline_seconds=5),
            poll_seconds=1,
            retry_scale=1,
            deliveries_per_org=1,
        ),
        MailSender(mailer),
    ]
    assert [task.name for task in made] == ["mail-worker", "webhook-worker", "identity-mail-sender"]
