"""The five services as separate processes, shared by the tests of one module.

identity starts first; the others verify tokens with its JWKS, as under `safehands up`.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.platform import Infrastructure, Platform, RunningService

OPERATOR_EMAIL = "operator@example.org"
IDENTITY_ENV = {
    "SAFEHANDS_OPERATOR_EMAILS": f"{OPERATOR_EMAIL}, second-operator@example.org",
    "SAFEHANDS_WEB_URL": "http://web.example.test",
    # Every test signs in from 127.0.0.1, the operators many times; both limits have their
    # own test (tests/integration/test_identity_sign_in_limits.py).
    "SAFEHANDS_SIGN_IN_LIMIT_PER_CLIENT": "10000",
    "SAFEHANDS_SIGN_IN_LIMIT_PER_ADDRESS": "100",
}


@pytest.fixture(scope="module")
def services(
    request: pytest.FixtureRequest, infra: Infrastructure
) -> Iterator[dict[str, RunningService]]:
    """Every service; a test module may add settings for all of them in `SERVICES_ENV`."""
    env: dict[str, str] = getattr(request.module, "SERVICES_ENV", {})
    platform = Platform(infra)
    try:
        yield platform.start_services(identity_env={**IDENTITY_ENV, **env}, env=env)
    finally:
        platform.stop_all()
