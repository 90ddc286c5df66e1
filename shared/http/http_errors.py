"""Every error answers `{"detail": "<a sentence a person understands>"}`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pymongo.errors import PyMongoError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.domain.errors import DomainError
from shared.logs import get_logger
from shared.storage.database import is_transient

log = get_logger(__name__)


def _where(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path")]
    return ".".join(parts) if parts else "the request body"


def fields_of(errors: list[dict[str, Any]]) -> list[str]:
    """The fields a 422's sentence is about, by name (dotted when nested), in its order and
    once each: so that a client shows the sentence beside the field without reading the
    sentence back. Names only, never the submitted values."""
    named = [
        _where(tuple(error.get("loc", ())))
        for error in errors[:5]
        if error.get("type") != "json_invalid"  # its place is a position, not a field
    ]
    return list(dict.fromkeys(name for name in named if name != "the request body"))


def describe_validation_error(errors: list[dict[str, Any]]) -> str:
    """One sentence from pydantic's errors, without echoing the submitted values."""
    problems = []
    for error in errors[:5]:
        if error.get("type") == "json_invalid":
            return "The request body is not valid JSON."
        message = error.get("msg", "invalid")
        if error.get("type") == "string_pattern_mismatch":
            # The pattern is for machines (the OpenAPI document shows it); people get words.
            message = "not in the expected format (characters or length)"
        problems.append(f"{_where(tuple(error.get('loc', ())))}: {message}")
    return "Invalid input — " + "; ".join(problems) + "."


DATABASE_TIMEOUT = (
    "The database did not answer in time, so this may not have been saved; "
    "please try again shortly."
)
WRITE_CONFLICT = (
    "Someone changed the same thing at the same moment, so nothing was saved; please try again."
)


def status_of(error: DomainError, statuses: Mapping[type[DomainError], int]) -> int | None:
    """The status of the most specific class of `error` that `statuses` names."""
    for cls in type(error).__mro__:
        if cls in statuses:
            return statuses[cls]
    return None


def allowed_methods(app: FastAPI, path: str) -> list[str]:
    """Every method the app's OpenAPI document lists for `path`, and HEAD with GET.

    Read from the document rather than the routers: it is the one flat list of what each
    path answers, the same one a client reads."""
    methods: set[str] = set()
    for template, operations in app.openapi().get("paths", {}).items():
        pattern, _, _ = compile_path(template)
        if pattern.match(path):
            methods.update(method.upper() for method in operations)
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods)


def install_error_handlers(
    app: FastAPI, domain_error_statuses: Mapping[type[DomainError], int] | None = None
) -> None:
    statuses = dict(domain_error_statuses or {})

    @app.exception_handler(DomainError)
    async def refused(_request: Request, exc: DomainError) -> JSONResponse:
        status = status_of(exc, statuses)
        if status is None:
            # A domain error the service did not map is a bug: the middleware below answers
            # it as any unexpected error.
            raise exc
        return JSONResponse({"detail": str(exc)}, status_code=status)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        # Starlette answers a 405 from the first route whose path matched, so `Allow` named
        # only that route's methods (`OPTIONS /v1/orgs` said `POST`, leaving out `GET`);
        # a client reading `Allow` must see every method the path has.
        if exc.status_code == 405 and (allowed := allowed_methods(app, request.scope["path"])):
            exc.headers = {**(exc.headers or {}), "Allow": ", ".join(allowed)}
        return await http_exception_handler(request, exc)

    @app.exception_handler(RequestValidationError)
    async def invalid_input(_request: Request, exc: RequestValidationError) -> JSONResponse:
        found = list(exc.errors())
        return JSONResponse(
            {"detail": describe_validation_error(found), "fields": fields_of(found)},
            status_code=422,
        )

    @app.exception_handler(PyMongoError)
    async def database_error(request: Request, exc: PyMongoError) -> JSONResponse:
        # A route whose transaction lost a write conflict to a concurrent one (and was not,
        # or no longer, run again by `Database.transact`): nothing was saved, and trying
        # again will work. An operation that ran out of time (SAFEHANDS_MONGO_TIMEOUT_MS)
        # is a 503. Anything else from the database stays a 500.
        if exc.timeout:
            return JSONResponse(
                {"detail": DATABASE_TIMEOUT}, status_code=503, headers={"Retry-After": "5"}
            )
        if not is_transient(exc):
            raise exc
        route = getattr(request.scope.get("route"), "path", "unmatched")
        log.info("write conflict answered 409", route=route)
        return JSONResponse({"detail": WRITE_CONFLICT}, status_code=409)

    # Outside the exception handlers: Starlette re-raises after those, and the server would
    # log the traceback, whose driver messages can quote key values.
    app.add_middleware(UnexpectedErrorMiddleware)


UNEXPECTED = "Something went wrong on our side; nothing was saved. Please try again."


class UnexpectedErrorMiddleware:
    """An exception no handler answered becomes a 500 in plain words, logged by its type only.

    Plain ASGI rather than `@app.middleware("http")`: Starlette's BaseHTTPMiddleware runs
    every request through a task and memory streams, which cost intake a measurable share of
    its requests per second (issue 27)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def noting_start(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, noting_start)
        except Exception as exc:
            route = getattr(scope.get("route"), "path", "unmatched")
            log.error("unhandled error", route=route, error=type(exc).__name__)
            if started:
                # The status is sent; returning unfinished makes the server close the
                # connection, so the client sees a broken answer rather than a whole one.
                return
            await JSONResponse({"detail": UNEXPECTED}, status_code=500)(scope, receive, send)
