"""Each service commits a small timed write to its database (shared/storage/write_probe.py),
so that a database that takes no writes is seen by the alert rules before a reporter meets
it. Against the real database: the probe's commits are timed and their documents kept for the expiry job; while
the database stands still (its process stopped) the age since the last commit grows and the
failures are counted; once it runs again the probe commits again, and the service never
stopped."""

from __future__ import annotations

import dataclasses
import os
import signal
import time
from collections.abc import Iterator

import pytest
from prometheus_client.parser import text_string_to_metric_families
from pymongo import MongoClient

from cli.embedded import ChildProcess, database_process, free_port, wait_for_port
from shared.storage.database import service_database_name
from shared.storage.write_probe import WRITE_PROBE
from tests.support.platform import Infrastructure, Platform, eventually

PROBE_SECONDS = 0.2
# The probe's deadline is the driver's operation timeout (SAFEHANDS_MONGO_TIMEOUT_MS).
DEADLINE_MS = 500
STOPPED_SECONDS = 4


@pytest.fixture
def own_database(infra: Infrastructure) -> Iterator[tuple[ChildProcess, Infrastructure]]:
    """A database of this test's own, which it may stop without holding up other tests."""
    database = database_process(free_port(), ":memory:", infra.log_dir)
    database.start()
    try:
        wait_for_port(database, timeout=60)
        yield (
            database,
            dataclasses.replace(
                infra, mongo_uri=f"mongodb://127.0.0.1:{database.port}/?directConnection=true"
            ),
        )
    finally:
        database.stop()


def metric(text: str, name: str) -> float:
    return sum(
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == name
    )


def test_a_database_that_takes_no_writes_shows_in_the_probes_age_and_failures(
    own_database: tuple[ChildProcess, Infrastructure],
) -> None:
    database, infra = own_database
    platform = Platform(infra)
    try:
        policy = platform.start(
            "policy",
            env={
                "SAFEHANDS_DATABASE_PROBE_SECONDS": str(PROBE_SECONDS),
                "SAFEHANDS_MONGO_TIMEOUT_MS": str(DEADLINE_MS),
            },
        )
        with policy.client() as http:

            def scraped(name: str) -> float:
                return metric(http.get("/metrics").text, name)

            eventually(lambda: scraped("safehands_database_write_seconds_count") >= 3, timeout=30)
            assert scraped("safehands_database_write_age_seconds") < 2
            with MongoClient(infra.mongo_uri, tz_aware=True) as client:
                probes = client[service_database_name(platform.database, "policy")][WRITE_PROBE]
                kept = list(probes.find())
            assert len(kept) >= 3
            assert all(probe["expires_at"].timestamp() > time.time() for probe in kept)

            failures_before = scraped("safehands_database_write_failures_total")
            assert database.process is not None
            os.kill(database.process.pid, signal.SIGSTOP)
            try:
                time.sleep(STOPPED_SECONDS)
                # The service itself still answers (its metrics), and says what it saw.
                age = scraped("safehands_database_write_age_seconds")
                failures = scraped("safehands_database_write_failures_total")
            finally:
                os.kill(database.process.pid, signal.SIGCONT)
            assert age >= STOPPED_SECONDS - 1
            assert failures > failures_before

            eventually(lambda: scraped("safehands_database_write_age_seconds") < 1, timeout=30)
            assert http.get("/readyz").status_code == 200
    finally:
        platform.stop_all()
