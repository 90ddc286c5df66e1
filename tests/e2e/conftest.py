"""The five services as separate processes, shared by the tests of one module.

identity starts first; the others verify tokens with its JWKS, as under `safehands up`.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cli.services import SERVICE_NAMES
from tests.support.platform import Infrastructure, Platform, RunningService, wait_until_ready

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
def services(infra: Infrastructure) -> Iterator[dict[str, RunningService]]:
    platform = Platform(infra)
    try:
        identity = platform.start("identity", env=IDENTITY_ENV)
        jwks = {"SAFEHANDS_JWKS_URL": f"{identity.url}/.well-known/jwks.json"}
        others = {
            name: platform.start(name, env=jwks, wait=False)
            for name in SERVICE_NAMES
            if name != "identity"
        }
        for service in others.values():
            wait_until_ready(service)
        yield {"identity": identity, **others}
    finally:
        platform.stop_all()
