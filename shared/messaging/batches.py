"""The batch handler contract: a service decides about a whole fetched batch at once.

A per-event handler reads and writes for every event: on the embedded database every one of
those is a round trip, and the round trips are what a batch costs. A batch handler instead

1. receives the batch's fresh events (the inbox already dropped redeliveries), grouped by
   key in fetch order (`EventBatch.by_key`) and by type (`EventBatch.by_type`);
2. loads the state it needs with one query per collection, `$in` on the batch's keys
   (`BatchState.load`);
3. decides with the pure domain functions, event after event per key, on that state in
   memory — several events for one volunteer in one batch build on each other in order;
4. returns the writes and the events to announce (`BatchOutcome`).

The consumer applies the outcome in the batch's transaction. The last batch of a fetch
(usually the only one) goes to the database at commit, its writes in the one command with
the outbox, inbox and hint rows (`Transaction.stage_writes`, `Transaction.flush`): the
batch costs that command and the commit, where it cost one `bulk_write` per collection and
one `insert_many` per kind of row. A batch with other handlers after it in the same fetch is
written at once instead (one ordered `bulk_write` per collection), because what follows may
read it. If anything fails, the transaction is rolled back and the consumer
retries each event alone — a batch of one through the same handler — so a poison event is
dead-lettered alone and its neighbours are applied once.

Tenancy holds as for `TenantCollection`: every query and every write names its organisation,
checked by the same functions.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pymongo import DeleteMany, DeleteOne, ReplaceOne, UpdateOne

from shared.events import Event
from shared.events.cloudevents import ReceivedEvent
from shared.storage.tenancy import (
    Document,
    TenancyViolation,
    TenantCollection,
    checked_update,
    scoped_document,
    scoped_filter,
)
from shared.storage.unit_of_work import ClientWrite, Transaction

# (organisation, value of the field a collection is keyed on), e.g. (org, volunteer_id).
StateKey = tuple[str, str]


@dataclass(frozen=True)
class Write:
    """One write of a batch's outcome, made the driver's where it is applied: for its
    collection's bulk_write, or naming its namespace for the commit's one command."""

    kind: type[ReplaceOne[Document]] | type[UpdateOne] | type[DeleteOne] | type[DeleteMany]
    query: Document
    # The replacement or the update; None for a delete.
    body: Document | None = None
    upsert: bool = False

    def model(self, namespace: str | None = None) -> ClientWrite:
        body = self.body or {}
        if self.kind is ReplaceOne:
            return ReplaceOne(self.query, body, upsert=self.upsert, namespace=namespace)
        if self.kind is UpdateOne:
            return UpdateOne(self.query, body, upsert=self.upsert, namespace=namespace)
        if self.kind is DeleteOne:
            return DeleteOne(self.query, namespace=namespace)
        return DeleteMany(self.query, namespace=namespace)


class EventBatch:
    """The fresh events of one fetched batch for one batch handler, in fetch order."""

    def __init__(self, received: Sequence[ReceivedEvent]) -> None:
        self.received = tuple(received)

    @property
    def events(self) -> list[Event]:
        return [item.event for item in self.received]

    def by_key(self) -> dict[str, list[ReceivedEvent]]:
        """Per Kafka key (one aggregate), its events in the order they were published."""
        grouped: dict[str, list[ReceivedEvent]] = {}
        for item in self.received:
            grouped.setdefault(item.event.key(), []).append(item)
        return grouped

    def by_type(self) -> dict[type[Event], dict[str, list[ReceivedEvent]]]:
        """Per event type, per key, in order: what a handler loads for each kind of event."""
        grouped: dict[type[Event], dict[str, list[ReceivedEvent]]] = {}
        for item in self.received:
            of_type = grouped.setdefault(type(item.event), {})
            of_type.setdefault(item.event.key(), []).append(item)
        return grouped


class BatchState:
    """Reads for a batch handler, in the batch's transaction."""

    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    async def load(
        self, collection: str, field_name: str, keys: Iterable[StateKey]
    ) -> dict[StateKey, Document]:
        """The documents of `collection` whose `field_name` is one of `keys`, in ONE query
        (`$in` per organisation), by key; keys without a document are absent."""
        by_org: dict[str, set[str]] = {}
        for org_id, value in keys:
            by_org.setdefault(org_id, set()).add(value)
        if not by_org:
            return {}
        branches = [
            scoped_filter(collection, org_id, {field_name: {"$in": sorted(values)}})
            for org_id, values in sorted(by_org.items())
        ]
        query = branches[0] if len(branches) == 1 else {"$or": branches}
        cursor = self._tx.db[collection].find(query, session=self._tx.session)
        return {(doc["org_id"], doc[field_name]): doc async for doc in cursor}

    async def load_organisations(
        self, collection: str, organisations: Iterable[str]
    ) -> list[Document]:
        """Every document of `collection` of these organisations, in ONE query: for small
        per-organisation collections (settings, subscriptions) that a batch reads whole.
        Each document names its organisation: callers group by `org_id`."""
        orgs = sorted(set(organisations))
        if not orgs:
            return []
        cursor = self._tx.db[collection].find({"org_id": {"$in": orgs}}, session=self._tx.session)
        return [doc async for doc in cursor]

    def collection(self, org_id: str, name: str) -> TenantCollection:
        """Any other read, scoped to one organisation, in the batch's transaction."""
        return TenantCollection(self._tx.db[name], org_id, self._tx.session)


