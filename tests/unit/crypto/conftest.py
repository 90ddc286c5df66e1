"""Shared fixtures for the crypto tests: key generation is the slow part, so do it once."""

from __future__ import annotations

import pytest

from shared.crypto import SUITES, PrivateKey, SuiteName


@pytest.fixture(scope="session")
def key_pool() -> dict[SuiteName, list[PrivateKey]]:
    return {suite: [PrivateKey.generate(suite) for _ in range(6)] for suite in SUITES}
