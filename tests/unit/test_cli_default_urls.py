"""The command line talks to the platform where `safehands up` puts it for people: the
gateway, with each service's API under /api/<service>/ (as the README's walkthrough does)."""

from __future__ import annotations

import inspect

from cli.gateway import ROUTED_SERVICES
from cli.reporting_client import DEFAULT_INTAKE_URL, DEFAULT_REPORTS_URL, ReportingApi
from cli.up import up


def test_the_clients_default_to_the_gateway_of_safehands_up() -> None:
    gateway_port = inspect.signature(up).parameters["gateway_port"].default
    gateway = f"http://127.0.0.1:{gateway_port}"
    assert f"{gateway}/api/intake" == DEFAULT_INTAKE_URL
    assert f"{gateway}/api/reports" == DEFAULT_REPORTS_URL
    assert {"intake", "reports"} <= set(ROUTED_SERVICES)
    with ReportingApi() as api:
        assert api._reports("demo", "/vcp-keys") == f"{gateway}/api/reports/v1/orgs/demo/vcp-keys"
