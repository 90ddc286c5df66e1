"""Whether this service can write to its database, seen before a reporter finds out.

Readiness pings the database, and a `ping` takes none of the locks a write waits on: in issue
27 the embedded database stood still for seconds behind one long statement (every commit of
every service waited) while every `/readyz` said ready, and only the services' logs showed
it. Reports are rare, so a stall at night would be met first by the person reporting.

So each instance commits one small transaction every `every_seconds` (the path a report
takes: a session, a transaction, a write, the commit), inserting a document into
`write_probe`, and times it:
- `safehands_database_write_seconds`, a histogram of the probe's commits;
- `safehands_database_write_age_seconds`, how long ago the last one succeeded, computed when
  scraped, so that a probe stuck on a database that does not answer shows a growing age, not
  the last figure it saw (as the outbox's age does);
- `safehands_database_write_failures_total`.
The alert rules (deploy/prometheus/alerts.yml) fire on the age and on slow commits.

It does not make the instance unready: every instance shares the database, so all would leave
the gateway at once and turn a slow database into no service at all; an operator is told
instead. Each round has its own deadline, so one stuck write is counted as a failure and the
next round goes on.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from pymongo import AsyncMongoClient
from pymongo.asynchronous.collection import AsyncCollection

from shared.logs import get_logger
from shared.progress import one_round
from shared.storage.database import IndexSpec
from shared.storage.tenancy import Document

log = get_logger(__name__)

WRITE_PROBE = "write_probe"
# Each round inserts a document of its own, kept this long (the expiry job removes it). Not one
# document written again: a round that passed its deadline leaves its transaction open in
# the database until the database reaps it (TRANSACTION_LIFETIME_SECONDS idle), and every
# later round that wrote the same document would fail on it as a write conflict, well after
# the database answered again. About forty small documents per instance at the default rate.
KEPT = timedelta(minutes=10)
WRITE_PROBE_INDEXES = (
    IndexSpec(WRITE_PROBE, (("expires_at", 1),), tenant=False, expire_after_seconds=0),
)
# From a healthy commit (milliseconds) to the stalls this was built for (seconds).
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class WriteProbeMetrics:
    def __init__(self, registry: CollectorRegistry, clock: Callable[[], float] = time.monotonic):
        self._clock = clock
        self._started = clock()
        self._last_success: float | None = None
        self.seconds = Histogram(
            "safehands_database_write_seconds",
            "How long the write probe's transaction took to commit.",
            buckets=BUCKETS,
            registry=registry,
        )
        self.failures = Counter(
            "safehands_database_write_failures_total",
            "Write probe transactions that failed or passed their deadline.",
            registry=registry,
        )
        Gauge(
            "safehands_database_write_age_seconds",
            "Seconds since this instance last committed a write to its database (since it "
            "started, before the first).",
            registry=registry,
        ).set_function(self.age)

    def succeeded(self, seconds: float) -> None:
        self.seconds.observe(seconds)
        self._last_success = self._clock()

    def failed(self) -> None:
        self.failures.inc()

    def age(self) -> float:
        since = self._started if self._last_success is None else self._last_success
        return self._clock() - since


class DatabaseWriteProbe:
    """A background task (shared/runtime/background.py): a timed commit every round."""

    name = "database-write-probe"

    def __init__(
        self,
        commit: Callable[[], Awaitable[None]],
        metrics: WriteProbeMetrics,
        every_seconds: float,
        deadline_seconds: float,
    ) -> None:
        self._commit = commit
        self._metrics = metrics
        self._every = every_seconds
        self._deadline = deadline_seconds
        # A round waits at most its deadline, so it is never stuck past the lease.
        self.lease_seconds = deadline_seconds + every_seconds + 5

    async def run(self) -> None:
        while True:
            with one_round():
                await self.probe_once()
            await asyncio.sleep(self._every)

    async def probe_once(self) -> None:
        started = time.perf_counter()
        try:
            # Not asyncio.wait_for, which on Python 3.11 can lose a cancellation
            # (shared/cancellation.py).
            async with asyncio.timeout(self._deadline):
                await self._commit()
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            self._metrics.failed()
            # The type only: a driver's message may name hosts and users.
            log.warning("database write probe failed", error=type(exc).__name__)
            return
        self._metrics.succeeded(time.perf_counter() - started)

    async def close(self) -> None:
        return None


def probe_commit(
    client: AsyncMongoClient[Document], collection: AsyncCollection[Document], instance_id: str
) -> Callable[[], Awaitable[None]]:
    """The probe's write: the path a report takes (a session, a transaction, a write, the
    commit)."""

    async def commit() -> None:
        async with client.start_session() as session, await session.start_transaction():
            await collection.insert_one(
                {"instance": instance_id, "expires_at": datetime.now(UTC) + KEPT},
                session=session,
            )

    return commit
