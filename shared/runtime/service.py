"""What every service process is made of: FastAPI app, Kafka subscribers, outbox relay,
periodic jobs, health and metrics. A service's `bootstrap.py` describes itself with a
`ServiceDefinition`; `create_app` wires it to settings, broker and database."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from faststream.kafka import KafkaBroker
from prometheus_client import CollectorRegistry
from pydantic import BaseModel

from shared.auth.dependencies import MembershipCheck, refuse_former_members
from shared.auth.tokens import load_public_key
from shared.auth.verifier import TokenVerifier
from shared.catalogue.http import router as catalogue_router
from shared.events import REGISTRY, Event
from shared.logs import configure_logging, get_logger
from shared.messaging.broker import create_broker, subscribe
from shared.messaging.consumer import EventConsumer, Handlers
from shared.messaging.dead_letters import DeadLetterPublisher
from shared.messaging.outbox_relay import OutboxRelay
from shared.messaging.topics import dead_letter_topic, ensure_topics
from shared.runtime.api_docs import install_api_docs
from shared.runtime.body_limit import DEFAULT_MAX_BODY_BYTES, BodyLimitMiddleware
from shared.runtime.http_errors import install_error_handlers
from shared.runtime.metrics import DatabaseCommandMetrics, HttpMetrics, metrics_response
from shared.runtime.openapi import document_errors
from shared.runtime.rate_limit import (
    RATE_LIMIT_INDEXES,
    RATE_LIMITS,
    Limits,
    RateLimiter,
    load_rate_limit_secret,
)
from shared.runtime.scheduler import PeriodicJob, run_periodically
from shared.settings import Settings
from shared.storage.database import Database, IndexSpec
from shared.storage.unit_of_work import UnitOfWork

log = get_logger(__name__)

T = TypeVar("T")


@dataclass(frozen=True)
class ServiceDefinition:
    name: str
    description: str
    default_port: int
    routers: Sequence[APIRouter] = ()
    handlers: Handlers = field(default_factory=dict)
    # Instead of `handlers`, for handlers that need settings (notify's operator addresses).
    handlers_from_settings: Callable[[Settings], Handlers] | None = None
    publishes: Sequence[type[Event]] = ()
    indexes: Sequence[IndexSpec] = ()
    jobs: Sequence[PeriodicJob] = ()
    # Services that need more than the runtime (an SMTP client, an HTTP client) attach it here.
    extensions: Callable[[Runtime], Mapping[str, Any]] | None = None
    # A service that owns a kind of membership refuses tokens of former members (see
    # shared/auth/dependencies.py) with this check, on every route.
    membership_check: MembershipCheck | None = None
    # Anonymous routes use `rate_limited(scope)`: the runtime then keeps the shared limiter.
    rate_limited: bool = False
    # The largest request body, unless SAFEHANDS_HTTP_MAX_BODY_BYTES says otherwise.
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES


class Runtime:
    """The live parts of one service process, reachable from routes and jobs."""

    def __init__(self, definition: ServiceDefinition, settings: Settings) -> None:
        self.definition = definition
        self.settings = settings
        self.instance_id = f"{definition.name}-{uuid.uuid4().hex[:8]}"
        self.source = f"/safehands/{definition.name}"
        self.metrics = CollectorRegistry()
        self.http_metrics = HttpMetrics(self.metrics)
        self.db = Database(
            settings.mongo_uri,
            f"{settings.mongo_database}_{definition.name}",
            self.source,
            settings.mongo_timeout_ms,
        )
        DatabaseCommandMetrics(self.db.commands.by_name, self.metrics)
        self.broker: KafkaBroker = create_broker(
            settings.kafka_bootstrap_servers, definition.name, self.metrics
        )
        self.consumer: EventConsumer | None = None
        handlers = (
            definition.handlers_from_settings(settings)
            if definition.handlers_from_settings
            else definition.handlers
        )
        if handlers:
            self.consumer = EventConsumer(
                definition.name,
                handlers,
                self.db,
                DeadLetterPublisher(self.broker),
                REGISTRY,
                max_attempts=settings.handler_max_attempts,
                retry_base_seconds=settings.handler_retry_base_seconds,
            )
            subscribe(
                self.broker,
                self.consumer,
                settings.consumer_group_prefix,
                settings.kafka_batch_max_records,
                settings.kafka_fetch_max_wait_ms,
            )
        self.relay = OutboxRelay(
            self.db,
            self.broker,
            self.instance_id,
            poll_seconds=settings.outbox_poll_seconds,
            lease_seconds=settings.lease_seconds,
        )
        # Loaded now, not in start(): a missing key is a configuration error to report at once.
        self.token_verifier = token_verifier_for(settings)
        self.membership_check = definition.membership_check
        # Also now: a missing rate-limit secret is a configuration error, not a 500 later.
        self.rate_limiter: RateLimiter | None = None
        if definition.rate_limited:
            self.rate_limiter = RateLimiter(
                self.db.platform_collection(RATE_LIMITS),
                Limits.from_settings(settings),
                load_rate_limit_secret(settings),
            )
        self.extensions: dict[str, Any] = {}
        self.ready = False
        self._tasks: list[asyncio.Task[None]] = []

    def unit_of_work(self, org_id: str) -> contextlib.AbstractAsyncContextManager[UnitOfWork]:
        return self.db.unit_of_work(org_id)

    async def transact(self, org_id: str, work: Callable[[UnitOfWork], Awaitable[T]]) -> T:
        """A unit of work that is retried on write conflicts (see `Database.transact`)."""
        return await self.db.transact(org_id, work)

    def _indexes(self) -> Sequence[IndexSpec]:
        if self.rate_limiter is None:
            return self.definition.indexes
        return (*self.definition.indexes, *RATE_LIMIT_INDEXES)

    def topics(self) -> set[str]:
        published = {event.topic() for event in self.definition.publishes}
        consumed = set(self.consumer.topics) if self.consumer else set()
        # Dead letters of consumed topics, and of published ones (records the relay sets aside).
        return published | consumed | {dead_letter_topic(topic) for topic in published | consumed}

    async def start(self) -> None:
        """Connect to the database and the broker, retrying with backoff: no crash loop
        while they come up; `/readyz` says not ready until everything runs."""
        delay = 0.25
        while True:
            try:
                await self.db.ping()
                await self.db.ensure_indexes(self._indexes())
                await ensure_topics(
                    self.settings.kafka_bootstrap_servers,
                    self.topics(),
                    self.settings.kafka_topic_partitions,
                )
                await self.broker.start()
                break
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning(
                    "broker or database not reachable yet, retrying",
                    error=f"{type(exc).__name__}: {exc}",
                    retry_in_seconds=delay,
                )
                with contextlib.suppress(Exception):
                    await self.broker.stop()
                await asyncio.sleep(delay)
                delay = min(delay * 2, self.settings.startup_retry_max_seconds)
        if self.definition.extensions:
            self.extensions.update(self.definition.extensions(self))
        self._tasks.append(asyncio.create_task(self.relay.run(), name="outbox-relay"))
        for job in self.definition.jobs:
            self._tasks.append(asyncio.create_task(run_periodically(job, self), name=job.name))
        self.ready = True
        log.info("service ready", instance=self.instance_id)

    async def is_ready(self) -> bool:
        if not self.ready:
            return False
        try:
            await asyncio.wait_for(self.db.ping(), 2)
            return bool(await self.broker.ping(timeout=2))
        except Exception:
            return False

    async def stop(self) -> None:
        self.ready = False
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(BaseException):
                await task
        await self.relay.release()
        with contextlib.suppress(Exception):
            await self.broker.stop()
        for extension in self.extensions.values():
            close = getattr(extension, "aclose", None)
            if close is not None:
                with contextlib.suppress(Exception):
                    await close()
        await self.db.close()


def token_verifier_for(settings: Settings) -> TokenVerifier:
    """identity's JWKS when its URL is set; the key file when it is set explicitly, or as the
    only source when there is no JWKS URL (the local key pair by default)."""
    static = []
    if settings.jwt_public_key_file is not None or settings.jwks_url is None:
        static.append(load_public_key(settings.jwt_public_key_path))
    return TokenVerifier(static, jwks_url=settings.jwks_url, issuer=settings.token_issuer)


def _report_crash(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error(
            "service failed to start",
            error=f"{type(task.exception()).__name__}: {task.exception()}",
        )


class Readiness(BaseModel):
    status: Literal["ready", "not ready"]


def runtime_of(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


def create_app(definition: ServiceDefinition, settings: Settings) -> FastAPI:
    configure_logging(definition.name, settings.log_level)
    runtime = Runtime(definition, settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        starting = asyncio.create_task(runtime.start(), name="start")
        starting.add_done_callback(_report_crash)
        try:
            yield
        finally:
            starting.cancel()
            with contextlib.suppress(BaseException):
                await starting
            await runtime.stop()

    app = FastAPI(
        title=f"SafeHands {definition.name}",
        description=definition.description,
        version="1",
        lifespan=lifespan,
        dependencies=[Depends(refuse_former_members)] if definition.membership_check else [],
        # Served by install_api_docs instead: FastAPI's pages load Swagger UI and ReDoc
        # from a CDN with an inline script.
        docs_url=None,
        redoc_url=None,
    )
    app.state.runtime = runtime
    # Added first, so innermost of the middlewares: metrics count its 413s too.
    app.add_middleware(
        BodyLimitMiddleware, max_bytes=settings.http_max_body_bytes or definition.max_body_bytes
    )
    install_error_handlers(app)
    install_api_docs(app)
    document_errors(app)
    # Added last, so outermost: it also counts the 500s the error handlers answer.
    app.middleware("http")(runtime.http_metrics.middleware)

    @app.get("/healthz", tags=["operations"], summary="The process is alive.")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get(
        "/readyz",
        tags=["operations"],
        summary="Broker and database are reachable.",
        response_model=Readiness,
        responses={503: {"model": Readiness, "description": "Not ready (yet)."}},
    )
    async def readyz() -> JSONResponse:
        ready = await runtime.is_ready()
        return JSONResponse(
            {"status": "ready" if ready else "not ready"}, status_code=200 if ready else 503
        )

    @app.get(
        "/metrics",
        tags=["operations"],
        summary="Prometheus metrics.",
        response_class=PlainTextResponse,
    )
    async def metrics() -> Response:
        return metrics_response(runtime.metrics)

    app.include_router(catalogue_router)
    for router in definition.routers:
        app.include_router(router)
    return app
