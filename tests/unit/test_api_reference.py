"""docs/api.md cannot drift: every route and status in it is in the services' OpenAPI
documents and the other way round, and its event types are the registry's."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from cli.services import SERVICE_NAMES, definition_of
from shared.auth.tokens import create_key_pair
from shared.events import REGISTRY
from shared.runtime.app import create_app
from shared.settings import load_settings

REFERENCE = Path(__file__).resolve().parents[2] / "docs" / "api.md"
ROW = re.compile(r"^\| `(GET|POST|PUT|DELETE|PATCH) (/\S*)` \|.*\| ([\d ]+) \|$")
EVERY_SERVICE = "Every service"

Routes = dict[tuple[str, str], set[str]]


def documented() -> dict[str, Routes]:
    """The route rows of docs/api.md by section heading: (method, path) → statuses."""
    sections: dict[str, Routes] = {}
    heading = ""
    for line in REFERENCE.read_text().splitlines():
        if line.startswith("## "):
            heading = line[3:].split(" (")[0]
            continue
        match = ROW.match(line)
        if match:
            method, path, statuses = match.groups()
            sections.setdefault(heading, {})[(method, path)] = set(statuses.split())
    return sections


def served(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Routes:
    """(method, path) → statuses from the OpenAPI document the service serves."""
    create_key_pair(tmp_path / "keys" / "jwt_private.pem", tmp_path / "keys" / "jwt_public.pem")
    monkeypatch.setenv("SAFEHANDS_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SAFEHANDS_RATE_LIMIT_SECRET", "s" * 32)
    app = create_app(definition_of(name), load_settings(service_name=name))
    document: dict[str, Any] = app.openapi()
    return {
        (method.upper(), path): set(operation["responses"])
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
    }


@pytest.mark.parametrize("name", SERVICE_NAMES)
def test_every_route_and_status_of_a_service_is_in_the_reference(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sections = documented()
    assert name in sections, f"docs/api.md has no section for {name}"
    # As the reference says: every service refuses a former member's token everywhere.
    shared = {route: {*statuses, "403"} for route, statuses in sections[EVERY_SERVICE].items()}
    in_reference = {**shared, **sections[name]}
    in_openapi = served(name, tmp_path, monkeypatch)
    assert sorted(in_reference) == sorted(in_openapi)
    for route, statuses in in_openapi.items():
        assert in_reference[route] == statuses, route


def test_the_reference_documents_no_route_twice_and_no_unknown_section() -> None:
    sections = documented()
    assert set(sections) == {EVERY_SERVICE, *SERVICE_NAMES}
    for name in SERVICE_NAMES:
        assert not set(sections[name]) & set(sections[EVERY_SERVICE]), name


def test_the_event_types_are_the_registry_s() -> None:
    listed = set(re.findall(r"`(nl\.safehands\.[a-z_.]+\.v\d+)`", REFERENCE.read_text()))
    assert listed == {event.type_name for event in REGISTRY}
