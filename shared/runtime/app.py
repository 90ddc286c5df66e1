"""The FastAPI app of a service process: a `ServiceDefinition` wired to settings, broker and
database through a `Runtime`, with health, readiness, metrics, API docs and the catalogue."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, Literal

from fastapi import Depends, FastAPI
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from opentelemetry.trace import TracerProvider
from pydantic import BaseModel

from shared.audit.log import AUDIT_INDEXES
from shared.auth import membership
from shared.auth.dependencies import MembershipCheck, refuse_former_members
from shared.auth.tokens import Principal
from shared.catalogue.http import router as catalogue_router
from shared.events.audit import AuditHeadPublished
from shared.events.identity import MemberAdded
from shared.http.api_docs import install_api_docs
from shared.http.body_limit import BodyLimitMiddleware, gateway_body_limit
from shared.http.http_errors import install_error_handlers
from shared.http.metrics import HttpMetricsMiddleware, metrics_response
from shared.http.openapi import document_errors, operation_id, servers_of
from shared.logs import configure_logging, get_logger
from shared.messaging.batches import BatchHandler
from shared.messaging.consumer import Handler, Handlers
from shared.messaging.lag import sample_lag
from shared.runtime import audit, tracing
from shared.runtime.background import BackgroundWork
from shared.runtime.definition import PeriodicJob, ServiceDefinition
from shared.runtime.live import changes_router
from shared.runtime.proof_of_work import ProofOfWorkRequired, answer_proof_of_work_required
from shared.runtime.proof_of_work import router as proof_of_work_router
from shared.runtime.runtime import Runtime
from shared.runtime.scheduler import run_periodically
from shared.settings import Settings
from shared.storage.expiry import expire_all
from shared.storage.leases import LEASES, Lease
from shared.storage.unit_of_work import UnitOfWork

log = get_logger(__name__)


def runtime_for(
    definition: ServiceDefinition,
    settings: Settings,
    tracer_provider: TracerProvider | None = None,
) -> Runtime:
    return Runtime(
        definition.name,
        settings,
        handlers=handlers_with_membership(definition, settings),
        # Every service keeps its own audit chains and publishes their heads.
        publishes=(*definition.publishes, AuditHeadPublished),
        indexes=(*definition.indexes, *membership.INDEXES, *AUDIT_INDEXES),
        membership_check=membership_check_of(definition),
        rate_limited=definition.rate_limited,
        tracer_provider=tracer_provider,
        changes_of=definition.live_changes,
    )


def handlers_with_membership(definition: ServiceDefinition, settings: Settings) -> Handlers:
    """The service's handlers, and the projection of identity's membership events that every
    request is checked against (shared/auth/membership.py), in every service: no service can
    forget it. identity, which announces those events, applies them as it publishes them."""
    handlers = dict(definition.handlers_for(settings))
    if MemberAdded in definition.publishes:
        return handlers
    for event_type, project in membership.HANDLERS.items():
        own = handlers.get(event_type)
        if own is None:
            handlers[event_type] = project
        elif isinstance(own, BatchHandler):
            # A batch handler takes consecutive events together, so the per-event projection
            # cannot run just before it: such a service handles these per event (notify).
            raise TypeError(
                f"{definition.name} handles {event_type.__name__} in batches; "
                "membership events need a per-event handler"
            )
        else:
            handlers[event_type] = _both(project, own)
    return handlers


def _both(first: Handler, then: Handler) -> Handler:
    async def handler(event: Any, uow: UnitOfWork) -> None:
        await first(event, uow)
        await then(event, uow)

    return handler


def membership_check_of(definition: ServiceDefinition) -> MembershipCheck:
    """Every service checks that a token's holder is a current member with its roles; a
    service that owns a kind of membership (reports: VCP appointments) adds its own check."""
    own = definition.membership_check
    if own is None:
        return membership.is_current_member

    async def check(runtime: Any, principal: Principal) -> bool:
        return await membership.is_current_member(runtime, principal) and await own(
            runtime, principal
        )

    return check


async def start(definition: ServiceDefinition, runtime: Runtime) -> None:
    """Connect, attach the service's extensions, start its jobs and background tasks; then
    it is ready."""
    await runtime.connect()
    if definition.extensions:
        runtime.extensions.update(definition.extensions(runtime))
    for job in (*definition.jobs, audit.HEAD_JOB, EXPIRY_JOB):
        runtime.start_background(_job_task(job, runtime))
    for task in definition.background(runtime) if definition.background else ():
        runtime.start_background(task)
    if runtime.consumer is not None:
        # For the dashboard and the alert on a growing lag (shared/messaging/lag.py).
        runtime.start_background(
            BackgroundWork(
                "consumer-lag",
                lambda: sample_lag(
                    runtime.broker,
                    runtime.messaging_metrics,
                    runtime.settings.consumer_lag_sample_seconds,
                ),
            )
        )
    runtime.ready = True
    log.info("service ready", instance=runtime.instance_id)


async def _expire(runtime: Runtime) -> None:
    await expire_all(runtime.db, runtime.expiring)


# Every service deletes its own rows past their keeping time (shared/storage/expiry.py).
EXPIRY_JOB = PeriodicJob("expiry", _expire)


def _job_task(job: PeriodicJob, runtime: Runtime) -> BackgroundWork:
    settings = runtime.settings
    interval = job.interval_seconds or settings.scheduler_interval_seconds
    lease = Lease(
        runtime.db.platform_collection(LEASES),
        f"job:{job.name}",
        runtime.instance_id,
        max(settings.lease_seconds, interval * 2),
    )
    return BackgroundWork(
        job.name,
        lambda: run_periodically(job.name, lambda: job.run(runtime), lease, interval),
        lease_seconds=max(settings.lease_seconds, interval * 2),
    )


def _report_crash(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error(
            "service failed to start",
            error=f"{type(task.exception()).__name__}: {task.exception()}",
        )


class Readiness(BaseModel):
    status: Literal["ready", "not ready"]


def create_app(definition: ServiceDefinition, settings: Settings) -> FastAPI:
    configure_logging(definition.name, settings.log_level)
    # Tracing (shared/runtime/tracing.py), off unless an OTLP endpoint is configured. The
    # database's listener must exist before its client, so before the runtime.
    tracer_provider = tracing.configure(definition.name)
    if tracer_provider is not None:
        tracing.instrument_clients(tracer_provider)
    runtime = runtime_for(definition, settings, tracer_provider)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        starting = asyncio.create_task(start(definition, runtime), name="start")
        starting.add_done_callback(_report_crash)
        try:
            yield
        finally:
            starting.cancel()
            with contextlib.suppress(BaseException):
                await starting
            await runtime.stop()
            if tracer_provider is not None:
                tracing.flush(tracer_provider)

    app = FastAPI(
        title=f"SafeHands {definition.name}",
        description=definition.description,
        version="1",
        lifespan=lifespan,
        # Every route, those open to anyone included, refuses a former member's token.
        dependencies=[Depends(refuse_former_members)],
        # Served by install_api_docs instead: FastAPI's pages load Swagger UI and ReDoc
        # from a CDN with an inline script.
        docs_url=None,
        redoc_url=None,
        # Short, stable operation ids for generated clients (docs/operation-ids.json).
        generate_unique_id_function=operation_id,
        servers=servers_of(definition.name),
    )
    app.state.runtime = runtime
    # Added first, so innermost of the middlewares: metrics count its 413s too.
    app.add_middleware(
        BodyLimitMiddleware,
        max_bytes=settings.http_max_body_bytes or definition.max_body_bytes,
        drain_bytes=gateway_body_limit(settings.http_max_body_bytes),
    )
    install_error_handlers(app, definition.error_statuses)
    install_api_docs(app)
    document_errors(app)
    # Added last, so outermost: it also counts the 500s the error handlers answer.
    app.add_middleware(HttpMetricsMiddleware, metrics=runtime.http_metrics)

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
    app.include_router(audit.router)
    if definition.rate_limited:
        # The anonymous routes' proof of work: its challenges and its 428.
        app.add_exception_handler(ProofOfWorkRequired, answer_proof_of_work_required)
        app.include_router(proof_of_work_router)
    if definition.live_changes is not None:
        app.include_router(changes_router())
    for router in definition.routers:
        app.include_router(router)
    if tracer_provider is not None:
        tracing.instrument_app(app, tracer_provider)
    return app
