"""The OpenAPI documents tell the truth about errors, in one place for every service.

Every error is `{"detail": "<a sentence>"}` (see http_errors.py), 422 included, so the
document says so instead of FastAPI's array-shaped `HTTPValidationError`. Which statuses
an operation can answer is worked out from the route itself:

- a dependency that refuses a request says which statuses it answers with `@answers(...)`
  (authentication: 401, a role check: 403, another organisation's path: 404, a rate
  limit: 429), and every route that uses it documents them;
- a route with parameters or a body answers 422, a route with a body 413 (the body limit);
- a route that writes can answer 409 (a write conflict it kept losing), an API route 503
  (the database did not answer in time);
- what only the handler knows (404 for an unknown case, 409 for a conflict) it declares
  with `responses=errors(404, 409)`.

What a generated client needs besides (openapi-python-client, openapi-typescript): a short,
stable operation id per operation (`operation_id`, the route function's name in camelCase,
kept in docs/operation-ids.json so that a rename is seen), the `Retry-After` header of
every 429, and the addresses the API is served at (`servers_of`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any, TypeVar, cast

import fastapi.routing
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field

F = TypeVar("F", bound=Callable[..., Any])

# A generated client names its functions after these: `registerOrganisation`, not FastAPI's
# `register_organisation_v1_orgs_post`, which changes with the path.
OPERATION_ID = re.compile(r"^[a-z][a-zA-Z0-9]*$")
RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before trying again.",
        "required": True,
        "schema": {"type": "integer", "minimum": 1},
    }
}

ANSWERS_ATTRIBUTE = "__safehands_answers__"
ERROR_SCHEMA = "ErrorBody"
ERROR_REF = {"$ref": f"#/components/schemas/{ERROR_SCHEMA}"}

DESCRIPTIONS: dict[int, str] = {
    400: "The body cannot be read: not UTF-8 text.",
    401: "No bearer token, or one that is invalid or expired.",
    403: "The token's role may not do this here.",
    404: "Unknown, or another organisation's.",
    409: "Conflicts with the current state.",
    413: "The body is larger than the service accepts.",
    422: "Invalid input; the sentence says what and where.",
    428: "The organisation is under pressure: solve the proof-of-work challenge in the "
    "answer and send the solution in the X-Altcha header (docs/api.md).",
    429: "Too many requests; the Retry-After header says when to try again.",
    503: "The database did not answer in time; try again shortly.",
}
# Every route that writes may lose a write conflict to a concurrent request more often than
# it is retried (http_errors.py answers 409); every API route waits on the database at most
# SAFEHANDS_MONGO_TIMEOUT_MS (503).
WRITING_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
API_PREFIX = "/v1/"


class ErrorBody(BaseModel):
    """Every error answer: one sentence a person understands, never the submitted values."""

    detail: str = Field(min_length=1, examples=["The report is closed."])
    fields: list[str] | None = Field(
        default=None,
        description="422 only: the fields the sentence is about, by name (dotted when nested),"
        " in its order, so that a client shows it beside them. Never the values sent.",
        examples=[["email"]],
    )


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` for the error statuses that only a route's handler knows it answers."""
    return {
        status: {"model": ErrorBody, "description": DESCRIPTIONS[status]} for status in statuses
    }


def operation_id(route: APIRoute) -> str:
    """The operation id of `route` (FastAPI's `generate_unique_id_function`): an explicit
    `operation_id=` if the route has one, else its function's name in camelCase."""
    if route.operation_id:
        return route.operation_id
    first, *rest = route.name.split("_")
    return first + "".join(word[:1].upper() + word[1:] for word in rest)


def servers_of(service: str) -> list[dict[str, str]]:
    """Where a service's API is served: behind the gateway under `/api/<service>` (deploy/
    Caddyfile strips the prefix), and on the service's own port during development."""
    return [
        {"url": f"/api/{service}", "description": "Through the gateway (every deployment)."},
        {"url": "/", "description": "The service on its own port (local development)."},
    ]


def answers(*statuses: int) -> Callable[[F], F]:
    """Mark a FastAPI dependency with the error statuses it can answer; every route that
    depends on it, however deeply, documents them."""

    def mark(dependency: F) -> F:
        setattr(
            dependency, ANSWERS_ATTRIBUTE, (*getattr(dependency, ANSWERS_ATTRIBUTE, ()), *statuses)
        )
        return dependency

    return mark


def _dependants(dependant: Dependant) -> Iterator[Dependant]:
    yield dependant
    for sub in dependant.dependencies:
        yield from _dependants(sub)


def statuses_of(route: APIRoute) -> set[int]:
    """The error statuses `route` can answer, from its dependencies and its parameters."""
    found: set[int] = set()
    has_parameters = False
    for dependant in _dependants(route.dependant):
        found.update(getattr(dependant.call, ANSWERS_ATTRIBUTE, ()))
        if dependant.path_params or dependant.query_params or dependant.header_params:
            has_parameters = True
        if dependant.cookie_params or dependant.body_params:
            has_parameters = True
    if route.body_field is not None:
        # 400: a body that cannot even be decoded (not UTF-8), as FastAPI answers it.
        found.update({400, 413, 422})
    if has_parameters:
        found.add(422)
    return found


def _error_response(status: int) -> dict[str, Any]:
    return {
        "description": DESCRIPTIONS.get(status, "An error."),
        "content": {"application/json": {"schema": ERROR_REF}},
    }


def api_routes(app: FastAPI) -> Iterator[APIRoute]:
    """Every API route of `app`, with the prefix and dependencies of its router applied.

    FastAPI 0.16x keeps included routers as one entry each; `iter_route_contexts` walks
    them as its own OpenAPI generator does. Older versions copy the routes into the app.
    """
    iterate = getattr(fastapi.routing, "iter_route_contexts", None)
    if iterate is None:
        yield from (route for route in app.routes if isinstance(route, APIRoute))
        return
    for context in iterate(app.routes):
        if isinstance(context.original_route, APIRoute):
            # The context stands in for the effective route (same attributes).
            yield cast(APIRoute, context)


def _document_errors(app: FastAPI, document: dict[str, Any]) -> None:
    paths = document.get("paths", {})
    for route in api_routes(app):
        if not route.include_in_schema:
            continue
        statuses = statuses_of(route)
        for method in route.methods or ():
            operation = paths.get(route.path_format, {}).get(method.lower())
            if operation is None:
                continue
            responses = operation.setdefault("responses", {})
            answered = set(statuses)
            if route.path_format.startswith(API_PREFIX):
                answered.add(503)
                if method in WRITING_METHODS:
                    answered.add(409)
            for status in sorted(answered):
                responses.setdefault(str(status), _error_response(status))
            if "422" in responses:
                # Replaces FastAPI's HTTPValidationError: the services answer a sentence.
                responses["422"] = _error_response(422)
            if "429" in responses:
                # Every 429 says when to come back (shared/runtime/rate_limit.py, identity's).
                responses["429"].setdefault("headers", {**RETRY_AFTER})
            # A token that is read when sent (a service's membership check) but not required:
            # the empty requirement says so, or clients would believe it mandatory.
            security = operation.get("security")
            if 401 not in statuses and security and {} not in security:
                security.insert(0, {})
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas[ERROR_SCHEMA] = ErrorBody.model_json_schema(ref_template="#/components/schemas/{model}")
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)


def document_errors(app: FastAPI) -> None:
    """Make `app.openapi()` describe every error answer as it really is."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = generate()
            _document_errors(app, document)
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
