"""The four services as separate processes, shared by the tests of one module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cli.services import SERVICE_NAMES
from tests.support.platform import Infrastructure, Platform, RunningService


@pytest.fixture(scope="module")
def services(infra: Infrastructure) -> Iterator[dict[str, RunningService]]:
    platform = Platform(infra)
    try:
        yield {name: platform.start(name) for name in SERVICE_NAMES}
    finally:
        platform.stop_all()
