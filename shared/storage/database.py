"""A service's MongoDB database: its own collections, declared indexes, transactions."""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Collection, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

import pymongo
from pymongo import AsyncMongoClient, IndexModel, monitoring
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import OperationFailure, PyMongoError

from shared.events import Event
from shared.storage.changes import CHANGES, CHANGES_KEPT_SECONDS, ChangesOf
from shared.storage.deadlines import DEFAULT_MAX_POOL_SIZE, DEFAULT_OPERATION_TIMEOUT_MS
from shared.storage.tenancy import Document, TenantCollection
from shared.storage.unit_of_work import (
    INBOX,
    OUTBOX,
    OUTBOX_DEAD_LETTERS,
    ReadingUnitOfWork,
    Transaction,
    UnitOfWork,
)


@dataclass(frozen=True)
class IndexSpec:
    """An index a service needs. Tenant collections get `org_id` as the leading key,
    so a unique index is unique per organisation and every scoped query can use it."""

    collection: str
    keys: tuple[tuple[str, int], ...]
    unique: bool = False
    tenant: bool = True
    expire_after_seconds: int | None = None

    def model(self) -> IndexModel:
        keys = [("org_id", 1), *self.keys] if self.tenant else list(self.keys)
        options: dict[str, Any] = {"unique": self.unique}
        if self.expire_after_seconds is not None:
            options["expireAfterSeconds"] = self.expire_after_seconds
        return IndexModel(keys, **options)


T = TypeVar("T")
TRANSIENT = "TransientTransactionError"
# A write conflict is retried from the start, with full-jitter exponential backoff (AWS's
# "Exponential Backoff and Jitter"), for up to TRANSACTION_RETRY_SECONDS, as MongoDB's own
# with_transaction does (for up to 120 s there). Audited staff actions of an organisation
# used to contend on its one audit head (a coordinator team at work, a bench recording 50
# interviews a second): four closely spaced attempts answered a third of twelve simultaneous
# interviews with 409, and the contenders took turns instead. Since issue 27 the head is
# moved by one chainer outside the request (shared/audit/chainer.py); what still rewrites a
# shared document of an organisation takes turns the same way.
TRANSACTION_ATTEMPTS = 100
TRANSACTION_RETRY_SECONDS = 5.0
TRANSACTION_BACKOFF_BASE_SECONDS = 0.005
TRANSACTION_BACKOFF_CAP_SECONDS = 0.2
TURN_WAIT_SECONDS = 2.0


def transaction_backoff(attempt: int) -> float:
    """Seconds to wait after the `attempt`-th attempt (from 1) lost a write conflict."""
    ceiling = min(TRANSACTION_BACKOFF_CAP_SECONDS, TRANSACTION_BACKOFF_BASE_SECONDS * 2**attempt)
    return random.uniform(0, ceiling)


def is_transient(exc: BaseException) -> bool:
    """A write conflict or a failover: the whole transaction may simply be run again.
    Not a timeout: the database did not answer in time, and running the transaction again
    would only make the caller wait that long again."""
    return isinstance(exc, PyMongoError) and exc.has_error_label(TRANSIENT) and not exc.timeout


# Indexes an earlier version built that now cost more than they serve, dropped at start-up:
# the outbox's `(created_at, _id)` made the relay's deletes conflict with every transaction
# that wrote a record (shared/storage/outbox_ids.py).
RETIRED_INDEXES = ((OUTBOX, "created_at_1__id_1"),)
NAMESPACE_NOT_FOUND, INDEX_NOT_FOUND = 26, 27

PLUMBING_INDEXES = (
    IndexSpec(INBOX, (("consumer", 1), ("event_id", 1)), unique=True, tenant=False),
    IndexSpec(INBOX, (("recorded_at", 1),), tenant=False, expire_after_seconds=30 * 24 * 3600),
    # The relay reads the oldest records first by `_id` alone, the primary key: no index of
    # the outbox's own (shared/storage/outbox_ids.py says why).
    # Hints for live pages: read within seconds, gone by themselves after a few minutes.
    IndexSpec(CHANGES, (("at", 1),), tenant=False, expire_after_seconds=CHANGES_KEPT_SECONDS),
    # Set-aside records hold whole events (names, e-mail addresses): kept 30 days for
    # whoever looks into them, then gone by themselves.
    IndexSpec(
        OUTBOX_DEAD_LETTERS,
        (("set_aside_at", 1),),
        tenant=False,
        expire_after_seconds=30 * 24 * 3600,
    ),
)


