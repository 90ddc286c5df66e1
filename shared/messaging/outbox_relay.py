"""Publishes the transactional outbox to Kafka, at least once and in order per key.

One instance of a service relays at a time (a lease), so records leave in the order they
were committed. A batch is sent in one go and deleted with one statement, only after the
broker acknowledged it: a crash between commit and publish leaves it in the outbox for the
next relay.

A record the broker refuses for good (too large, invalid) would otherwise be retried
forever and block every later record. It is set aside instead: moved to `outbox_dead_letters`
with its reason, and published to `<topic>.dlq` if it fits there. The records after it are
then published as usual.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections import Counter
from datetime import UTC, datetime
from typing import Any

from aiokafka.errors import (
    CorruptRecordException,
    InvalidTimestampError,
    InvalidTopicError,
    MessageSizeTooLargeError,
    RecordListTooLargeError,
    RecordTooLargeError,
    UnsupportedForMessageFormatError,
)
from faststream.kafka import KafkaBroker

from shared import trace_context
from shared.cancellation import raise_if_cancelled, wait_for_event
from shared.failpoints import failpoint
from shared.logs import get_logger
from shared.messaging import dead_letters
from shared.messaging.broker import headers_as_published, producer_of
from shared.messaging.metrics import RELAY, MessagingMetrics
from shared.messaging.topics import dead_letter_topic
from shared.progress import one_round
from shared.storage.database import Database
from shared.storage.leases import LEASES, Lease
from shared.storage.outbox_bundles import RECORDS, records_in
from shared.storage.tenancy import Document
from shared.storage.unit_of_work import OUTBOX, OUTBOX_DEAD_LETTERS, OUTBOX_ORDER

log = get_logger(__name__)

# On a dead letter whose value did not fit on the dead-letter topic (its value is empty).
VALUE_OMITTED = "x-dlq-value-omitted"
# Kafka's rule for topic names. The producer would wait for a topic it cannot name until
# it times out, every round; such a record is refused at once instead.
TOPIC_NAME = re.compile(r"^[A-Za-z0-9._-]{1,249}$")

# Errors that sending the same record again can never cure. Anything else (a broker that is
# away, a leader election, a timeout) is retried.
REFUSED_FOR_GOOD: tuple[type[Exception], ...] = (
    MessageSizeTooLargeError,
    RecordListTooLargeError,
    RecordTooLargeError,
    CorruptRecordException,
    InvalidTopicError,
    InvalidTimestampError,
    UnsupportedForMessageFormatError,
)


def record_timestamp_ms(headers: dict[str, str]) -> int | None:
    """The Kafka record's timestamp: the event's CloudEvents time. Left to the producer's
    clock, every reader of the topic would see when a report event was published, which its
    `ce_time` gives only to the day (issue 19). None (the producer's clock) without one."""
    raw = headers.get("ce_time")
    if not raw:
        return None
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() * 1000)


def _headers(record: Document) -> dict[str, str]:
    return {name: bytes(value).decode() for name, value in record["headers"]}


def _written_at(record: Document) -> float:
    """When the row was written (its ObjectId's time if it has no created_at), in seconds."""
    created = record.get("created_at")
    if isinstance(created, datetime):
        return (created if created.tzinfo else created.replace(tzinfo=UTC)).timestamp()
    return float(record["_id"].generation_time.timestamp())


