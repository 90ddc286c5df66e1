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
