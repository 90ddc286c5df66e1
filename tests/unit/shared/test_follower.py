"""The follower that keeps an in-memory copy current (shared/messaging/follower.py): what it
applies, what it skips, and that a failure to follow makes the copy not ready and starts over
instead of ending the task."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from shared.events import REGISTRY, Event
from shared.events.admission import CodeOfConductPublished, RoleDefined
from shared.events.cloudevents import encode
from shared.messaging import follower as module
from shared.messaging.follower import Follower


@dataclass
class Record:
    headers: list[tuple[str, bytes]]
    value: bytes


def follower(applied: list[Event], readiness: list[bool]) -> Follower:
    async def load() -> None:
        return None

    return Follower(
        "test",
        bootstrap_servers="127.0.0.1:1",
        login=None,
        group_id="g",
        events=[CodeOfConductPublished],
        registry=REGISTRY,
        load=load,
        apply=applied.append,
        on_ready=readiness.append,
    )


CODE = CodeOfConductPublished(
    org_id="club", version=1, sha256="ab" * 32, published_at=datetime(2026, 3, 2, tzinfo=UTC)
)


def test_it_applies_the_events_it_follows_and_skips_others_and_malformed_ones() -> None:
    applied: list[Event] = []
    task = follower(applied, [])
    record = encode(CODE, "/test")
    task._apply_record(Record(record.headers, record.value))
    role = encode(
        RoleDefined(
            org_id="club",
            role_id="r",
            title="R",
            works_with_minors=False,
            works_with_vulnerable=False,
            vog_required=False,
            vog_max_age_days=90,
            vog_renewal_years=3,
        ),
        "/test",
    )
    task._apply_record(Record(role.headers, role.value))
    task._apply_record(Record(record.headers, b"not json"))
    assert applied == [CODE]


async def test_a_failure_to_follow_makes_the_copy_not_ready_and_starts_over(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    readiness: list[bool] = []
    task = follower([], readiness)
    attempts = 0

    async def follow() -> None:
        nonlocal attempts
        attempts += 1
        if attempts == 1:
            task._set_ready(True)
            raise ConnectionError("broker away")
        await asyncio.Event().wait()

    monkeypatch.setattr(task, "_follow", follow)
    monkeypatch.setattr(module, "RETRY_SECONDS", 0.01)
    running = asyncio.create_task(task.run())
    for _ in range(100):
        if attempts >= 2:
            break
        await asyncio.sleep(0.01)
    assert attempts == 2 and not running.done()
    assert readiness == [True, False] and not task.ready
    running.cancel()
    with pytest.raises(asyncio.CancelledError):
        await running
