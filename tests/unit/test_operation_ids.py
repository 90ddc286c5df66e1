"""Every operation of every service has a short, stable, camelCase id of its own, and the ids
do not change without docs/operation-ids.json (`make docs`) changing with them: a generated
client's functions are named after them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute

from cli.openapi import OPERATION_IDS, documents, generated, operation_ids, operations
from shared.http.openapi import OPERATION_ID, operation_id

COMMITTED = Path(__file__).resolve().parents[2] / "docs" / OPERATION_IDS


@pytest.fixture(scope="module")
def served() -> dict[str, dict[str, str]]:
    return operation_ids()


def test_every_operation_has_a_unique_camel_case_id(served: dict[str, dict[str, str]]) -> None:
    for name, ids in served.items():
        assert ids, name
        for route, found in ids.items():
            assert OPERATION_ID.match(found), f"{name} {route}: {found!r} is not camelCase"
            # FastAPI's default repeats the path and the method: never a stable name.
            assert "_" not in found and not found.endswith(("Get", "Post", "Put", "Delete"))
        assert len(set(ids.values())) == len(ids), f"{name} has an operation id twice"


def test_the_ids_are_the_committed_ones(served: dict[str, dict[str, str]]) -> None:
    committed = json.loads(COMMITTED.read_text())
    for name in served:
        changed = {
            route: (committed.get(name, {}).get(route), found)
            for route, found in served[name].items()
            if committed.get(name, {}).get(route) != found
        }
        gone = set(committed.get(name, {})) - set(served[name])
        assert not changed and not gone, (
            f"{name}'s operation ids differ from docs/{OPERATION_IDS} (committed, served): "
            f"{changed}, gone: {sorted(gone)}. A changed id breaks generated clients; if it is "
            "meant, run `make docs` and say so in the change."
        )
    assert set(committed) == set(served)


def test_every_document_names_the_gateway_as_its_server() -> None:
    for name, document in documents():
        assert document["servers"][0]["url"] == f"/api/{name}"


def test_every_429_declares_its_retry_after_header() -> None:
    seen = 0
    for name, document in documents():
        for route, operation in operations(document):
            answer = operation["responses"].get("429")
            if answer is not None:
                seen += 1
                header = answer["headers"]["Retry-After"]
                assert header["required"] is True, f"{name} {route}"
                assert header["schema"]["type"] == "integer"
    assert seen >= 4  # intake's and reports' anonymous routes, identity's sign-in


def test_no_two_schemas_of_a_service_share_a_name() -> None:
    # Two models of one name (policy's advice `Answer` and a consultation's) make FastAPI
    # name them by module (`services__policy__…__Answer`), and a generated client refuses
    # the second as a duplicate model.
    for name, document in documents():
        qualified = [s for s in document["components"]["schemas"] if "__" in s]
        assert not qualified, f"{name}: models named twice: {qualified}"


def test_an_explicit_id_wins_and_a_function_name_becomes_camel_case() -> None:
    app = FastAPI(generate_unique_id_function=operation_id)

    @app.get("/a")
    async def read_the_thing() -> None: ...

    @app.get("/b", operation_id="somethingElse")
    async def other() -> None: ...

    ids = [route.unique_id for route in app.routes if isinstance(route, APIRoute)]
    assert ids == ["readTheThing", "somethingElse"]


def test_the_committed_openapi_documents_are_current() -> None:
    """docs/openapi/<service>.json is what the web's types are generated from
    (web/scripts/api-types.mjs): a route changed without `make docs` would leave the web
    typed against the old contract."""
    docs = COMMITTED.parent
    stale = [
        path
        for path, content in generated().items()
        if not (docs / path).is_file() or (docs / path).read_text("utf-8") != content
    ]
    assert not stale, f"Out of date in docs/: {stale}. Run `make docs` and commit the change."
