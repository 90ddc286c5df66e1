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
from typing import Any, TypeVar

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse, Response
from faststream.kafka import KafkaBroker
from prometheus_client import CollectorRegistry

from shared.auth.tokens import load_public_key
from shared.catalogue.http import router as catalogue_router
from shared.events import REGISTRY, Event
from shared.logs import configure_logging, get_logger
from shared.messaging.broker import create_broker, subscribe
from shared.messaging.consumer import EventConsumer, Handlers
from shared.messaging.dead_letters import DeadLetterPublisher
from shared.messaging.outbox_relay import OutboxRelay
from shared.messaging.topics import dead_letter_topic, ensure_topics
from shared.runtime.body_limit import DEFAULT_MAX_BODY_BYTES, BodyLimitMiddleware
from shared.runtime.http_errors import install_error_handlers
from shared.runtime.metrics import HttpMetrics, metrics_response
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
    publishes: Sequence[type[Event]] = ()
    indexes: Sequence[IndexSpec] = ()
    jobs: Sequence[PeriodicJob] = ()
    # Services that need more than the runtime (an SMTP client, an HTTP client) attach it here.
    extensions: Callable[[Runtime], Mapping[str, Any]] | None = None
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
        self.broker: KafkaBroker = create_broker(
            settings.kafka_bootstrap_servers, definition.name, self.metrics
        )
        self.consumer: EventConsumer | None = None
        if definition.handlers:
            self.consumer = EventConsumer(
                definition.name,
                definition.handlers,
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
        self.jwt_public_key: Ed25519PublicKey = load_public_key(settings.jwt_public_key_path)
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


def _report_crash(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error(
            "service failed to start",
            error=f"{type(task.exception()).__name__}: {task.exception()}",
        )


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
    )
    app.state.runtime = runtime
    # Added first, so innermost of the middlewares: metrics count its 413s too.
    app.add_middleware(
        BodyLimitMiddleware, max_bytes=settings.http_max_body_bytes or definition.max_body_bytes
    )
    install_error_handlers(app)
    # Added last, so outermost: it also counts the 500s the error handlers answer.
    app.middleware("http")(runtime.http_metrics.middleware)

    @app.get("/healthz", tags=["operations"], summary="The process is alive.")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", tags=["operations"], summary="Broker and database are reachable.")
    async def readyz() -> JSONResponse:
        ready = await runtime.is_ready()
        return JSONResponse(
            {"status": "ready" if ready else "not ready"}, status_code=200 if ready else 503
        )

    @app.get("/metrics", tags=["operations"], summary="Prometheus metrics.")
    async def metrics() -> Response:
        return metrics_response(runtime.metrics)

    app.include_router(catalogue_router)
    for router in definition.routers:
        app.include_router(router)
    return app
