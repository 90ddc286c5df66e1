"""Every service has the same shape, so that a newcomer finds the same things under the same
names in each (README.md, "How the code is laid out")."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

from cli.services import SERVICE_NAMES, definition_of
from shared.domain.errors import DomainError

SERVICES = Path(__file__).resolve().parents[2] / "services"


@pytest.mark.parametrize("name", SERVICE_NAMES)
def test_each_service_has_the_common_files(name: str) -> None:
    folder = SERVICES / name
    for part in (
        "bootstrap.py",
        "storage.py",
        "event_handlers.py",
        "http_routes/__init__.py",
        "use_cases/__init__.py",
        "domain/errors.py",
    ):
        assert (folder / part).is_file(), f"services/{name}/{part} is missing"
    # Routes live in http_routes/, nowhere else.
    stray = sorted(path.name for path in folder.glob("*_routes.py"))
    assert stray == [], f"services/{name} has routes outside http_routes/: {stray}"


@pytest.mark.parametrize("name", SERVICE_NAMES)
def test_each_service_serves_the_routers_its_http_routes_gather(name: str) -> None:
    routes = importlib.import_module(f"services.{name}.http_routes")
    assert list(definition_of(name).routers) == list(routes.ROUTERS)
    assert routes.ROUTERS, f"services/{name}/http_routes gathers no router"


def test_there_are_no_other_service_folders() -> None:
    folders = {path.name for path in SERVICES.iterdir() if (path / "__init__.py").is_file()}
    assert folders == set(SERVICE_NAMES)


def domain_errors(base: type[DomainError] = DomainError) -> set[type[DomainError]]:
    found = set()
    for subclass in base.__subclasses__():
        found |= {subclass, *domain_errors(subclass)}
    return found


@pytest.mark.parametrize("name", SERVICE_NAMES)
def test_each_domain_error_of_a_service_has_its_http_status(name: str) -> None:
    definition = definition_of(name)
    own = {cls for cls in domain_errors() if cls.__module__.startswith(f"services.{name}.")}
    assert own == set(definition.error_statuses), (
        f"services/{name}/http_routes/__init__.py's ERROR_STATUSES must map exactly the "
        f"service's domain errors"
    )


@pytest.mark.parametrize("name", SERVICE_NAMES)
def test_use_cases_and_domain_know_nothing_of_http(name: str) -> None:
    """Refusals below the routes are domain errors; only http_routes/ (and the request
    dependencies beside it) speak HTTP, so a use case reads the same from a handler or a test."""
    folder = SERVICES / name
    speaking_http = sorted(
        str(path.relative_to(SERVICES))
        for part in ("use_cases", "domain")
        for path in (folder / part).rglob("*.py")
        if "fastapi" in path.read_text() or "starlette" in path.read_text()
    )
    assert speaking_http == [], f"these import FastAPI or Starlette: {speaking_http}"


# A collection's methods: a route that called one would read or write around the service's
# named homes (queries.py for reads that decide nothing, use cases for the rest).
COLLECTION_METHODS = {
    "find",
    "find_one",
    "count",
    "count_documents",
    "aggregate",
    "distinct",
    "insert_one",
    "insert_many",
    "update_one",
    "update_many",
    "replace_one",
    "delete_one",
    "delete_many",
    "find_one_and_update",
    "bulk_write",
}


def _collection_calls(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    return [
        f"{path.name}:{node.lineno} .{node.func.attr}()"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in COLLECTION_METHODS
    ]


@pytest.mark.parametrize("name", SERVICE_NAMES)
def test_routes_read_through_queries_and_write_through_use_cases(name: str) -> None:
    """Issue 26 found 23 direct collection calls across 10 route files. A route loads through
    the service's `queries.py` (or a use case), decides nothing itself, and stores through a
    use case in a unit of work."""
    calls = [
        call
        for path in sorted((SERVICES / name / "http_routes").glob("*.py"))
        for call in _collection_calls(path)
    ]
    assert calls == [], f"services/{name}/http_routes call collections directly: {calls}"


def test_the_route_check_sees_a_direct_call(tmp_path: Path) -> None:
    """The check above finds the call it forbids, so its silence means something."""
    probe = tmp_path / "probe.py"
    probe.write_text("async def f(db):\n    return await db.tenant_collection('o', 'x').find({})\n")
    assert _collection_calls(probe) == ["probe.py:2 .find()"]