def _reason(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[: dead_letters.MAX_REASON_LENGTH]


class OutboxRelay:
    def __init__(
        self,
        db: Database,
        broker: KafkaBroker,
        holder: str,
        *,
        batch_size: int = 500,
        poll_seconds: float = 0.5,
        lease_seconds: float = 15.0,
        metrics: MessagingMetrics | None = None,
    ) -> None:
        self._db = db
        self._metrics = metrics or MessagingMetrics()
        self._broker = broker
        self._outbox = db.platform_collection(OUTBOX)
        self._set_aside = db.platform_collection(OUTBOX_DEAD_LETTERS)
        self._lease = Lease(db.platform_collection(LEASES), "outbox-relay", holder, lease_seconds)
        self._batch_size = batch_size
        self._poll_seconds = poll_seconds

    async def run(self) -> None:
        while True:
            raise_if_cancelled()  # a cancellation PyMongo lost (shared/cancellation.py)
            # Cleared before the outbox is read: a commit landing during the publish below
            # then wakes the next round at once instead of waiting for the poll.
            self._db.outbox_written.clear()
            try:
                with one_round():
                    if await self._lease.hold():
                        published = await self.publish_pending()
                    else:
                        # Another instance relays, and says how old the outbox is.
                        self._metrics.outbox_oldest(None)
                        published = 0
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("outbox relay failed, will retry", error=f"{type(exc).__name__}: {exc}")
                published = 0
                await asyncio.sleep(self._poll_seconds)
            if published < self._batch_size:
                await self._wait_for_work()

    async def _wait_for_work(self) -> None:
        await wait_for_event(self._db.outbox_written, self._poll_seconds)

    async def _send(
        self, topic: str, key: bytes, value: bytes, headers: dict[str, str]
    ) -> asyncio.Future[Any]:
        """Hand one record to the producer; the future resolves when the broker answers.
        A record the producer refuses itself (too large, no valid topic) raises here."""
        if not TOPIC_NAME.match(topic):
            raise InvalidTopicError(f"{topic!r} is not a valid topic name")
        timestamp_ms = record_timestamp_ms(headers)
        if trace_context.tracing():
            # Through FastStream's middlewares: its telemetry opens the producer's span,
            # joined to the trace the record was written in, and hands it on in the headers.
            traced: asyncio.Future[Any] = await self._broker.publish(
                value,
                topic=topic,
                key=key,
                headers=headers,
                timestamp_ms=timestamp_ms,
                no_confirm=True,
            )
            return traced
        # Untraced, straight to aiokafka, with the headers FastStream would set: its publish
        # built a command, ran its Prometheus middleware (labels, a histogram) and drew an id
        # for every record, a ninth of policy's CPU under a backlog (README, issue 27). The
        # relay counts what it published per round instead (safehands_outbox_published_total).
        future: asyncio.Future[Any] = await producer_of(self._broker).send(
            topic,
            value=value,
            key=key,
            timestamp_ms=timestamp_ms,
            headers=headers_as_published(headers),
        )
        return future

    async def _send_row(self, record: Document) -> asyncio.Future[Any]:
        headers = _headers(record)
        # Published in the trace of the request or event that wrote the row: the producer's
        # span (FastStream's middleware) joins it and hands it on through Kafka.
        with trace_context.within(trace_context.of_record(headers.items())):
            return await self._send(record["topic"], record["key"], record["value"], headers)

    async def publish_pending(self) -> int:
        """Publish the oldest records; return how many left the outbox (published or set
        aside). A record that failed for a passing reason stops the batch there: it and
        the records after it stay for the next round, in order."""
        documents, records = await self._oldest()
        self._metrics.outbox_oldest(_written_at(documents[0]) if documents else None)
        if not records:
            return 0
        failpoint("relay.before_publish")
        outcomes: list[asyncio.Future[Any] | BaseException] = []
        for _, record in records:
            try:
                outcomes.append(await self._send_row(record))
            except REFUSED_FOR_GOOD as exc:
                outcomes.append(exc)
        futures = [outcome for outcome in outcomes if isinstance(outcome, asyncio.Future)]
        await asyncio.gather(*futures, return_exceptions=True)
        failpoint("relay.after_publish")

        sent = 0
        published: Counter[str] = Counter()
        refused: list[tuple[Document, BaseException, bool]] = []
        passing_failure: BaseException | None = None
        for (_, record), outcome in zip(records, outcomes, strict=True):
            by_broker = isinstance(outcome, asyncio.Future)
            error = outcome.exception() if isinstance(outcome, asyncio.Future) else outcome
            if error is not None and not isinstance(error, REFUSED_FOR_GOOD):
                passing_failure = error
                break
            if error is not None:
                refused.append((record, error, by_broker))
            else:
                published[record["topic"]] += 1
            sent += 1
        for record, error, by_broker in refused:
            # The broker answers per batch, so an innocent record can share its refusal:
            # only a record that is refused when sent alone is set aside.
            final = await self._send_alone(record) if by_broker else error
            if final is not None:
                await self._set_record_aside(record, final)
            else:
                published[record["topic"]] += 1
        self._metrics.published_from_outbox(published)
        await self._remove_sent(records, sent)
        if passing_failure is not None:
            raise passing_failure
        return sent

    async def _oldest(self) -> tuple[list[Document], list[tuple[Document, Document]]]:
        """The oldest outbox documents, as many as hold a round's records, and their
        records in order, each beside the document it is in (shared/storage/outbox_bundles.py)."""
        documents: list[Document] = []
        records: list[tuple[Document, Document]] = []
        cursor = self._outbox.find({}).sort(OUTBOX_ORDER).limit(self._batch_size)
        async with cursor:
            async for document in cursor:
                documents.append(document)
                records += [(document, record) for record in records_in(document)]
                if len(records) >= self._batch_size:
                    break
        return documents, records

    async def _remove_sent(self, records: list[tuple[Document, Document]], sent: int) -> None:
        """Remove the first `sent` records from the outbox: the documents all of whose
        records were sent, and from a bundle sent in part, the part sent."""
        if not sent:
            return
        whole = [document["_id"] for document, _ in records[:sent]]
        partly: Document | None = None
        if sent < len(records) and records[sent][0] is records[sent - 1][0]:
            partly = records[sent][0]
            whole = [each for each in whole if each != partly["_id"]]
        if whole:
            # One statement: the embedded database looks a `$in` of ids up in a set
            # (cli/embedded_database.py), which takes half the time of one statement per
            # row there. Not retried by the driver as a multi-document write; should it
            # fail, the relay's own retry sends the rows again (consumers keep an inbox).
            await self._outbox.delete_many({"_id": {"$in": list(dict.fromkeys(whole))}})
        if partly is not None:
            left = [record for document, record in records[sent:] if document is partly]
            await self._outbox.update_one({"_id": partly["_id"]}, {"$set": {RECORDS: left}})

    async def _send_alone(self, record: Document) -> BaseException | None:
        """Send one record and wait for the broker: None if it took it, the error if it
        refused it for good; a passing failure is raised."""
        try:
            await (await self._send_row(record))
        except REFUSED_FOR_GOOD as exc:
            return exc
        return None

    async def _set_record_aside(self, record: Document, error: BaseException) -> None:
        reason = _reason(error)
        self._metrics.dead_letters.labels(RELAY, str(record["topic"])).inc()
        # Upserted by the record's id: a relay that dies before deleting it from the outbox
        # sets it aside again without a second copy.
        await self._set_aside.replace_one(
            {"_id": record["_id"]},
            {**record, "reason": reason, "set_aside_at": datetime.now(UTC)},
            upsert=True,
        )
        headers = _headers(record)
        headers.update(
            {
                dead_letters.REASON: reason,
                dead_letters.ORIGIN_TOPIC: record["topic"],
                dead_letters.FAILED_AT: datetime.now(UTC).isoformat(),
            }
        )
        on_topic = await self._publish_dead_letter(record, headers)
        log.error(
            "outbox record refused by the broker, set aside",
            reason=reason,
            topic=record["topic"],
            event_id=record.get("event_id"),
            on_dead_letter_topic=on_topic,
        )

    async def _publish_dead_letter(self, record: Document, headers: dict[str, str]) -> str:
        """Publish the record to `<topic>.dlq`; say how it went, for the log."""
        topic, key = dead_letter_topic(record["topic"]), record["key"]
        try:
            await (await self._send(topic, key, record["value"], headers))
            return "with its value"
        except InvalidTopicError:
            return "not at all (no valid topic name)"
        except REFUSED_FOR_GOOD:
            pass
        # It does not fit there either: announce it without the value, which the collection
        # keeps, so that whoever watches the dead letters still learns of it.
        headers[VALUE_OMITTED] = f"too large; kept in {OUTBOX_DEAD_LETTERS}"
        try:
            await (await self._send(topic, key, b"", headers))
            return "without its value"
        except REFUSED_FOR_GOOD:
            return "not at all"

    async def release(self) -> None:
        with contextlib.suppress(Exception):
            await self._lease.release()
