"""The live parts of one service process: database, broker, consumer, outbox relay, token
verifier, rate limiter and background tasks (shared/runtime/background.py), which it starts
and stops. It knows nothing of how a service describes
itself (shared/runtime/definition.py) nor of FastAPI's app (shared/runtime/app.py): those
two build on it, so imports point one way."""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta
from typing import Any, TypeVar

from fastapi import Request
from faststream.kafka import KafkaBroker
from opentelemetry.trace import TracerProvider
from prometheus_client import CollectorRegistry, Gauge

from shared.audit.chainer import AuditChainer
from shared.auth.dependencies import MembershipCheck
from shared.auth.tokens import load_public_key
from shared.auth.verifier import TokenVerifier
from shared.cancellation import cancel_and_wait
from shared.events import REGISTRY, Event
from shared.http.metrics import DatabaseCommandMetrics, HttpMetrics
from shared.logs import get_logger
from shared.messaging.broker import create_broker, subscribe
from shared.messaging.consumer import EventConsumer, Handlers
from shared.messaging.dead_letters import DeadLetterPublisher
from shared.messaging.fetch_wait import lengthen_fetch_wait_when_quiet
from shared.messaging.metrics import MessagingMetrics
from shared.messaging.outbox_relay import OutboxRelay
from shared.messaging.topics import KafkaLogin, dead_letter_topic, ensure_topics
from shared.runtime.background import BackgroundTask, BackgroundWork, Progress, current_progress
from shared.runtime.lanes import APPLICATIONS, Lanes
from shared.runtime.live import ChangeFeed, ChangeHub
from shared.runtime.proof_of_work import SPENT_CHALLENGE_INDEXES, SPENT_CHALLENGES, ProofOfWork
from shared.runtime.rate_limit import (
    RATE_LIMIT_INDEXES,
    RATE_LIMITS,
    Limits,
    RateLimiter,
    load_rate_limit_secret,
)
from shared.settings import Settings
from shared.storage.changes import CHANGES, ChangesOf
from shared.storage.database import Database, IndexSpec, all_indexes, service_database_name
from shared.storage.expiry import expiring
from shared.storage.unit_of_work import UnitOfWork
from shared.storage.write_probe import (
    WRITE_PROBE,
    WRITE_PROBE_INDEXES,
    DatabaseWriteProbe,
    WriteProbeMetrics,
    probe_commit,
)

log = get_logger(__name__)

T = TypeVar("T")


