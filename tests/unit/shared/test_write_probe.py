"""The database write probe (shared/storage/write_probe.py): a write that does not commit in
time is counted as failed and the age since the last commit keeps growing, however long the
database stands still; the next commit that gets through brings the age back. The real
commit against the database: tests/integration/test_database_write_probe.py."""

from __future__ import annotations

import asyncio
import contextlib

from prometheus_client import CollectorRegistry

from shared.storage.write_probe import DatabaseWriteProbe, WriteProbeMetrics


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def value(registry: CollectorRegistry, name: str) -> float:
    found = registry.get_sample_value(name)
    assert found is not None, name
    return found


async def test_a_stalled_write_is_a_failure_and_the_age_grows_until_a_commit_gets_through() -> None:
    registry = CollectorRegistry()
    clock = Clock()
    metrics = WriteProbeMetrics(registry, clock=clock)
    database_answers = asyncio.Event()
    database_answers.set()

    async def commit() -> None:
        await database_answers.wait()

    probe = DatabaseWriteProbe(commit, metrics, every_seconds=15, deadline_seconds=0.05)
    await probe.probe_once()
    assert value(registry, "safehands_database_write_seconds_count") == 1
    assert value(registry, "safehands_database_write_age_seconds") == 0

    # The database stands still: each round ends at its deadline, counted, and the age is
    # the time since the last commit, not since the last round.
    database_answers.clear()
    for _ in range(3):
        clock.now += 15
        await probe.probe_once()
    assert value(registry, "safehands_database_write_failures_total") == 3
    assert value(registry, "safehands_database_write_seconds_count") == 1
    assert value(registry, "safehands_database_write_age_seconds") == 45
    clock.now += 20
    assert value(registry, "safehands_database_write_age_seconds") == 65

    database_answers.set()
    await probe.probe_once()
    assert value(registry, "safehands_database_write_seconds_count") == 2
    assert value(registry, "safehands_database_write_age_seconds") == 0


async def test_before_the_first_commit_the_age_counts_from_the_start() -> None:
    registry = CollectorRegistry()
    clock = Clock()
    WriteProbeMetrics(registry, clock=clock)
    clock.now += 7
    assert value(registry, "safehands_database_write_age_seconds") == 7


async def test_a_failing_write_does_not_end_the_probe() -> None:
    registry = CollectorRegistry()
    metrics = WriteProbeMetrics(registry)
    rounds = 0

    async def commit() -> None:
        nonlocal rounds
        rounds += 1
        raise ConnectionError("mongodb://user:secret@db")

    probe = DatabaseWriteProbe(commit, metrics, every_seconds=0.01, deadline_seconds=1)
    running = asyncio.create_task(probe.run())
    while rounds < 3:
        await asyncio.sleep(0.01)
    assert not running.done()
    running.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await running
    assert value(registry, "safehands_database_write_failures_total") >= 3
