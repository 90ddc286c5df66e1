"""What a service declares about itself in its `bootstrap.py`: name, port, routers, event
handlers, the events it publishes, indexes, jobs and background tasks. Plain data: shared/runtime/app.py turns it
into a running process."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter

from shared.auth.dependencies import MembershipCheck
from shared.domain.errors import DomainError
from shared.events import Event
from shared.http.body_limit import DEFAULT_MAX_BODY_BYTES
from shared.messaging.consumer import Handlers
from shared.runtime.background import BackgroundTask
from shared.runtime.runtime import Runtime
from shared.settings import Settings
from shared.storage.changes import ChangesOf
from shared.storage.database import IndexSpec


@dataclass(frozen=True)
class PeriodicJob:
    """Work that runs every `interval_seconds` on one instance at a time, whatever the number
    of instances (see shared/runtime/scheduler.py): a background task under a lease."""

    name: str
    run: Callable[[Runtime], Awaitable[None]]
    # None: the service's `scheduler_interval_seconds` setting.
    interval_seconds: float | None = None


@dataclass(frozen=True)
class ServiceDefinition:
    name: str
    description: str
    routers: Sequence[APIRouter] = ()
    handlers: Handlers = field(default_factory=dict)
    # Instead of `handlers`, for handlers that need settings (notify's operator addresses).
    handlers_from_settings: Callable[[Settings], Handlers] | None = None
    # Every event type the service may put in its outbox; the outbox refuses any other.
    publishes: Sequence[type[Event]] = ()
    indexes: Sequence[IndexSpec] = ()
    jobs: Sequence[PeriodicJob] = ()
    # What routes and jobs need beyond the runtime (identity's signing key), attached by name
    # once the runtime is connected. Nothing here runs by itself: that is `background`.
    extensions: Callable[[Runtime], Mapping[str, Any]] | None = None
    # Work that runs as long as the process (notify's mail and webhook workers), made once
    # the runtime is connected and its extensions attached; the runtime starts and stops it.
    background: Callable[[Runtime], Sequence[BackgroundTask]] | None = None
    # Every service refuses, on every route, a token whose holder is no longer a member with
    # its roles (shared/auth/membership.py). A service that owns a kind of membership
    # (reports: VCP appointments) adds this check of its own (see shared/runtime/app.py).
    membership_check: MembershipCheck | None = None
    # Anonymous routes use `rate_limited(scope)`: the runtime then keeps the shared limiter.
    rate_limited: bool = False
    # The largest request body, unless SAFEHANDS_HTTP_MAX_BODY_BYTES says otherwise.
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    # Live pages (shared/runtime/live.py): the hints the service's events give its pages;
    # with it the service serves GET /v1/orgs/{org}/changes.
    live_changes: ChangesOf | None = None
    # The HTTP status of each of the service's domain errors (see shared/domain/errors.py).
    error_statuses: Mapping[type[DomainError], int] = field(default_factory=dict)

    def handlers_for(self, settings: Settings) -> Handlers:
        if self.handlers_from_settings:
            return self.handlers_from_settings(settings)
        return self.handlers
