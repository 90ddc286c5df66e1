"""Consuming events: a fetched batch in one transaction, deduplicated on the CloudEvents id.

The path of a batch:
1. records that can never be processed (bad JSON, unknown type, invalid fields) go to the
   dead-letter topic at once;
2. the rest are applied in order in ONE transaction with the inbox rows that mark them done:
   consecutive events for a batch handler (see shared/messaging/batches.py) reach it
   together and cost one query and one bulk write per collection; an event for a per-event
   handler first has what the batch handler decided before it written, then runs alone;
3. a batch that loses a write conflict is run again whole; if a handler fails, the batch is
   rolled back and each event is retried alone with backoff; one that keeps failing is
   dead-lettered and the partition moves on;
4. only then does the caller let FastStream commit the offsets. A crash before that commit
   redelivers the batch, and the inbox makes the redelivery a no-op.
Database or broker outages are not the events' fault: they propagate, so nothing is
dead-lettered and the batch is fetched again.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, TypeAlias

import structlog
from aiokafka import ConsumerRecord
from opentelemetry.context import Context
from opentelemetry.trace import SpanKind
from pymongo.errors import ConnectionFailure, PyMongoError

from shared import trace_context
from shared.events import Event, EventRegistry
from shared.events.cloudevents import MalformedEvent, ReceivedEvent, decode
from shared.failpoints import failpoint
from shared.logs import get_logger
from shared.messaging.batches import BatchHandler, BatchState, EventBatch, apply_outcome
from shared.messaging.dead_letters import DeadLetterSink, replay_addressee
from shared.storage.database import Database, is_transient, transaction_backoff
from shared.storage.unit_of_work import Transaction, UnitOfWork

log = get_logger(__name__)
# How long an event is retried while the database reports write conflicts (transient:
# another transaction holds its documents) before the tries start to count as failures.
TRANSIENT_PATIENCE = 120.0

Handler = Callable[[Any, UnitOfWork], Awaitable[None]]
# Per event type, a per-event handler or a batch handler: services move one at a time.
Handlers: TypeAlias = Mapping[type[Event], Handler | BatchHandler]
Record: TypeAlias = "ConsumerRecord[bytes, bytes]"
Decoded: TypeAlias = tuple[Record, ReceivedEvent]


class ConflictPatience:
    """How long write conflicts are waited out: TRANSIENT_PATIENCE from the first one met."""

    def __init__(self) -> None:
        self._since: float | None = None

    def waits_out(self, exc: BaseException) -> bool:
        """Whether `exc` is a conflict (transient) still within the patience; the first such
        starts it."""
        if not is_transient(exc):
            return False
        now = time.monotonic()
        self._since = self._since or now
        return now - self._since < TRANSIENT_PATIENCE


def describe_failure(exc: BaseException) -> str:
    # Type and message only: a traceback could quote local variables of a handler.
    return f"{type(exc).__name__}: {exc}"


class EventConsumer:
    def __init__(
        self,
        name: str,
        handlers: Handlers,
        db: Database,
        dead_letters: DeadLetterSink,
        registry: EventRegistry,
        max_attempts: int = 3,
        retry_base_seconds: float = 0.2,
    ) -> None:
        self.name = name
        self.handlers = dict(handlers)
        self._db = db
        self._dead_letters = dead_letters
        self._registry = registry
        self._max_attempts = max_attempts
        self._retry_base = retry_base_seconds

    @property
    def topics(self) -> list[str]:
        return sorted({event.topic() for event in self.handlers})

    async def process(self, records: Sequence[Record]) -> None:
        decoded: list[Decoded] = []
        for record in records:
            if self._not_for_us(record):
                continue
            try:
                received = decode(record.headers, record.value, self._registry)
            except MalformedEvent as exc:
                await self._dead_letters.send(record, str(exc), self.name)
                continue
            # A topic carries every event of its aggregate; this consumer may need only some.
            if type(received.event) in self.handlers:
                decoded.append((record, received))
        if decoded:
            try:
                await self._apply_together(decoded)
            except ConnectionFailure:
                raise
            except Exception as exc:
                log.warning("batch failed, retrying events one by one", error=describe_failure(exc))
                for item in decoded:
                    await self._apply_alone(item)
        failpoint("consumer.before_offset_commit")

    async def _apply_together(self, items: Sequence[Decoded]) -> None:
        """The batch in one transaction, run again whole while it loses write conflicts.

        A conflict is no event's fault: splitting the batch for it turned one transaction
        into one per event, each to lose the same conflict, on a database that was busy
        already. (Seen in bench/admission.py at 50 applications/s: a batch that timed out was
        finished by the server all the same, and the batch fetched again lost conflicts to
        it; README, "A short queue at the database".) Only a failure that is not a conflict,
        or conflicts past TRANSIENT_PATIENCE, split it, so that one event's fault can be
        found and the others go on."""
        patience = ConflictPatience()
        attempt = 0
        while True:
            try:
                await self._apply(items)
                return
            except PyMongoError as exc:
                if isinstance(exc, ConnectionFailure) or not patience.waits_out(exc):
                    raise
                attempt += 1
                log.warning(
                    "write conflict, retrying the batch",
                    error=describe_failure(exc),
                    batch_size=len(items),
                )
                await asyncio.sleep(self._retry_base + transaction_backoff(attempt))

    def _not_for_us(self, record: Record) -> bool:
        """A current event type this consumer has no handler for is skipped unparsed: topics
        carry every event of their aggregate, and validating the rest costs CPU for nothing.
        Unknown or old type names still go through decoding (dead-lettered or upcast).
        A replayed dead letter is for the consumer that failed on it alone."""
        addressee = replay_addressee(record.headers)
        if addressee is not None and addressee != self.name:
            return True
        type_name = next((v for k, v in record.headers if k == "ce_type"), b"").decode(
            "utf-8", "replace"
        )
        model = self._registry.current_model(type_name)
        return model is not None and model not in self.handlers

    async def _apply(self, items: Sequence[Decoded]) -> None:
        # Each event's trace (shared/trace_context.py): its handler's work continues it.
        traces = {
            received.id: trace_context.of_record(record.headers) for record, received in items
        }
        async with self._db.transaction() as tx:
            done = await tx.already_consumed(self.name, [received.id for _, received in items])
            # Consecutive events of one batch handler, not yet handed to it.
            pending: tuple[BatchHandler, list[ReceivedEvent]] | None = None
            for _, received in items:
                if received.id in done:
                    continue
                done.add(received.id)
                event = received.event
                handler = self.handlers[type(event)]
                if isinstance(handler, BatchHandler):
                    if pending is not None and pending[0] is not handler:
                        await self._apply_batch(tx, *pending, traces)
                        pending = None
                    if pending is None:
                        pending = (handler, [])
                    pending[1].append(received)
                else:
                    # Per key, what came before is decided and written before this runs.
                    if pending is not None:
                        await self._apply_batch(tx, *pending, traces)
                        pending = None
                    with (
                        structlog.contextvars.bound_contextvars(
                            org_id=event.org_id, event_id=received.id, event_type=received.type
                        ),
                        trace_context.span_in(
                            f"{self.name} handle {received.type}",
                            traces[received.id],
                            kind=SpanKind.CONSUMER,
                            attributes={"safehands.event_type": received.type},
                        ),
                    ):
                        await handler(event, tx.scope(event.org_id, received))
                tx.record_consumed(self.name, received.id, event.org_id)
                tx.note_change(event)
            if pending is not None:
                # The last of the fetch: nothing reads its writes before the commit.
                await self._apply_batch(tx, *pending, traces, at_commit=True)

    async def _apply_batch(
        self,
        tx: Transaction,
        handler: BatchHandler,
        received: list[ReceivedEvent],
        traces: dict[str, Context],
        *,
        at_commit: bool = False,
    ) -> None:
        batch = EventBatch(received)
        # One event alone (the retry after a failed batch) is worth naming in the logs.
        context = (
            {"org_id": received[0].event.org_id, "event_id": received[0].id}
            if len(received) == 1
            else {"batch_size": len(received)}
        )
        # One span for the batch: in the first event's trace, linked to the others' traces.
        with (
            structlog.contextvars.bound_contextvars(**context),
            trace_context.span_in(
                f"{self.name} handle {received[0].type}",
                traces[received[0].id],
                kind=SpanKind.CONSUMER,
                links=[traces[item.id] for item in received[1:]],
                attributes={
                    "safehands.event_type": received[0].type,
                    "messaging.batch.message_count": len(received),
                },
            ),
        ):
            outcome = await handler.handle(batch, BatchState(tx))
        await apply_outcome(tx, batch, outcome, at_commit=at_commit)

    async def _apply_alone(self, item: Decoded) -> None:
        record, received = item
        attempt = 0
        patience = ConflictPatience()
        while attempt < self._max_attempts:
            try:
                await self._apply([item])
                return
            except ConnectionFailure:
                raise
            except Exception as exc:
                failure = describe_failure(exc)
                if patience.waits_out(exc):
                    # A write conflict is not the event's fault: after a SIGKILL the dead
                    # process's open transaction holds its documents until the database
                    # aborts it (idle for TRANSACTION_LIFETIME_SECONDS). Dead-lettering then
                    # lost applications (tests/e2e/test_up_restarts.py): wait it out.
                    log.warning("write conflict, retrying", error=failure, event_id=received.id)
                    await asyncio.sleep(min(self._retry_base * 8, 2.0))
                    continue
                attempt += 1
                log.warning("handler failed", attempt=attempt, error=failure, event_id=received.id)
                if attempt < self._max_attempts:
                    await asyncio.sleep(self._retry_base * 2 ** (attempt - 1))
        await self._dead_letters.send(
            record, f"handler failed {self._max_attempts} times: {failure}", self.name
        )
