"""A fetched batch through a batch handler (policy's volunteer events), on the real broker and
database: several events for one volunteer build on each other in order, at the cost of one
read and one write of the admission files for the whole batch; a poison event in the middle
of a batch is dead-lettered alone and its neighbours are applied exactly once. And notify: the
read model, contacts and subscriptions read once for a whole batch."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiokafka import ConsumerRecord
from prometheus_client import CollectorRegistry

from services.notify.event_handlers import handlers as notify_handlers
from services.notify.storage import CONTACTS, DELIVERIES, MAILS, WEBHOOKS
from services.notify.storage import INDEXES as NOTIFY_INDEXES
from services.policy.event_handlers import HANDLERS
from services.policy.storage import ADMISSIONS, CODES, INDEXES, ROLES
from shared.domain.calendar import today
from shared.events import REGISTRY
from shared.events.admission import (
    CodeSigned,
    InterviewRecorded,
    VOGReceived,
    VolunteerAdmitted,
    VolunteerApplied,
    VolunteerDataErased,
)
from shared.events.base import Event
from shared.events.cloudevents import encode
from shared.messaging import dead_letters
from shared.messaging.batches import BatchHandler, BatchOutcome, BatchState, EventBatch
from shared.messaging.broker import create_broker
from shared.messaging.consumer import EventConsumer
from shared.messaging.dead_letters import DeadLetterPublisher
from shared.messaging.topics import dead_letter_topic, ensure_topics
from shared.settings import load_settings
from shared.storage.database import Database
from shared.storage.outbox_bundles import records_in
from shared.storage.unit_of_work import INBOX, OUTBOX, UnitOfWork
from tests.support.kafka import produce, read_topic
from tests.support.platform import Infrastructure

TOPIC = VolunteerApplied.topic()
NOW = datetime.now(UTC)


@pytest.fixture
async def policy(infra: Infrastructure) -> AsyncIterator[tuple[EventConsumer, Database, str]]:
    """policy's handlers in an EventConsumer of this process, on a database of their own,
    with an organisation that has a role needing a VOG and a published code."""
    org = f"org-{uuid.uuid4().hex[:6]}"
    db = Database(infra.mongo_uri, f"batches_{uuid.uuid4().hex[:8]}", "/safehands/policy")
    await db.ensure_indexes(INDEXES)
    await db.tenant_collection(org, ROLES).insert_one(
        {
            "role_id": "coach",
            "works_with_minors": True,
            "works_with_vulnerable": False,
            "vog_max_age_days": 180,
            "vog_renewal_years": 3,
        }
    )
    await db.tenant_collection(org, CODES).insert_one({"version": 1, "sha256": "0" * 64})
    await ensure_topics(infra.kafka_bootstrap, {TOPIC, dead_letter_topic(TOPIC)}, 1)
    broker = create_broker(infra.kafka_bootstrap, "batch-test", CollectorRegistry())
    await broker.start()
    consumer = EventConsumer(
        "policy", HANDLERS, db, DeadLetterPublisher(broker), REGISTRY, retry_base_seconds=0.01
    )
    try:
        yield consumer, db, org
    finally:
        await broker.stop()
        await db.client.drop_database(db.db.name)
        await db.close()


def volunteer_events(org: str, volunteer: str, role: str = "coach") -> list[Event]:
    return [
        VolunteerApplied(
            org_id=org,
            volunteer_id=volunteer,
            application_id=str(uuid.uuid4()),
            role_id=role,
            name="Anna",
            email="anna@example.org",
            applied_at=NOW,
        ),
        InterviewRecorded(
            org_id=org,
            volunteer_id=volunteer,
            outcome="proceed",
            recorded_by="jan",
            recorded_at=NOW,
        ),
        CodeSigned(
            org_id=org,
            volunteer_id=volunteer,
            version=1,
            sha256="0" * 64,
            signed_at=NOW,
            recorded_by=volunteer,
        ),
        VOGReceived(
            org_id=org,
            volunteer_id=volunteer,
            issued_on=today() - timedelta(days=10),
            screening_aspects=[84],
            checked_by="jan",
            recorded_on=today(),
        ),
    ]


async def fetched(infra: Infrastructure, events: list[Event]) -> list[ConsumerRecord[Any, Any]]:
    """`events` through the broker: produced in this order under one record key (one
    partition, so fetched in this order), and read back as one fetch would hand them over."""
    ids = []
    for event in events:
        record = encode(event, "/tests")
        ids.append(record.event_id)
        await produce(infra.kafka_bootstrap, TOPIC, record.value, b"batch", record.headers)

    def event_id(record: ConsumerRecord[Any, Any]) -> str:
        return dict(record.headers)["ce_id"].decode()

    records = await read_topic(
        infra.kafka_bootstrap,
        TOPIC,
        until=lambda found: set(ids) <= {event_id(r) for r in found},
        timeout=30,
    )
    ours = {event_id(r): r for r in records if event_id(r) in ids}
    return [ours[i] for i in ids]


async def outbox_of(db: Database, org: str) -> list[tuple[str, str]]:
    """The events in the outbox for `org`, in order: a batch's are in bundles."""
    documents = await db.db[OUTBOX].find({}).sort("_id", 1).to_list()
    rows = [row for document in documents for row in records_in(document)]
    return [
        (dict(r["headers"])["ce_type"].decode(), r["key"].decode())
        for r in rows
        if r["org_id"] == org
    ]


