"""Fixtures: a real Kafka-protocol broker, MongoDB-protocol server and SMTP sink per module."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from cli.embedded import (
    broker_process,
    database_process,
    free_port,
    smtp_sink_process,
    wait_for_port,
)
from shared.auth.tokens import create_key_pair
from shared.runtime.rate_limit import create_rate_limit_secret
from tests.support.object_store import RunningObjectStore, running_object_store
from tests.support.platform import Infrastructure, Platform

# `make test` runs the tests in parallel (pytest-xdist: `-n 3 --dist loadfile
# --no-loadscope-reorder`): each worker takes the next test file in this order when it has
# finished one. The longest files first, then by folder from slow to fast, so that no long
# file starts near the end and keeps one worker busy after the others have finished (the
# heaviest alone takes four minutes). Within a file the order stays as written.
LONGEST_FIRST = (
    "tests/e2e/test_up_restarts.py",
    "tests/e2e/test_readme_walkthrough.py",
    "tests/integration/test_three_instances.py",
    "tests/e2e/test_embedded_up.py",
)
SLOW_TO_FAST = ("tests/e2e/", "tests/browser/", "tests/integration/", "tests/unit/")


def _run_order(item: pytest.Item) -> tuple[int, int]:
    path = item.nodeid.split("::", 1)[0]
    if path in LONGEST_FIRST:
        return (0, LONGEST_FIRST.index(path))
    folder = next((n for n, f in enumerate(SLOW_TO_FAST) if path.startswith(f)), len(SLOW_TO_FAST))
    return (1, folder)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=_run_order)  # stable: files keep their order within a rank


# One broker, database and SMTP sink per test module, not per session: consumers start at the
# earliest offset, so on a shared broker every new service first read every event all earlier
# modules had left, and waits meant for one module's events ran out in a long run.
@pytest.fixture(scope="module")
def infra(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Infrastructure]:
    root: Path = tmp_path_factory.mktemp("safehands")
    log_dir = root / "logs"
    kafka = broker_process(free_port(), log_dir)
    mongo = database_process(free_port(), ":memory:", log_dir)
    smtp = smtp_sink_process(free_port(), root / "mail", log_dir)
    children = [kafka, mongo, smtp]
    create_key_pair(
        root / "data" / "keys" / "jwt_private.pem", root / "data" / "keys" / "jwt_public.pem"
    )
    create_rate_limit_secret(root / "data" / "keys" / "rate_limit_secret")
    try:
        for child in children:
            child.start()
            wait_for_port(child, timeout=60)
        yield Infrastructure(
            kafka_bootstrap=f"127.0.0.1:{kafka.port}",
            mongo_uri=f"mongodb://127.0.0.1:{mongo.port}/?directConnection=true",
            smtp_port=smtp.port,
            maildir=root / "mail",
            data_dir=root / "data",
            log_dir=log_dir,
        )
    finally:
        for child in reversed(children):
            child.stop()


@pytest.fixture
def platform(infra: Infrastructure) -> Iterator[Platform]:
    running = Platform(infra)
    try:
        yield running
    finally:
        running.stop_all()


@pytest.fixture(scope="module")
async def object_store(
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[RunningObjectStore]:
    """An S3 store (SeaweedFS) for the modules that keep attachments in one."""
    async with running_object_store(tmp_path_factory.mktemp("object-store")) as running:
        yield running
