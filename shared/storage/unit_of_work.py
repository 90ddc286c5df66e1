"""Transactions with a transactional outbox and an inbox of consumed event ids."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import UTC, datetime
from typing import Any

from pymongo import DeleteMany, DeleteOne, InsertOne, ReplaceOne, UpdateOne
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import ClientBulkWriteException, PyMongoError

from shared.events import Event
from shared.events.cloudevents import ReceivedEvent, encode
from shared.storage.changes import CHANGES, Change, ChangesOf
from shared.storage.outbox_bundles import bundled
from shared.storage.outbox_ids import next_outbox_id
from shared.storage.tenancy import (
    Document,
    ReadOnly,
    ReadOnlyTenantCollection,
    TenancyViolation,
    TenantCollection,
    scoped_document,
    scoped_filter,
)

# A write for the client-level bulkWrite (it names its namespace, "database.collection").
ClientWrite = ReplaceOne[Document] | UpdateOne | DeleteOne | DeleteMany

OUTBOX = "outbox"
# MongoDB's code for a write that collides with a unique index.
DUPLICATE_KEY = 11000
# The order records leave the outbox in: the order they were written, which their ids keep
# (shared/storage/outbox_ids.py: why, and why not an index on the time written). Issue 28's
# three-instance test lost a volunteer when two instances' records of one volunteer left
# out of order.
OUTBOX_ORDER: list[tuple[str, int]] = [("_id", 1)]
INBOX = "inbox"
# Outbox records the broker refused for good, set aside by the relay with their reason.
OUTBOX_DEAD_LETTERS = "outbox_dead_letters"


class UndeclaredEvent(TypeError):
    """A service published an event type its ServiceDefinition does not list in `publishes=`:
    a mistake in the code, caught before the event reaches a topic nobody created."""


class Transaction:
    """One MongoDB transaction. Outbox and inbox rows are gathered and written in bulk
    just before commit, so a batch of events costs one round trip for each."""

    def __init__(
        self,
        db: AsyncDatabase[Document],
        session: AsyncClientSession,
        source: str,
        publishes: Collection[type[Event]] | None = None,
        changes_of: ChangesOf | None = None,
        *,
        bundle_outbox: bool = True,
    ) -> None:
        self.db = db
        self.session = session
        self.source = source
        # The event types this service declares; None (a tool, not a service): any.
        self.publishes = publishes
        self._outbox: list[Document] = []
        self._bundle_outbox = bundle_outbox
        self._inbox: list[Document] = []
        # Hints for live pages (shared/storage/changes.py), committed with the change.
        self._changes_of = changes_of
        self._changes: list[Document] = []
        # A hint says only that something of a kind changed, so one per distinct change is
        # all a page can use: a batch of 500 events for 125 volunteers hints 125 times, not
        # 500 (each hint is a row to insert in the batch's transaction).
        self._hinted: set[Change] = set()
        # Inserts that go to the database with the outbox rows, in one command at commit.
        self._staged: list[tuple[str, Document]] = []
        # Per staged insert: what to raise if it collides with a unique index at commit.
        self._if_duplicate: list[Exception | None] = []
        # Documents that must exist at commit, checked in the same command: (collection,
        # filter, what to raise when none matches).
        self._required: list[tuple[str, Document, Exception]] = []
        # A consumer batch's last writes (replace, update, delete), each with its namespace,
        # for the same command: (collection, write).
        self._staged_writes: list[tuple[str, ClientWrite]] = []
        self.wrote_outbox = False
        # The hints written: after the commit, this instance's live pages hear them without
        # reading them back (Database.transaction, ChangeFeed.committed).
        self.written_changes: list[Document] = []
        # The collections staged inserts or a consumer batch's writes went to: after the
        # commit, whoever waits for one of them is woken (Database.written; the audit
        # chainer waits for pending entries, notify's workers for mails and deliveries).
        self.wrote_into: set[str] = set()
        # Per organisation: what handlers of one batch read once and share (see UnitOfWork.memo).
        self.memo: dict[str, dict[str, Any]] = {}

    def scope(self, org_id: str, causation: ReceivedEvent | None = None) -> UnitOfWork:
        return UnitOfWork(self, org_id, causation)

    def add_to_outbox(self, event: Event) -> str:
        if self.publishes is not None and type(event) not in self.publishes:
            raise UndeclaredEvent(
                f"{self.source} publishes {type(event).__name__}, which is not among the "
                f"events its ServiceDefinition declares (publishes=): add it there."
            )
        record = encode(event, self.source)
        self._outbox.append(
            {
                "_id": next_outbox_id(),
                "event_id": record.event_id,
                "org_id": event.org_id,
                "topic": record.topic,
                "key": record.key,
                "value": record.value,
                "headers": [[name, value] for name, value in record.headers],
                "created_at": datetime.now(UTC),
            }
        )
        self.note_change(event)
        return record.event_id

    def note_change(self, event: Event) -> None:
        """Hint the service's live pages at `event` (published here, or consumed and
        handled in this transaction), if the service hints at events of its kind."""
        if self._changes_of is None:
            return
        at = datetime.now(UTC)
        for change in self._changes_of(event):
            if change not in self._hinted:
                self._hinted.add(change)
                self._changes.append(change.document(at))

    def record_consumed(self, consumer: str, event_id: str, org_id: str) -> None:
        self._inbox.append(
            {
                "consumer": consumer,
                "event_id": event_id,
                "org_id": org_id,
                "recorded_at": datetime.now(UTC),
            }
        )

    async def already_consumed(self, consumer: str, event_ids: list[str]) -> set[str]:
        cursor = self.db[INBOX].find(
            {"consumer": consumer, "event_id": {"$in": event_ids}},
            projection={"event_id": 1},
            session=self.session,
        )
        return {doc["event_id"] async for doc in cursor}

    def stage_insert(
        self, collection: str, document: Document, if_duplicate: Exception | None = None
    ) -> None:
        """Insert `document` at commit, in the one command that writes the outbox too;
        should it collide with a unique index, the commit raises `if_duplicate`."""
        self._staged.append((collection, document))
        self._if_duplicate.append(if_duplicate)

    def stage_writes(self, collection: str, writes: Sequence[ClientWrite]) -> None:
        """Apply `writes` (each naming its namespace) at commit, in the one command that
        writes the outbox too, after the requirements and before the staged inserts."""
        self._staged_writes += [(collection, write) for write in writes]

    def require(self, collection: str, query: Document, if_missing: Exception) -> None:
        """At commit, in the one command with the staged inserts: `query` must match a
        document of `collection`, or the commit raises `if_missing` (nothing is written)."""
        self._required.append((collection, query, if_missing))

    async def flush(self) -> None:
        if self._staged or self._required or self._staged_writes:
            await self._flush_in_one_command()
            return
        if self._outbox:
            await self.db[OUTBOX].insert_many(
                self._outbox_documents(), ordered=True, session=self.session
            )
            self.wrote_outbox = True
        if self._inbox:
            await self.db[INBOX].insert_many(self._inbox, ordered=True, session=self.session)
        if self._changes:
            await self.db[CHANGES].insert_many(self._changes, ordered=True, session=self.session)
            self.written_changes += self._changes
        self._outbox, self._inbox, self._changes = [], [], []

    def _outbox_documents(self) -> list[Document]:
        """The outbox records as the documents to insert: bundled, unless bundles are off."""
        return bundled(self._outbox) if self._bundle_outbox else list(self._outbox)

    async def _flush_in_one_command(self) -> None:
        """The staged writes and inserts, outbox, inbox and hints in ONE client-level
        `bulkWrite` (MongoDB 8.0, and SecantusDB): a request that only inserts, or a consumer
        batch, costs that command and the commit, two round trips, instead of one per
        collection."""
        writes = [
            *self._staged,
            *((OUTBOX, document) for document in self._outbox_documents()),
            *((INBOX, row) for row in self._inbox),
            *((CHANGES, row) for row in self._changes),
        ]
        name = self.db.name
        # A requirement is an update that changes nothing (org_id set to what the filter
        # already asks): it only counts whether the document is there, in this command.
        checks = [
            UpdateOne(query, {"$set": {"org_id": query["org_id"]}}, namespace=f"{name}.{where}")
            for where, query, _ in self._required
        ]
        try:
            result = await self.db.client.bulk_write(
                [
                    *checks,
                    *(write for _, write in self._staged_writes),
                    *(
                        InsertOne(document, namespace=f"{name}.{where}")
                        for where, document in writes
                    ),
                ],
                ordered=True,
                session=self.session,
                verbose_results=bool(checks),
            )
        except ClientBulkWriteException as exc:
            # The command as a whole failed (a write conflict with a concurrent transaction,
            # a timeout): that error, with its labels, so a conflict is run again as any.
            if isinstance(exc.error, PyMongoError):
                raise exc.error from None
            # Documents, as the server answered (typed otherwise in PyMongo's stubs).
            errors: list[dict[str, Any]] = (exc.details or {}).get("writeErrors") or []
            for error in errors:
                index = int(error.get("idx", -1)) - len(self._required) - len(self._staged_writes)
                if error.get("code") == DUPLICATE_KEY and 0 <= index < len(self._if_duplicate):
                    refusal = self._if_duplicate[index]
                    if refusal is not None:
                        raise refusal from None
            raise
        for index, (_, _, if_missing) in enumerate(self._required):
            if result.update_results[index].matched_count != 1:
                # Raised before the commit: the transaction ends without it.
                raise if_missing
        self.wrote_outbox = self.wrote_outbox or bool(self._outbox)
        self.written_changes += self._changes
        self.wrote_into.update(where for where, _ in (*self._staged, *self._staged_writes))
        self._staged, self._outbox, self._inbox, self._changes = [], [], [], []
        self._staged_writes = []
        self._if_duplicate, self._required = [], []


def service_of(source: str) -> str:
    """The service's name from its CloudEvents source ("/safehands/policy")."""
    return source.rstrip("/").rsplit("/", 1)[-1]