async def test_several_events_for_one_volunteer_in_one_batch_apply_in_order(
    infra: Infrastructure, policy: tuple[EventConsumer, Database, str]
) -> None:
    consumer, db, org = policy
    anna, bob = str(uuid.uuid4()), str(uuid.uuid4())
    a, b = volunteer_events(org, anna), volunteer_events(org, bob)
    # Interleaved, as two volunteers' events arrive; each one's own order is kept.
    records = await fetched(infra, [a[0], b[0], a[1], a[2], b[1], a[3]])
    before = dict(db.commands.by_name)

    await consumer.process(records)
    used = {name: count - before.get(name, 0) for name, count in db.commands.by_name.items()}

    files = {
        doc["volunteer_id"]: doc["decision"]
        for doc in await db.db[ADMISSIONS].find({"org_id": org}).to_list()
    }
    # No new code version came: no grace period (`resign_before`) runs for either.
    assert files[anna] == {"status": "admitted", "missing": [], "resign_before": None}
    assert files[bob] == {
        "status": "pending",
        "missing": ["code_signature", "vog"],
        "resign_before": None,
    }
    announced = [kind for kind, key in await outbox_of(db, org) if key == f"{org}:{anna}"]
    assert announced[-1] == VolunteerAdmitted.type_name
    assert VolunteerAdmitted.type_name not in announced[:-1]
    # The whole batch read the files once and wrote them once, in one transaction.
    assert used.get("commitTransaction") == 1
    assert used["find"] <= 4, used  # inbox, files, roles, current code
    # Files, names, outbox and inbox rows in the commit's one command, no command per
    # collection; no document per organisation (an interview tally was one, and policy's
    # instances conflicted on it: README, "Sizing a province").
    assert used.get("bulkWrite") == 1, used
    assert not {"update", "insert", "delete"} & {name for name, n in used.items() if n}, used


async def test_a_poison_event_mid_batch_is_dead_lettered_alone_and_its_neighbours_apply_once(
    infra: Infrastructure, policy: tuple[EventConsumer, Database, str]
) -> None:
    consumer, db, org = policy
    anna, bob, poison = str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())
    a, b = volunteer_events(org, anna), volunteer_events(org, bob)
    # A role policy never defined: deciding about this application fails every time.
    bad = volunteer_events(org, poison, role="no-such-role")[0]
    batch = [a[0], a[1], b[0], bad, b[1], a[2], a[3]]
    records = await fetched(infra, batch)

    await consumer.process(records)

    decisions = {
        doc["volunteer_id"]: doc["decision"]["status"]
        for doc in await db.db[ADMISSIONS].find({"org_id": org}).to_list()
    }
    assert decisions == {anna: "admitted", bob: "pending"}
    interviewed = await db.tenant_collection(org, ADMISSIONS).count({"interview": {"$ne": None}})
    assert interviewed == 2, "each interview once"
    consumed = await db.db[INBOX].find({"consumer": "policy", "org_id": org}).to_list()
    assert sorted(row["event_id"] for row in consumed) == sorted(
        dict(r.headers)["ce_id"].decode() for i, r in enumerate(records) if batch[i] is not bad
    )
    announced = [kind for kind, key in await outbox_of(db, org) if key == f"{org}:{anna}"]
    assert announced.count(VolunteerAdmitted.type_name) == 1

    bad_id = dict(records[batch.index(bad)].headers)["ce_id"].decode()
    letters = await read_topic(
        infra.kafka_bootstrap,
        dead_letter_topic(TOPIC),
        until=lambda found: any(dict(r.headers)["ce_id"] == bad_id.encode() for r in found),
        timeout=30,
    )
    ours = [r for r in letters if dict(r.headers)["ce_tenantid"] == org.encode()]
    assert [dict(r.headers)["ce_id"].decode() for r in ours] == [bad_id]
    reason = dict(ours[0].headers)[dead_letters.REASON].decode()
    assert "no-such-role" in reason and dict(ours[0].headers)[dead_letters.CONSUMER] == b"policy"


