"""Inputs are taken as written: a request body's integers and booleans are strict (JSON
`true` is no 1 and `0` no false), and every numeric query parameter has an upper bound (a
page past any integer is a 422, never a 500). Checked over every route of every service, so
that a new model or parameter cannot slip past."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from pydantic import BaseModel, TypeAdapter, ValidationError

from cli.services import SERVICE_NAMES
from shared.domain.numbers import WholeNumber
from tests.support.service_apps import service_app

WRAPPERS = ("function-before", "function-wrap", "function-plain")


def lax_numbers(schema: Any, where: str, guarded: bool = False) -> list[str]:
    """The places in a pydantic core schema that coerce between booleans and numbers: an
    `int` or `bool` that is not strict, a literal number no validator of ours checks first."""
    found: list[str] = []
    if isinstance(schema, dict):
        kind = schema.get("type")
        if kind in ("int", "bool") and not schema.get("strict"):
            found.append(f"{where}: {kind}")
        expected = schema.get("expected", ()) if kind == "literal" else ()
        if not guarded and any(isinstance(value, int) for value in expected):
            found.append(f"{where}: literal {expected}")
        for key, value in schema.items():
            if kind in ("model-fields", "typed-dict") and key == "fields":
                for field, inner in value.items():
                    found += lax_numbers(inner, f"{where}.{field}", guarded)
            else:
                found += lax_numbers(value, where, guarded or kind in WRAPPERS)
    elif isinstance(schema, list):
        for item in schema:
            found += lax_numbers(item, where, guarded)
    return found


def api_routes(routes: list[Any]) -> list[APIRoute]:
    """The app's routes, those of included routers too (FastAPI keeps those nested)."""
    found: list[APIRoute] = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append(route)
        elif hasattr(route, "original_router"):
            found += api_routes(route.original_router.routes)
    return found


def body_models(app: FastAPI) -> dict[str, Any]:
    bodies: dict[str, Any] = {}
    for route in api_routes(app.routes):
        for param in route.dependant.body_params:
            annotation = param.field_info.annotation
            label = f"{sorted(route.methods)[0]} {route.path} {param.name}"
            bodies[label] = annotation
    return bodies


@pytest.mark.parametrize("name", SERVICE_NAMES)
def test_request_bodies_take_integers_and_booleans_strictly(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lax: list[str] = []
    for label, annotation in body_models(service_app(name, tmp_path, monkeypatch)).items():
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            schema = annotation.__pydantic_core_schema__
        else:
            schema = TypeAdapter(annotation).core_schema
        lax += lax_numbers(schema, label)
    assert not lax, "integers or booleans coerced in:\n" + "\n".join(lax)


@pytest.mark.parametrize("name", SERVICE_NAMES)
def test_every_numeric_query_parameter_has_an_upper_bound(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = service_app(name, tmp_path, monkeypatch).openapi()
    unbounded = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                schema = parameter["schema"]
                for variant in [schema, *schema.get("anyOf", [])]:
                    if variant.get("type") in ("integer", "number") and "maximum" not in variant:
                        unbounded.append(f"{method.upper()} {path} {parameter['name']}")
    assert not unbounded, "numeric parameters without a maximum: " + ", ".join(unbounded)


def test_every_service_has_bodies_to_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert any(
        "PUT /v1/orgs/{org}/roles/{role_id}" in label
        for label in body_models(service_app("policy", tmp_path, monkeypatch))
    )


def test_the_lax_finder_finds_a_lax_integer() -> None:
    class Lax(BaseModel):
        days: int
        flags: list[bool]

    assert len(lax_numbers(Lax.__pydantic_core_schema__, "Lax")) == 2


def test_a_whole_number_is_the_contracts_integer() -> None:
    # JSON Schema's `integer` includes 2.0 (the fuzzer sends it as schema-valid input); a
    # string, a boolean or a fraction stays refused.
    whole = TypeAdapter(WholeNumber)
    assert whole.validate_python(2) == 2
    assert whole.validate_json("2.0") == 2 and isinstance(whole.validate_json("2.0"), int)
    for refused in ("true", '"2"', "2.5"):
        with pytest.raises(ValidationError):
            whole.validate_json(refused)
    assert whole.json_schema() == {"type": "integer"}
