"""Every route's dependencies run on the event loop: FastAPI runs a plain `def` dependency
(or endpoint) in its thread pool, a hand-over to a worker thread and back on every request.
`runtime_of`, on nearly every route, did that for one attribute read: about 5 % of intake's
CPU at 150 applications a second (bench/request_profile.py)."""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable, Iterator
from typing import Any

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from cli.services import SERVICE_NAMES
from shared.runtime.definition import ServiceDefinition


def _on_the_loop(call: Callable[..., Any]) -> bool:
    return (
        inspect.iscoroutinefunction(call)
        or inspect.isasyncgenfunction(call)
        or inspect.iscoroutinefunction(call.__call__)  # an instance with `async def __call__`
    )


def _calls(dependant: Dependant) -> Iterator[Callable[..., Any]]:
    if dependant.call is not None:
        yield dependant.call
    for inner in dependant.dependencies:
        yield from _calls(inner)


def _routes() -> Iterator[tuple[str, APIRoute]]:
    for name in SERVICE_NAMES:
        definition: ServiceDefinition = importlib.import_module(
            f"services.{name}.bootstrap"
        ).DEFINITION
        for router in definition.routers:
            for route in router.routes:
                if isinstance(route, APIRoute):
                    yield name, route


def test_the_services_have_routes_to_check() -> None:
    assert sum(1 for _ in _routes()) > 100


def test_no_route_waits_on_the_thread_pool() -> None:
    in_threads = sorted(
        {
            f"{name} {route.path}: {call.__module__}.{call.__qualname__}"
            for name, route in _routes()
            for call in _calls(route.dependant)
            if not _on_the_loop(call)
        }
    )
    assert in_threads == []