async def test_a_batch_that_loses_a_write_conflict_is_run_again_whole(
    infra: Infrastructure, policy: tuple[EventConsumer, Database, str]
) -> None:
    """Another transaction holds one volunteer's file while the batch comes (as a batch that
    timed out still does on the server when it is fetched again): the batch waits for it and
    is applied in one transaction, not split into one per event."""
    consumer, db, org = policy
    anna, bob = str(uuid.uuid4()), str(uuid.uuid4())
    a, b = volunteer_events(org, anna), volunteer_events(org, bob)
    await consumer.process(await fetched(infra, [a[0]]))
    records = await fetched(infra, [b[0], a[1], b[1], a[2], a[3]])

    async with db.client.start_session() as holder, await holder.start_transaction():
        held = await db.db[ADMISSIONS].update_one(
            {"org_id": org, "volunteer_id": anna}, {"$set": {"held": True}}, session=holder
        )
        assert held.modified_count == 1
        before = dict(db.commands.by_name)
        applying = asyncio.create_task(consumer.process(records))
        # The batch meets the held file and waits; the holder gives up after a while.
        await asyncio.sleep(1.0)
        assert not applying.done()
        await holder.abort_transaction()
    await asyncio.wait_for(applying, 30)
    used = {name: count - before.get(name, 0) for name, count in db.commands.by_name.items()}

    files = {
        doc["volunteer_id"]: doc["decision"]["status"]
        for doc in await db.db[ADMISSIONS].find({"org_id": org}).to_list()
    }
    assert files == {anna: "admitted", bob: "pending"}
    # Tried whole until the file was free, then committed once: not once per event.
    assert used.get("commitTransaction") == 1, used


async def test_notify_reads_once_per_batch_and_an_applicant_s_own_mail_finds_their_address(
    infra: Infrastructure,
) -> None:
    org = f"org-{uuid.uuid4().hex[:6]}"
    db = Database(infra.mongo_uri, f"batches_{uuid.uuid4().hex[:8]}", "/safehands/notify")
    await db.ensure_indexes(NOTIFY_INDEXES)
    await db.tenant_collection(org, CONTACTS).insert_one(
        {"coordinators": ["jan@example.org"], "admins": []}
    )
    await db.tenant_collection(org, WEBHOOKS).insert_one(
        {"webhook_id": "hook", "status": "active", "event_types": [VolunteerApplied.type_name]}
    )
    consumer = EventConsumer(
        "notify", notify_handlers(load_settings()), db, NoDeadLetters(), REGISTRY
    )
    volunteers = [str(uuid.uuid4()) for _ in range(5)]
    # Each applicant's own mail needs the address their own VolunteerApplied brings along,
    # in the same batch.
    applications = [
        volunteer_events(org, volunteer)[0].model_copy(update={"email": f"{i}@example.org"})
        for i, volunteer in enumerate(volunteers)
    ]
    records = await fetched(infra, applications)
    try:
        before = dict(db.commands.by_name)
        await consumer.process(records)
        used = {name: count - before.get(name, 0) for name, count in db.commands.by_name.items()}

        mails = await db.db[MAILS].find({"org_id": org}).to_list()
        to_applicants = sorted(m["to"] for m in mails if m["recipient_role"] == "applicant")
        assert to_applicants == [f"{i}@example.org" for i in range(5)]
        assert (
            sorted(m["to"] for m in mails if m["recipient_role"] == "coordinator")
            == ["jan@example.org"] * 5
        )
        deliveries = await db.db[DELIVERIES].find({"org_id": org}).to_list()
        assert len(deliveries) == 5
        # Five events, one read per collection: inbox, volunteers, organisation, roles,
        # contacts, staff (the members mailed where the contacts name none), subscriptions;
        # volunteers, mails, deliveries, outbox and inbox in the commit's one command.
        assert used["find"] <= 7, used
        assert used["bulkWrite"] == 1, used
        assert not used.get("update"), used
        assert used["commitTransaction"] == 1, used
    finally:
        await db.client.drop_database(db.db.name)
        await db.close()