def all_indexes(specs: Sequence[IndexSpec]) -> tuple[IndexSpec, ...]:
    """A service's indexes with those every service's plumbing needs."""
    return (*PLUMBING_INDEXES, *specs)


INDEX_BUILD_TIMEOUT_SECONDS = 600


class CommandCounter(monitoring.CommandListener):
    """Counts the commands this process sends to the database, by command name (PyMongo's
    command monitoring): every one is a round trip, and on the embedded database the round
    trips are what a request or a batch of events costs. Exported as a metric, read by
    bench/admission.py."""

    def __init__(self) -> None:
        self.by_name: dict[str, int] = {}

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        self.by_name[event.command_name] = self.by_name.get(event.command_name, 0) + 1

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        return None

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        return None


def service_database_name(prefix: str, service: str) -> str:
    """The database of one service: `<SAFEHANDS_MONGO_DATABASE>_<service>`."""
    return f"{prefix}_{service}"


class Database:
    def __init__(
        self,
        uri: str,
        name: str,
        source: str,
        operation_timeout_ms: int = DEFAULT_OPERATION_TIMEOUT_MS,
        max_pool_size: int = DEFAULT_MAX_POOL_SIZE,
        publishes: Collection[type[Event]] | None = None,
        login: tuple[str, str] | None = None,
        changes_of: ChangesOf | None = None,
        bundle_outbox: bool = True,
    ) -> None:
        self.commands = CommandCounter()
        # Each service its own user (SCRAM), created in `admin` with rights on its own
        # database only (deploy/mongo/init-replica-set.js).
        credentials: dict[str, Any] = (
            {"username": login[0], "password": login[1], "authSource": "admin"} if login else {}
        )
        self.client: AsyncMongoClient[Document] = AsyncMongoClient(
            uri,
            **credentials,
            tz_aware=True,
            serverSelectionTimeoutMS=3000,
            connectTimeoutMS=3000,
            timeoutMS=operation_timeout_ms,
            maxPoolSize=max_pool_size,
            event_listeners=[self.commands],
        )
        self.db = self.client[name]
        self.source = source
        # The outbox refuses any other event type (see `Transaction.add_to_outbox`).
        self.publishes = frozenset(publishes) if publishes is not None else None
        # Set after each commit that wrote to the outbox, so the relay publishes at once.
        self.outbox_written = asyncio.Event()
        # Per organisation: the turn that transactions run again after a conflict take.
        self._turns: dict[str, asyncio.Lock] = {}
        # What the service's live pages hear of an event (shared/storage/changes.py), and
        # the hints this instance committed, handed to its ChangeFeed after each commit so
        # that its pages hear them at once, without the feed reading them back.
        self.changes_of = changes_of
        self.bundle_outbox = bundle_outbox
        self.committed_changes: Callable[[Sequence[Document]], None] | None = None
        # Per collection: set after each commit that inserted into it at commit
        # (`UnitOfWork.insert_at_commit`) or wrote into it from a consumer's batch, for a
        # task that works those rows off (the audit chainer, notify's workers) and would
        # otherwise only find them on its next poll.
        self._written: dict[str, asyncio.Event] = {}

    def platform_collection(self, name: str) -> AsyncCollection[Document]:
        """A collection that is not per organisation (outbox, inbox, leases, the org list)."""
        return self.db[name]

    def tenant_collection(self, org_id: str, name: str) -> TenantCollection:
        """Read-only style access outside a transaction, still scoped to one organisation."""
        return TenantCollection(self.db[name], org_id)

    async def ping(self) -> None:
        await self.db.command("ping")

    async def ensure_indexes(self, specs: Sequence[IndexSpec]) -> None:
        by_collection: dict[str, list[IndexModel]] = {}
        for spec in all_indexes(specs):
            by_collection.setdefault(spec.collection, []).append(spec.model())
        # Building a new index on a large collection takes longer than any request may;
        # it runs once, at start-up, so it gets its own, longer bound.
        with pymongo.timeout(INDEX_BUILD_TIMEOUT_SECONDS):
            for collection, models in by_collection.items():
                await self.db[collection].create_indexes(models)
            for collection, name in RETIRED_INDEXES:
                try:
                    await self.db[collection].drop_index(name)
                except OperationFailure as exc:
                    if exc.code not in (NAMESPACE_NOT_FOUND, INDEX_NOT_FOUND):
                        raise  # dropped before, or never built, is fine; anything else not

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        async with (
            self.client.start_session() as session,
            await session.start_transaction(),
        ):
            tx = Transaction(
                self.db,
                session,
                self.source,
                self.publishes,
                self.changes_of,
                bundle_outbox=self.bundle_outbox,
            )
            yield tx
            await tx.flush()
        if tx.wrote_outbox:
            self.outbox_written.set()
        if tx.written_changes and self.committed_changes is not None:
            self.committed_changes(tx.written_changes)
        for name in tx.wrote_into:
            if name in self._written:
                self._written[name].set()

    def written(self, collection: str) -> asyncio.Event:
        """Set after each commit of this process that inserted into `collection` at commit
        or wrote into it from a consumer's batch; the waiter clears it before it looks."""
        return self._written.setdefault(collection, asyncio.Event())

    @asynccontextmanager
    async def unit_of_work(self, org_id: str) -> AsyncIterator[UnitOfWork]:
        """One organisation's state change and its events, committed together or not at all."""
        async with self.transaction() as tx:
            yield tx.scope(org_id)

    async def read(self, org_id: str, work: Callable[[UnitOfWork], Awaitable[T]]) -> T:
        """Run `work`, which only reads, outside a transaction (`ReadingUnitOfWork`: why, and
        what it refuses). PyMongo retries a read that met a transient error once itself."""
        return await work(ReadingUnitOfWork(self.db, self.source, org_id))

    async def transact(self, org_id: str, work: Callable[[UnitOfWork], Awaitable[T]]) -> T:
        """Run `work` in a unit of work, again from the start if the transaction lost a write
        conflict to a concurrent one: callers answer a result, not a 500, under contention."""
        give_up_at = time.monotonic() + TRANSACTION_RETRY_SECONDS
        for attempt in range(1, TRANSACTION_ATTEMPTS + 1):
            try:
                # The first attempt runs beside everything else; one that lost a conflict
                # runs again only in the organisation's turn (see _turn).
                async with (
                    self._turn(org_id, taken=attempt > 1),
                    self.unit_of_work(org_id) as uow,
                ):
                    return await work(uow)
            except PyMongoError as exc:
                last = attempt == TRANSACTION_ATTEMPTS or time.monotonic() >= give_up_at
                if last or not is_transient(exc):
                    raise
            await asyncio.sleep(transaction_backoff(attempt))
        raise AssertionError("unreachable")

    @asynccontextmanager
    async def _turn(self, org_id: str, *, taken: bool) -> AsyncIterator[None]:
        """A transaction run again after a write conflict waits for this process's other
        re-runs for the same organisation to end before it starts. Its snapshot then already
        holds their commits, so it does not collide with them once more: they go one after
        the other instead of all starting over at once. (Every audited change of an
        organisation writes its one audit head, so a team's simultaneous actions collide
        there.) The turn is taken before the transaction starts, because a transaction reads
        the snapshot of its first operation. A wait longer than TURN_WAIT_SECONDS goes ahead
        without the turn; across processes the conflict and the retry still decide."""
        if not taken:
            yield
            return
        lock = self._turns.setdefault(org_id, asyncio.Lock())
        try:
            # Not asyncio.wait_for: on Python 3.11 it loses a cancellation that comes as the
            # lock is handed over (shared/cancellation.py).
            async with asyncio.timeout(TURN_WAIT_SECONDS):
                await lock.acquire()
        except TimeoutError:
            yield
            return
        try:
            yield
        finally:
            lock.release()

    async def close(self) -> None:
        await self.client.close()
