"""A sixth service costs its folder and its line in the one list of services
(cli/services.py, SERVICES): everything that knows the services reads that list.

A throw-away service, `sixth`, is written to a scratch folder and added to the list at the
start of a fresh Python process, before anything reads it, as its line in cli/services.py
would. Then, with no other edit:
- `safehands up --help` offers its port and `safehands serve --help` its name;
- the compose checks (tests/unit/test_compose.py) fail, naming it: docker-compose.yml, the
  ports override, Prometheus and the gateway do not know it yet;
- the API reference's check (tests/unit/test_api_reference.py) builds its app and fails for
  want of its section in docs/api.md.
The event catalogue (AsyncAPI, `make docs`) is made from the event registry, not from the
services: a new service's new events are registered in shared/events/, where the catalogue
finds them, and a service that publishes existing events changes nothing there.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PORT = 8096

BOOTSTRAP = '''
"""A throw-away service for tests/unit/test_adding_a_service.py."""

from fastapi import APIRouter

from shared.runtime.definition import ServiceDefinition

router = APIRouter(prefix="/v1/orgs/{org}", tags=["greetings"])


@router.get("/greeting", summary="A greeting (anyone).")
async def greeting(org: str) -> dict[str, str]:
    return {"greeting": f"hello {org}"}


DEFINITION = ServiceDefinition(
    name="sixth", description="A throw-away sixth service.", routers=[router]
)
'''


@pytest.fixture(scope="module")
def prelude(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Python that adds the throw-away service's folder and its line to the list."""
    folder = tmp_path_factory.mktemp("more_services")
    (folder / "sixth").mkdir()
    (folder / "sixth" / "__init__.py").write_text("")
    (folder / "sixth" / "bootstrap.py").write_text(BOOTSTRAP)
    return textwrap.dedent(
        f"""
        import sys

        import cli.services as listed
        import services

        services.__path__.append({str(folder)!r})
        listed.SERVICES = (*listed.SERVICES, listed.ServiceEntry("sixth", {PORT}))
        listed.SERVICE_NAMES = tuple(service.name for service in listed.SERVICES)
        """
    )


def run(prelude: str, code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", prelude + textwrap.dedent(code)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def words(help_text: str) -> str:
    """The help's words on one line, without the boxes rich draws around them."""
    return " ".join(help_text.replace("│", " ").split())


def test_the_command_line_offers_the_new_service(prelude: str) -> None:
    up = run(prelude, "from cli.main import app\napp(['up', '--help'], prog_name='safehands')")
    assert up.returncode == 0, up.stderr
    assert f"notify=8084, sixth={PORT}" in words(up.stdout)
    serve = run(prelude, "from cli.main import app\napp(['serve', '--help'], prog_name='x')")
    assert serve.returncode == 0, serve.stderr
    assert "notify, sixth" in words(serve.stdout)
    # The port is the list's: `--port sixth=PORT` is accepted like any other service's.
    ports = run(
        prelude,
        "from cli.up import service_ports\nprint(service_ports(['sixth=9096'], {})['sixth'])",
    )
    assert ports.stdout.split() == ["9096"], ports.stderr


def pytest_in(prelude: str, *arguments: str) -> subprocess.CompletedProcess[str]:
    return run(
        prelude,
        f"""
        import pytest
        sys.exit(pytest.main(['-q', '-p', 'no:cacheprovider', '-p', 'no:randomly', {", ".join(repr(a) for a in arguments)}]))
        """,
    )


def test_the_compose_checks_notice_the_new_service(prelude: str) -> None:
    checks = {
        "test_compose_runs_exactly_the_listed_services": "no service for sixth",
        "test_ports_override_publishes_each_replica_on_a_random_loopback_port": "'sixth'",
        "test_prometheus_discovers_every_replica_of_every_service": "'sixth'",
        "test_gateway_routes_every_service_by_its_compose_name": "GATEWAY_SIXTH_UPSTREAM",
    }
    result = pytest_in(prelude, "tests/unit/test_compose.py", "-k", " or ".join(checks))
    assert result.returncode == 1, result.stdout + result.stderr
    for check, evidence in checks.items():
        failure = result.stdout.split(f"_ {check} _", 1)
        assert len(failure) == 2, f"{check} did not fail:\n{result.stdout}"
        assert evidence in failure[1].split("\n_", 1)[0], failure[1]


def test_the_api_reference_check_wants_the_new_services_section(prelude: str) -> None:
    result = pytest_in(prelude, "tests/unit/test_api_reference.py", "-k", "sixth")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "docs/api.md has no section for sixth" in result.stdout