class NoDeadLetters:
    """This test has no poison: a dead letter would be a failure."""

    async def send(self, record: ConsumerRecord[Any, Any], reason: str, consumer: str) -> None:
        raise AssertionError(f"dead-lettered: {reason}")


async def test_a_fact_about_a_volunteer_policy_never_had_is_dead_lettered_with_its_reason(
    infra: Infrastructure, policy: tuple[EventConsumer, Database, str]
) -> None:
    """An interview for a file that does not exist (erased, or never applied) is not dropped
    with a log line: it reaches the dead-letter topic, saying why; its neighbours apply."""
    consumer, db, org = policy
    anna, ghost = str(uuid.uuid4()), str(uuid.uuid4())
    a = volunteer_events(org, anna)
    orphan = volunteer_events(org, ghost)[1]
    batch = [a[0], orphan, a[1], a[2], a[3]]
    records = await fetched(infra, batch)

    await consumer.process(records)

    decisions = {
        doc["volunteer_id"]: doc["decision"]["status"]
        for doc in await db.db[ADMISSIONS].find({"org_id": org}).to_list()
    }
    assert decisions == {anna: "admitted"}
    orphan_id = dict(records[batch.index(orphan)].headers)["ce_id"]
    letters = await read_topic(
        infra.kafka_bootstrap,
        dead_letter_topic(TOPIC),
        until=lambda found: any(dict(r.headers)["ce_id"] == orphan_id for r in found),
        timeout=30,
    )
    ours = [r for r in letters if dict(r.headers)["ce_id"] == orphan_id]
    reason = dict(ours[0].headers)[dead_letters.REASON].decode()
    assert ghost in reason and "no admission file" in reason


async def test_a_handler_after_a_batch_in_the_same_fetch_reads_what_the_batch_wrote(
    infra: Infrastructure,
) -> None:
    """A batch's writes wait for the commit's one command only when the batch is the fetch's
    last: a per-event handler after it in the same transaction reads them, so they are
    written before it runs."""
    org = f"org-{uuid.uuid4().hex[:6]}"
    db = Database(infra.mongo_uri, f"mixed_{uuid.uuid4().hex[:8]}", "/safehands/policy")
    seen: dict[str, Any] = {}

    async def count(batch: EventBatch, state: BatchState) -> BatchOutcome:
        outcome = BatchOutcome()
        for event in batch.events:
            assert isinstance(event, VolunteerApplied)
            query = {"volunteer_id": event.volunteer_id}
            outcome.update("counters", org, query, {"$inc": {"applied": 1}}, upsert=True)
        return outcome

    async def look(event: Event, uow: UnitOfWork) -> None:
        assert isinstance(event, VolunteerDataErased)
        found = await uow.collection("counters").find_one({"volunteer_id": event.volunteer_id})
        seen[event.volunteer_id] = found["applied"] if found else None

    await ensure_topics(infra.kafka_bootstrap, {TOPIC, dead_letter_topic(TOPIC)}, 1)
    broker = create_broker(infra.kafka_bootstrap, "mixed-test", CollectorRegistry())
    await broker.start()
    handlers = {VolunteerApplied: BatchHandler(count), VolunteerDataErased: look}
    consumer = EventConsumer(
        "mixed", handlers, db, DeadLetterPublisher(broker), REGISTRY, retry_base_seconds=0.01
    )
    anna, bob, carla = (str(uuid.uuid4()) for _ in range(3))
    try:
        applied = [volunteer_events(org, who)[0] for who in (anna, bob, carla)]
        erased = VolunteerDataErased(org_id=org, volunteer_id=anna)
        await consumer.process(await fetched(infra, [applied[0], applied[1], erased, applied[2]]))
        assert seen == {anna: 1}
        counters = await db.db["counters"].find({"org_id": org}).to_list()
        assert {doc["volunteer_id"]: doc["applied"] for doc in counters} == {
            anna: 1,
            bob: 1,
            carla: 1,
        }
    finally:
        await broker.stop()
        await db.client.drop_database(db.db.name)
        await db.close()