class Runtime:
    """The live parts of one service process, reachable from routes and jobs."""

    def __init__(
        self,
        name: str,
        settings: Settings,
        *,
        handlers: Handlers,
        publishes: Sequence[type[Event]] = (),
        indexes: Sequence[IndexSpec] = (),
        membership_check: MembershipCheck | None = None,
        rate_limited: bool = False,
        tracer_provider: TracerProvider | None = None,
        changes_of: ChangesOf | None = None,
    ) -> None:
        self.name = name
        self.settings = settings
        self.publishes = tuple(publishes)
        self.instance_id = f"{name}-{uuid.uuid4().hex[:8]}"
        self.source = f"/safehands/{name}"
        self.metrics = CollectorRegistry()
        self.http_metrics = HttpMetrics(self.metrics)
        self.messaging_metrics = MessagingMetrics(self.metrics)
        self.write_probe_metrics = WriteProbeMetrics(self.metrics)
        self.db = Database(
            settings.mongo_uri,
            service_database_name(settings.mongo_database, name),
            self.source,
            settings.mongo_timeout_ms,
            max_pool_size=settings.mongo_max_pool_size,
            publishes=self.publishes,
            login=settings.mongo_login,
            changes_of=changes_of,
            bundle_outbox=settings.outbox_bundles,
        )
        # Live pages' streams open on this instance (shared/runtime/live.py).
        self.change_hub = ChangeHub()
        Gauge(
            "safehands_live_streams",
            "Live-page streams (GET /v1/orgs/{org}/changes) open on this instance.",
            registry=self.metrics,
        ).set_function(lambda: self.change_hub.listening)
        DatabaseCommandMetrics(self.db.commands.by_name, self.metrics)
        kafka_login = settings.kafka_login
        self.kafka_login = (
            KafkaLogin(*kafka_login, mechanism=settings.kafka_sasl_mechanism)
            if kafka_login
            else None
        )
        # For every consumer of this process, the follower's too.
        lengthen_fetch_wait_when_quiet(settings.kafka_idle_fetch_max_wait_ms)
        self.broker: KafkaBroker = create_broker(
            settings.kafka_bootstrap_servers,
            name,
            self.metrics,
            self.kafka_login,
            tracer_provider=tracer_provider,
        )
        self.consumer: EventConsumer | None = None
        if handlers:
            self.consumer = EventConsumer(
                name,
                handlers,
                self.db,
                DeadLetterPublisher(self.broker, self.messaging_metrics),
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
                settings.kafka_session_timeout_ms,
            )
        self.relay = OutboxRelay(
            self.db,
            self.broker,
            self.instance_id,
            poll_seconds=settings.outbox_poll_seconds,
            lease_seconds=settings.lease_seconds,
            metrics=self.messaging_metrics,
        )
        # Links the audit entries the units of work wrote into the chains (one instance).
        self.audit_chainer = AuditChainer(
            self.db,
            self.instance_id,
            poll_seconds=max(1.0, settings.outbox_poll_seconds),
            lease_seconds=settings.lease_seconds,
        )
        # Loaded now, not in start(): a missing key is a configuration error to report at once.
        self.token_verifier = token_verifier_for(settings)
        self.membership_check = membership_check
        # Also now: a missing rate-limit secret is a configuration error, not a 500 later.
        self.rate_limiter: RateLimiter | None = None
        self.proof_of_work: ProofOfWork | None = None
        if rate_limited:
            secret = load_rate_limit_secret(settings)
            self.rate_limiter = RateLimiter(
                self.db.platform_collection(RATE_LIMITS), Limits.from_settings(settings), secret
            )
            self.proof_of_work = ProofOfWork(
                self.db.platform_collection(SPENT_CHALLENGES), secret, name, settings
            )
        self.lanes = Lanes(
            {APPLICATIONS: settings.max_applications_in_flight},
            patience=settings.application_wait_ms / 1000,
        )
        limited = (*RATE_LIMIT_INDEXES, *SPENT_CHALLENGE_INDEXES) if rate_limited else ()
        self._indexes = (*indexes, *limited, *WRITE_PROBE_INDEXES)
        # What expires, for the expiry job (shared/storage/expiry.py says why not the
        # database); now, so that a TTL index mongod would not expire by stops the start.
        self.expiring = expiring(all_indexes(self._indexes))
        self.extensions: dict[str, Any] = {}
        self.ready = False
        # Set when the process is asked to stop (cli/services.py): open live-page streams
        # end at once instead of holding up the server's graceful shutdown.
        self.closing = False
        self._background: list[tuple[BackgroundTask, asyncio.Task[None]]] = []
        self._progress: dict[str, tuple[Progress, float]] = {}
        self._reported_stuck: set[str] = set()

    def unit_of_work(self, org_id: str) -> contextlib.AbstractAsyncContextManager[UnitOfWork]:
        return self.db.unit_of_work(org_id)

    async def transact(self, org_id: str, work: Callable[[UnitOfWork], Awaitable[T]]) -> T:
        """A unit of work that is retried on write conflicts (see `Database.transact`)."""
        return await self.db.transact(org_id, work)

    async def read(self, org_id: str, work: Callable[[UnitOfWork], Awaitable[T]]) -> T:
        """A unit of work that only reads, with no transaction (see `Database.read`)."""
        return await self.db.read(org_id, work)

    def topics(self) -> set[str]:
        published = {event.topic() for event in self.publishes}
        consumed = set(self.consumer.topics) if self.consumer else set()
        # Dead letters of consumed topics, and of published ones (records the relay sets aside).
        return published | consumed | {dead_letter_topic(topic) for topic in published | consumed}

    async def connect(self) -> None:
        """Connect to the database and the broker, retrying with backoff: no crash loop
        while they come up; `/readyz` says not ready until everything runs. Then the
        outbox relay starts."""
        delay = 0.25
        while True:
            try:
                await self.db.ping()
                await self.db.ensure_indexes(self._indexes)
                await ensure_topics(
                    self.settings.kafka_bootstrap_servers,
                    self.topics(),
                    self.settings.kafka_topic_partitions,
                    self.kafka_login,
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
        self.start_background(BackgroundWork("outbox-relay", self.relay.run, self.relay.release))
        self.start_background(
            BackgroundWork("audit-chainer", self.audit_chainer.run, self.audit_chainer.release)
        )
        self.start_background(
            DatabaseWriteProbe(
                probe_commit(
                    self.db.client, self.db.platform_collection(WRITE_PROBE), self.instance_id
                ),
                self.write_probe_metrics,
                every_seconds=self.settings.database_probe_seconds,
                deadline_seconds=self.settings.mongo_timeout_ms / 1000,
            )
        )
        if self.db.changes_of is not None:
            feed = ChangeFeed(
                self.db.platform_collection(CHANGES),
                self.change_hub,
                poll_seconds=self.settings.live_poll_seconds,
            )
            self.db.committed_changes = feed.committed
            self.start_background(feed)

    def start_background(self, task: BackgroundTask) -> None:
        """Run `task` until the service stops; `stop()` cancels it, then closes it. A round
        of its work (`one_round`) may last its `lease_seconds` (by default the setting)."""
        progress = Progress()
        lease = float(getattr(task, "lease_seconds", None) or self.settings.lease_seconds)
        self._progress[task.name] = (progress, lease)
        running = asyncio.create_task(_run(task, progress), name=task.name)
        self._background.append((task, running))

    def stopped_background(self) -> list[str]:
        """The tasks that ended while the service runs: each was to run until stop, so the
        work it does (sending mail, relaying the outbox) has stopped, and the service says
        so at /readyz rather than answering as if nothing were wrong."""
        return [task.name for task, running in self._background if running.done()]

    def stuck_background(self) -> list[str]:
        """The tasks whose current round has run longer than their lease: by then another
        instance may have claimed the same work, and this one does none of its own."""
        now = time.monotonic()
        stuck = [n for n, (p, lease) in self._progress.items() if p.busy_for(now) > lease]
        for name in set(stuck) - self._reported_stuck:
            log.error("background task stuck past its lease; not ready", task=name)
        self._reported_stuck = set(stuck)
        return stuck

    async def is_ready(self) -> bool:
        if not self.ready or self.stopped_background() or self.stuck_background():
            return False
        # A task that keeps a copy requests read (shared/messaging/follower.py) says when
        # that copy has caught up; until then the instance takes no requests.
        if not all(getattr(task, "ready", True) for task, _ in self._background):
            return False
        try:
            # Not asyncio.wait_for, which on Python 3.11 can lose a cancellation
            # (shared/cancellation.py).
            async with asyncio.timeout(2):
                await self.db.ping()
            return bool(await self.broker.ping(timeout=2))
        except Exception:
            return False

    async def stop(self) -> None:
        self.ready = False
        # Cancelled again while one runs on (a cancellation a library lost, see
        # shared/cancellation.py), and not waited for without end: the service stops.
        left = await cancel_and_wait(running for _, running in self._background)
        for running in left:
            log.error("background task did not end when cancelled", task=running.get_name())
        # After every task ended: a worker's claims and clients outlive its last attempt.
        for task, _ in reversed(self._background):
            with contextlib.suppress(Exception):
                await task.close()
        self._background.clear()
        with contextlib.suppress(Exception):
            await self.broker.stop()
        await self.db.close()


async def _run(task: BackgroundTask, progress: Progress) -> None:
    """Run a task; should it end before stop, say so in the log (readiness says it too, see
    `Runtime.stopped_background`). Only the error's type: its message may quote the work."""
    current_progress.set(progress)
    try:
        await task.run()
    except asyncio.CancelledError:
        raise
    except BaseException as exc:
        log.error(
            "background task died; the service is not ready any more",
            task=task.name,
            error=type(exc).__name__,
        )
        raise
    log.error("background task ended; the service is not ready any more", task=task.name)


def token_verifier_for(settings: Settings) -> TokenVerifier:
    """identity's JWKS when its URL is set; the key file when it is set explicitly, or as the
    only source when there is no JWKS URL (the local key pair by default)."""
    static = []
    if settings.jwt_public_key_file is not None or settings.jwks_url is None:
        static.append(load_public_key(settings.jwt_public_key_path))
    return TokenVerifier(
        static,
        jwks_url=settings.jwks_url,
        issuer=settings.token_issuer,
        max_lifetime=timedelta(seconds=settings.token_max_lifetime_seconds),
    )


async def runtime_of(request: Request) -> Runtime:
    # async on purpose: FastAPI runs a plain `def` dependency in its thread pool, a thread
    # hand-over on every request of every route for one attribute read
    # (tests/unit/shared/test_dependencies_on_the_loop.py).
    runtime: Runtime = request.app.state.runtime
    return runtime