class UnitOfWork:
    """What a handler or route may touch: its organisation's collections and its outbox."""

    def __init__(
        self,
        tx: Transaction,
        org_id: str,
        causation: ReceivedEvent | None = None,
    ) -> None:
        self._tx = tx
        self.org_id = org_id
        # The event being handled, with its CloudEvents attributes; None in an HTTP request.
        self.causation = causation

    @property
    def service(self) -> str:
        """The service whose transaction this is (its audit entries name it)."""
        return service_of(self._tx.source)

    @property
    def causation_id(self) -> str | None:
        return self.causation.id if self.causation else None

    def collection(self, name: str) -> TenantCollection:
        return TenantCollection(self._tx.db[name], self.org_id, self._tx.session)

    def insert_at_commit(
        self, name: str, document: Document, *, if_duplicate: Exception | None = None
    ) -> None:
        """Insert `document` into this organisation's collection `name` when the unit of
        work commits, in one command with its outbox rows. A unique index it collides with
        fails the commit, not this call: the commit then raises `if_duplicate` (a domain
        error, say), or the driver's error if None. A read in the same unit of work does
        not see the document yet."""
        scoped = scoped_document(name, self.org_id, document)
        self._tx.stage_insert(name, scoped, if_duplicate)

    def require_at_commit(self, name: str, query: Document, *, if_missing: Exception) -> None:
        """Check at commit, in the one command that writes the staged inserts and the outbox,
        that this organisation's collection `name` holds a document matching `query`; if not,
        the commit raises `if_missing` and nothing is written. A request that only needs to
        know its subject exists (a volunteer's interview) then spends no read on it."""
        self._tx.require(name, scoped_filter(name, self.org_id, query), if_missing)

    def wake_after_commit(self, name: str) -> None:
        """Wake whoever works off collection `name` (Database.written) once this commits:
        for rows written with `collection(name)` rather than `insert_at_commit`."""
        self._tx.wrote_into.add(name)

    def publish(self, event: Event) -> str:
        """Queue an event to be published once this transaction commits; returns its id."""
        if event.org_id != self.org_id:
            raise TenancyViolation(f"{type(event).__name__} for another organisation")
        return self._tx.add_to_outbox(event)

    @property
    def memo(self) -> dict[str, Any]:
        """A dict shared by every handler of this transaction for this organisation: a batch
        of events is one transaction, so what the handlers read but never change (a role, the
        current code version) can be read once per batch instead of once per event."""
        return self._tx.memo.setdefault(self.org_id, {})


class ReadingUnitOfWork(UnitOfWork):
    """A unit of work for a route that only reads (`Database.read`): each read goes straight
    to the database and sees what is committed, with no transaction to begin, commit or
    abort. In a transaction, a page's read cost one command more (the commit), and one that
    answered 404 an `abortTransaction`. What would write raises ReadOnly, so that a route
    that writes anything, an audit entry too, cannot be moved here by mistake: its tests
    fail. The price: two reads of one route may see two moments, which a page that shows
    them can live with (a change after the first read is a live hint away)."""

    def __init__(self, db: AsyncDatabase[Document], source: str, org_id: str) -> None:
        self._db = db
        self._source = source
        self.org_id = org_id
        self.causation = None
        self._memo: dict[str, Any] = {}

    @property
    def service(self) -> str:
        return service_of(self._source)

    @property
    def memo(self) -> dict[str, Any]:
        return self._memo

    def collection(self, name: str) -> TenantCollection:
        return ReadOnlyTenantCollection(self._db[name], self.org_id)

    def _refuse(self, *_args: Any, **_kwargs: Any) -> Any:
        raise ReadOnly("a read queued a write or an event: run the route in transact")

    insert_at_commit = require_at_commit = wake_after_commit = publish = _refuse