@dataclass
class BatchOutcome:
    """What a batch handler decided: writes per collection, in order, and events to announce."""

    writes: dict[str, list[Write]] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)

    def replace(
        self,
        collection: str,
        org_id: str,
        query: Mapping[str, Any],
        document: Mapping[str, Any],
        *,
        upsert: bool = False,
    ) -> None:
        self.writes.setdefault(collection, []).append(
            Write(
                ReplaceOne,
                scoped_filter(collection, org_id, query),
                scoped_document(collection, org_id, document),
                upsert=upsert,
            )
        )

    def update(
        self,
        collection: str,
        org_id: str,
        query: Mapping[str, Any],
        update: Mapping[str, Any],
        *,
        upsert: bool = False,
    ) -> None:
        self.writes.setdefault(collection, []).append(
            Write(
                UpdateOne,
                scoped_filter(collection, org_id, query),
                checked_update(collection, update),
                upsert=upsert,
            )
        )

    def delete(self, collection: str, org_id: str, query: Mapping[str, Any]) -> None:
        self.writes.setdefault(collection, []).append(
            Write(DeleteOne, scoped_filter(collection, org_id, query))
        )

    def delete_many(self, collection: str, org_id: str, query: Mapping[str, Any]) -> None:
        self.writes.setdefault(collection, []).append(
            Write(DeleteMany, scoped_filter(collection, org_id, query))
        )

    def publish(self, event: Event) -> None:
        self.events.append(event)


BatchFunction = Callable[[EventBatch, BatchState], Awaitable[BatchOutcome]]


@dataclass(frozen=True)
class BatchHandler:
    """Registered in a service's handler mapping for each event type it takes, beside
    per-event handlers: consecutive events of its types in a batch reach it together."""

    handle: BatchFunction


async def apply_outcome(
    tx: Transaction, batch: EventBatch, outcome: BatchOutcome, *, at_commit: bool = False
) -> None:
    """The writes in order, with the commit's one command (`at_commit`: nothing reads them
    before) or at once, one ordered bulk_write per collection; the events join the
    transaction's outbox. An event may only be announced for an organisation whose events
    were in the batch."""
    organisations = {event.org_id for event in batch.events}
    for event in outcome.events:
        if event.org_id not in organisations:
            raise TenancyViolation(f"{type(event).__name__} for another organisation")
    for collection, writes in outcome.writes.items():
        if not writes:
            continue
        if at_commit:
            namespace = f"{tx.db.name}.{collection}"
            tx.stage_writes(collection, [write.model(namespace) for write in writes])
        else:
            models = [write.model() for write in writes]
            await tx.db[collection].bulk_write(models, ordered=True, session=tx.session)
            # Whoever works these rows off (notify's mail and webhook workers) is woken.
            tx.wrote_into.add(collection)
    for event in outcome.events:
        tx.add_to_outbox(event)
