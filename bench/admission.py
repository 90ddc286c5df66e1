"""Benchmark of the admission chain: `python bench/admission.py [--volunteers N] [--rate R ...]`.

Starts its own Tansu broker, SecantusDB (on disk, like the embedded default) and the intake
and policy services on free ports, then measures in one run:

1. latency — N volunteers go through application → interview → signature → VOG over HTTP,
   a new volunteer every 1/R seconds (default 50 per second; several rates one after
   another, lowest first, each with an organisation of its own); for each, the time from
   the answer to the last request (the VOG record) until GET admission says `admitted`,
   read again when the coordinator's live stream hints at the volunteer (as the pipeline
   page does; `LiveHints`), and the highest rate whose median p99 meets 250 ms; beside it
   the database commands per volunteer that intake and policy sent during the run;
2. throughput through policy — a backlog of B volunteers' events (4 each) is put on the
   topic while policy is stopped; policy is started and its rate is read from the inbox
   timestamps of the first and last event it consumed;
3. the baselines — the same backlog consumed by a plain aiokafka consumer with PyMongo and a
   hand-written decision, no framework, on equally indexed collections, timed the same way:
   - per-event: the admission file read and written per event, outbox and inbox rows; role
     and current code once per batch; one transaction per fetched batch;
   - batch-native: per batch one `$in` read of the admission files, the decisions made in
     memory in per-key order, one `bulk_write`, one `insert_many` each for outbox and inbox,
     in one transaction;
   and policy's ratio to each;
4. database commands per admitted volunteer — a further C volunteers go through the chain
   (no polling by the bench), and the commands intake and policy sent meanwhile are read
   from their `safehands_db_commands_total` metric (PyMongo command monitoring), by name.

The whole is run `--runs` times (3), each on a fresh platform; every figure is printed as
the median with each run's value and the spread, beside the load averages: the machine may
be shared, and one lucky run is no result.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import json
import math
import os
import re
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from bson import ObjectId
from pymongo import AsyncMongoClient, MongoClient, ReplaceOne

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from loadgen import Answer, Client, percentile
from steady import load_average, steady
from steady import loads as loads_of

from cli.embedded import (
    ChildProcess,
    broker_process,
    database_process,
    free_port,
    service_process,
    wait_for_port,
)
from cli.memberships import member_id_for, record_membership
from services.policy.storage import INDEXES as POLICY_INDEXES
from shared.auth.tokens import Role, create_key_pair, mint_token
from shared.domain.calendar import today
from shared.events.admission import (
    CodeSigned,
    InterviewRecorded,
    VOGReceived,
    VolunteerApplied,
)
from shared.events.base import Event
from shared.events.cloudevents import encode
from shared.events.identity import MemberAdded
from shared.runtime.rate_limit import create_rate_limit_secret
from shared.storage.database import PLUMBING_INDEXES

DATABASE = "bench"
CODE = "Wij behandelen iedereen met respect.\n"
CODE_SHA = hashlib.sha256(CODE.encode()).hexdigest()
ROLE = {"title": "Jeugdleider", "works_with_minors": True, "works_with_vulnerable": False}
TOPIC = VolunteerApplied.topic()


def outbox_rows(
    org_id: str, key: bytes | None, announced: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The baselines' outbox rows: what the platform's unit of work writes per event."""
    now = datetime.now(UTC)
    return [
        {
            "_id": ObjectId(),
            "org_id": org_id,
            "topic": TOPIC,
            "key": key,
            "value": json.dumps(event).encode(),
            "created_at": now,
        }
        for event in announced
    ]


def inbox_row(consumer: str, event_id: str, org_id: str) -> dict[str, Any]:
    """The baselines' inbox row: the consumed event id, as the platform's consumer writes."""
    return {
        "consumer": consumer,
        "event_id": event_id,
        "org_id": org_id,
        "recorded_at": datetime.now(UTC),
    }


HANDLED = {e.type_name for e in (VolunteerApplied, InterviewRecorded, CodeSigned, VOGReceived)}


# The services the bench runs. A token's membership is recorded in their databases only: the
# other services' collections have no indexes without their service, so upserting every
# volunteer's membership there scanned them, database work for nothing the chain reads.
SERVICES = ("intake", "policy")


class Platform:
    """Broker, database, intake and policy as child processes in a temporary folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.logs = root / "logs"
        self.kafka = broker_process(free_port(), self.logs)
        self.mongo = database_process(free_port(), root / "db", self.logs)
        self.bootstrap = f"127.0.0.1:{self.kafka.port}"
        self.mongo_uri = f"mongodb://127.0.0.1:{self.mongo.port}/?directConnection=true"
        self.keys = root / "data" / "keys"
        create_key_pair(self.keys / "jwt_private.pem", self.keys / "jwt_public.pem")
        create_rate_limit_secret(self.keys / "rate_limit_secret")
        self.children: list[ChildProcess] = []
        self.minted: set[tuple[str, str, Role]] = set()
        # Each holder's headers, minted once: a token is valid for the whole bench.
        self.headers: dict[tuple[str | None, str, Role], dict[str, str]] = {}
        self.mongo_client: MongoClient[Any] | None = None

    def env(self) -> dict[str, str]:
        return {
            "SAFEHANDS_KAFKA_BOOTSTRAP_SERVERS": self.bootstrap,
            "SAFEHANDS_MONGO_URI": self.mongo_uri,
            "SAFEHANDS_MONGO_DATABASE": DATABASE,
            "SAFEHANDS_DATA_DIR": str(self.root / "data"),
            "SAFEHANDS_LOG_LEVEL": "WARNING",
            "SAFEHANDS_RATE_LIMIT_PER_CLIENT": "1000000",
            "SAFEHANDS_PROOF_OF_WORK_ABOVE_PER_MINUTE": "1000000",
        }

    def start_infrastructure(self) -> None:
        for child in (self.kafka, self.mongo):
            child.start()
            self.children.append(child)
            wait_for_port(child, timeout=60)

    def start_service(self, name: str, env: Mapping[str, str] | None = None) -> str:
        port = free_port()
        child = service_process(name, port, {**self.env(), **(env or {})}, self.logs)
        child.start()
        self.children.append(child)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if child.exit_code is not None:
                raise RuntimeError(f"{name} exited; see {child.log_path}")
            try:
                if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                    return url
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise TimeoutError(f"{name} not ready; see {child.log_path}")

    def stop_service(self, url: str) -> None:
        port = int(url.rsplit(":", 1)[1])
        for child in self.children:
            if child.port == port:
                child.stop()

    def stop(self) -> None:
        if self.mongo_client is not None:
            self.mongo_client.close()
        for child in reversed(self.children):
            child.stop()

    def token(self, role: Role, org: str | None, sub: str | None = None) -> dict[str, str]:
        """A token as `safehands token` mints it: every service refuses one whose holder is
        not a current member, so its membership is recorded first (once per holder)."""
        subject = sub or f"bench-{role}"
        if org is not None and role != "operator" and (org, subject, role) not in self.minted:
            if self.mongo_client is None:
                self.mongo_client = MongoClient(self.mongo_uri, tz_aware=True)
            record_membership(
                self.mongo_client, DATABASE, org=org, sub=subject, role=role, services=SERVICES
            )
            self.minted.add((org, subject, role))
        cached = self.headers.get((org, subject, role))
        if cached is None:
            token = mint_token(self.keys / "jwt_private.pem", roles=[role], org=org, sub=subject)
            cached = self.headers[(org, subject, role)] = {"Authorization": f"Bearer {token}"}
        return cached

    async def token_off_loop(self, role: Role, org: str, sub: str) -> dict[str, str]:
        """`token` in a thread: recording a membership is synchronous database writes,
        which on the event loop held up every other volunteer's requests (and made the
        bench itself fall behind its rate)."""
        return await asyncio.to_thread(self.token, role, org, sub)


async def until(check: Any, seconds: float = 60, interval: float = 0.05) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = await check()
        if result:
            return result
        await asyncio.sleep(interval)
    raise TimeoutError("condition not met")


async def set_up_organisation(platform: Platform, intake: Client, policy: Client) -> str:
    org = f"bench-{uuid.uuid4().hex[:6]}"
    admin = platform.token("admin", org)
    await policy.post(
        "/v1/orgs", json={"org_id": org, "name": "Bench"}, headers=platform.token("operator", None)
    )
    await policy.put(f"/v1/orgs/{org}/roles/leader", json=ROLE, headers=admin)
    await policy.post(f"/v1/orgs/{org}/codes", json={"text": CODE}, headers=admin)
    # Wait until intake's read model knows the role and the code: a signature for a fresh
    # volunteer is the cheapest probe of both.
    probe = await _apply(intake, org)

    async def intake_knows_code() -> bool:
        answer = await _sign(intake, org, probe, platform.token("volunteer", org, probe))
        return answer.status_code == 201

    await until(intake_knows_code)
    await announce_coordinator(platform, org)
    return org


async def announce_coordinator(platform: Platform, org: str) -> None:
    """The bench's coordinator as identity announces a member (MemberAdded), which the
    bench does not run: the token alone records the membership straight in the databases,
    where intake's check finds it only by reading (its copy follows the events). A real
    coordinator is announced; the volunteers, whom identity announces after they applied,
    are left to the check's database read (they sign at once, before any announcement
    could arrive), which the command count therefore includes."""
    coordinator = "bench-coordinator"
    platform.token("coordinator", org, coordinator)
    await produce(
        platform.bootstrap,
        [
            MemberAdded(
                org_id=org,
                member_id=member_id_for("coordinator", coordinator),
                sub=coordinator,
                roles=["coordinator"],
                added_at=datetime.now(UTC),
            )
        ],
    )
    # intake's copy fetches every half second (services/intake/bootstrap.py).
    await asyncio.sleep(2)


class Refused(Exception):
    """An admission step answered something else than 201 (a 409 after the retries, say)."""

    def __init__(self, step: str, answer: Answer) -> None:
        super().__init__(f"{step}: {answer.status_code}")
        self.step = step
        self.status = answer.status_code


async def _apply(intake: Client, org: str) -> str:
    """Apply (again while intake does not know the role yet); Refused after a minute."""
    last: list[Answer] = []

    async def accepted() -> str | None:
        answer = await intake.post(
            f"/v1/orgs/{org}/applications",
            json={"role_id": "leader", "name": "Anna", "email": "anna@example.org"},
        )
        last[:] = [answer]
        return str(answer.json()["volunteer_id"]) if answer.status_code == 202 else None

    try:
        result: str = await until(accepted)
    except TimeoutError:
        raise Refused("application", last[0]) from None
    return result


async def _sign(intake: Client, org: str, volunteer: str, headers: dict[str, str]) -> Answer:
    return await intake.post(
        f"/v1/orgs/{org}/volunteers/{volunteer}/signature",
        json={"version": 1, "sha256": CODE_SHA, "full_name": "Anna"},
        headers=headers,
    )


class LiveHints:
    """The coordinator's live stream (`GET /v1/orgs/{org}/changes`), read as the pipeline
    page reads it: a hint says *that* a volunteer's file changed, and only then is the
    admission read again. The bench used to poll every volunteer's admission every 10 ms
    while it waited: at 50 applications/s with a second of latency that was over a thousand
    reads a second, each a membership check and a read in the one database, several times
    intake's own load, so the bench measured mostly the queue its own polling made.

    Race-free: a waiter notes the volunteer's count of hints before it reads the admission,
    and waits only for a hint after that count."""

    def __init__(self, url: str, org: str, headers: dict[str, str]) -> None:
        self._url, self._org, self._headers = url, org, headers
        self._counts: dict[str, int] = {}
        self._waiters: dict[str, asyncio.Event] = {}
        self._task: asyncio.Task[None] | None = None
        self.ready = asyncio.Event()

    def count(self, volunteer: str) -> int:
        return self._counts.get(volunteer, 0)

    async def after(self, volunteer: str, seen: int, seconds: float) -> None:
        """Until a hint for the volunteer newer than `seen`, or `seconds` (then the caller
        reads anyway: a page asks again every so often too, should a hint be lost)."""
        if self.count(volunteer) > seen:
            return
        waiter = self._waiters.setdefault(volunteer, asyncio.Event())
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await waiter.wait()

    def _heard(self, volunteer: str) -> None:
        self._counts[volunteer] = self._counts.get(volunteer, 0) + 1
        waiter = self._waiters.pop(volunteer, None)
        if waiter is not None:
            waiter.set()

    def _resync(self) -> None:
        """Hints were dropped (or the stream reconnected): every waiter reads again."""
        for volunteer in list(self._counts) + list(self._waiters):
            self._heard(volunteer)

    async def _follow(self) -> None:
        path = f"/v1/orgs/{self._org}/changes"
        # A quiet stream sends a keep-alive every 15 s.
        timeout = httpx.Timeout(10, read=60)
        async with httpx.AsyncClient(base_url=self._url, timeout=timeout) as client:
            while True:
                try:
                    async with client.stream("GET", path, headers=self._headers) as answer:
                        event = ""
                        async for line in answer.aiter_lines():
                            if line.startswith("event: "):
                                event = line[len("event: ") :]
                            elif line.startswith("data: ") and event == "ready":
                                self.ready.set()
                                self._resync()
                            elif line.startswith("data: ") and event == "change":
                                hint = json.loads(line[len("data: ") :])
                                if hint.get("kind") == "volunteer":
                                    self._heard(hint["volunteer_id"])
                                elif hint.get("kind") == "resync":
                                    self._resync()
                except httpx.HTTPError:
                    pass
                await asyncio.sleep(0.2)

    async def __aenter__(self) -> LiveHints:
        self._task = asyncio.create_task(self._follow())
        async with asyncio.timeout(30):
            await self.ready.wait()
        return self

    async def __aexit__(self, *_exc: object) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task


# Without a hint, the admission is read again after this long (a lost hint costs this much
# latency, not the answer).
UNHINTED_READ_SECONDS = 1.0
# A decision not readable after this long is reported as missing (a lost event would
# otherwise hold the bench for good).
DECISION_SECONDS = 120.0


async def one_volunteer(
    platform: Platform, intake: Client, policy: Client, hints: LiveHints, org: str
) -> float:
    """Walk one volunteer through the chain; seconds from the last answer to `admitted`.
    Raises Refused when a step is not answered 201."""
    coordinator = platform.token("coordinator", org)
    volunteer = await _apply(intake, org)
    path = f"/v1/orgs/{org}/volunteers/{volunteer}"
    interview = await intake.post(
        f"{path}/interview", json={"outcome": "proceed"}, headers=coordinator
    )
    if interview.status_code != 201:
        raise Refused("interview", interview)
    signed = await _sign(
        intake, org, volunteer, await platform.token_off_loop("volunteer", org, volunteer)
    )
    if signed.status_code != 201:
        raise Refused("signature", signed)
    vog = {
        "issued_on": (today() - timedelta(days=20)).isoformat(),
        "screening_aspects": [84],
        "checked_by": "Coordinator",
    }
    handed_in = await intake.post(f"{path}/vog", json=vog, headers=coordinator)
    if handed_in.status_code != 201:
        raise Refused("vog", handed_in)
    last_answer = time.perf_counter()
    while True:
        seen = hints.count(volunteer)
        answer = await policy.get(f"{path}/admission", headers=coordinator)
        if answer.status_code == 200 and answer.json()["status"] == "admitted":
            return time.perf_counter() - last_answer
        if time.perf_counter() - last_answer > DECISION_SECONDS:
            # Counted as refused rather than waited for forever: the run ends and says so.
            raise Refused("decision", answer)
        await hints.after(volunteer, seen, UNHINTED_READ_SECONDS)


# Keep-alive connections to each service: a request waits for a free one, as a browser's
# would, so there are enough for the volunteers in flight at 50/s with seconds of latency.
CONNECTIONS = 256

# The load generator kept up when every volunteer started within this of its turn.
LATE_SECONDS = 0.1


async def measure_latency(
    platform: Platform, intake_url: str, policy_url: str, volunteers: int, rate: float
) -> tuple[list[float], float, dict[str, int], float]:
    """The latencies of the volunteers admitted, the rate offered, the refused steps by
    step and status, and how late (s) the latest volunteer started against its turn."""
    async with (
        Client(intake_url, connections=CONNECTIONS) as intake,
        Client(policy_url, connections=CONNECTIONS) as policy,
    ):
        org = await set_up_organisation(platform, intake, policy)
        # Every token minted (and its membership recorded) before the clock starts: that is
        # the bench's work, not the platform's, and would make it late on its own turns.
        coordinator = platform.token("coordinator", org)
        urls = {"intake": intake_url, "policy": policy_url}
        before = {name: await database_commands(url) for name, url in urls.items()}
        async with LiveHints(policy_url, org, coordinator) as hints:
            walked = await _walk(platform, intake, policy, hints, org, volunteers, rate)
        after = {name: await database_commands(url) for name, url in urls.items()}
        for name in urls:
            spent = difference(after[name], before[name])
            listed = ", ".join(
                f"{c} {n / volunteers:.1f}"
                for c, n in sorted(spent.items(), key=lambda i: -i[1])
                if n
            )
            print(f"  {name} at {rate:g}/s, database commands per volunteer: {listed}", flush=True)
        return walked


async def _walk(
    platform: Platform,
    intake: Client,
    policy: Client,
    hints: LiveHints,
    org: str,
    volunteers: int,
    rate: float,
) -> tuple[list[float], float, dict[str, int], float]:
    started = time.perf_counter()
    tasks = []
    late = 0.0
    for i in range(volunteers):
        # Open loop: the next application goes out on schedule, whatever the others do.
        turn = started + i / rate
        await asyncio.sleep(max(0.0, turn - time.perf_counter()))
        late = max(late, time.perf_counter() - turn)
        tasks.append(asyncio.create_task(one_volunteer(platform, intake, policy, hints, org)))
    # The rate at which applications went out; the chains may take longer to finish.
    offered = volunteers / max(time.perf_counter() - started, 1e-6) if volunteers > 1 else 0
    outcomes = await asyncio.gather(*tasks, return_exceptions=True)
    refused: dict[str, int] = {}
    for outcome in outcomes:
        if isinstance(outcome, Refused):
            key = f"{outcome.step} {outcome.status}"
            refused[key] = refused.get(key, 0) + 1
        elif isinstance(outcome, (OSError, asyncio.IncompleteReadError)):
            # A connection dropped (a keep-alive connection the server closed as the request
            # went out, on a loaded machine): no answer, counted, not the end of the run.
            key = f"no answer ({type(outcome).__name__})"
            refused[key] = refused.get(key, 0) + 1
        elif isinstance(outcome, BaseException):
            raise outcome
    latencies = [outcome for outcome in outcomes if isinstance(outcome, float)]
    return latencies, offered, refused, late


def backlog_events(org: str, volunteers: int) -> list[Event]:
    events: list[Event] = []
    now = datetime.now(UTC)
    issued = today() - timedelta(days=20)
    for _ in range(volunteers):
        volunteer = str(uuid.uuid4())
        events += [
            VolunteerApplied(
                org_id=org,
                volunteer_id=volunteer,
                application_id=str(uuid.uuid4()),
                role_id="leader",
                name="Anna",
                email="anna@example.org",
                applied_at=now,
            ),
            InterviewRecorded(
                org_id=org,
                volunteer_id=volunteer,
                outcome="proceed",
                recorded_by="bench",
                recorded_at=now,
            ),
            CodeSigned(
                org_id=org,
                volunteer_id=volunteer,
                version=1,
                sha256=CODE_SHA,
                signed_at=now,
                recorded_by=volunteer,
            ),
            VOGReceived(
                org_id=org,
                volunteer_id=volunteer,
                issued_on=issued,
                screening_aspects=[84],
                checked_by="bench",
                recorded_on=today(),
            ),
        ]
    return events


async def end_offsets(bootstrap: str) -> dict[TopicPartition, int]:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap)
    await consumer.start()
    try:
        partitions = [TopicPartition(TOPIC, p) for p in consumer.partitions_for_topic(TOPIC) or []]
        return dict(await consumer.end_offsets(partitions))
    finally:
        await consumer.stop()


async def produce(bootstrap: str, events: list[Event]) -> tuple[list[str], list[str]]:
    """Put `events` on their topic; returns their CloudEvents ids and the id of the last one
    on each partition (a partition is consumed in order: when those are done, all are)."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=5)
    await producer.start()
    ids, sent = [], []
    try:
        for event in events:
            record = encode(event, "/bench")
            ids.append(record.event_id)
            sent.append(
                await producer.send(
                    record.topic, record.value, key=record.key, headers=record.headers
                )
            )
        await producer.flush()
        last_per_partition = {}
        for event_id, delivery in zip(ids, sent, strict=True):
            last_per_partition[(await delivery).partition] = event_id
    finally:
        await producer.stop()
    return ids, list(last_per_partition.values())


async def inbox_rate(
    mongo_uri: str, database: str, consumer: str, event_ids: list[str], last_ids: list[str]
) -> float:
    """Events per second between the first and the last of `event_ids` in the inbox.

    The events recorded at the first time stamp are left out: the time they took is before
    it. (Counting them made a backlog that fit in one batch, all recorded at one time, a
    rate of hundreds of millions per second.)

    Waiting polls only the last event of each partition by the inbox's unique index: a
    broader query would scan the inbox and slow down the very thing measured.
    """
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongo_uri, tz_aware=True)
    try:
        inbox = client[database]["inbox"]

        async def all_there() -> bool:
            for event_id in last_ids:
                if await inbox.find_one({"consumer": consumer, "event_id": event_id}) is None:
                    return False
            return True

        await until(all_there, seconds=1200, interval=0.5)
        query = {"consumer": consumer, "event_id": {"$in": event_ids}}
        rows = await inbox.find(query, projection={"recorded_at": 1}).to_list()
        assert len(rows) == len(event_ids), f"{len(rows)} of {len(event_ids)} events consumed"
        return rate_of(consumer, [row["recorded_at"] for row in rows])
    finally:
        await client.close()


# Fewer batches than this and the rate is a guess: with two, it was the second batch's size
# over the moment between two commits (400 events gave "168,500 events/s").
MIN_BATCHES = 5


def rate_of(consumer: str, stamps: list[datetime]) -> float:
    """Events per second from the inbox's time stamps (one per batch), the first batch's
    left out: the time its events took is before its stamp. Not a number, and said so,
    from fewer than MIN_BATCHES batches."""
    stamps = sorted(stamps)
    batches = len(set(stamps))
    if batches < MIN_BATCHES:
        print(
            f"{consumer} took its {len(stamps)} events in {batches} batches, too few to time"
            f" (at least {MIN_BATCHES}): its rate is not a number; run with a larger --backlog."
        )
        return math.nan
    after_first = sum(stamp > stamps[0] for stamp in stamps)
    return after_first / (stamps[-1] - stamps[0]).total_seconds()


class Baseline:
    """No framework: aiokafka fetches, PyMongo writes, a decision written by hand; the
    admission file read and written per event."""

    database = "bench_baseline"
    consumer_name = "baseline"

    def __init__(self, mongo_uri: str, org: str, source_db: str) -> None:
        self.client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongo_uri, tz_aware=True)
        self.db = self.client[self.database]
        self.source = self.client[source_db]
        self.org = org

    async def prepare(self) -> None:
        for name in ("roles", "codes"):
            docs = await self.source[name].find({"org_id": self.org}).to_list()
            if docs:
                await self.db[name].insert_many(docs)
        # The same writes cost what their indexes cost: give the baseline policy's indexes
        # (the sweeps of the renewal and retention jobs need them) and the inbox's.
        for spec in (*PLUMBING_INDEXES, *POLICY_INDEXES):
            if spec.collection in ("admissions", "inbox"):
                await self.db[spec.collection].create_indexes([spec.model()])

    async def run(self, bootstrap: str, start: dict[TopicPartition, int], expected: int) -> None:
        consumer = AIOKafkaConsumer(
            bootstrap_servers=bootstrap,
            enable_auto_commit=False,
            group_id=f"bench-{self.consumer_name}",
        )
        await consumer.start()
        try:
            consumer.assign(list(start))
            for partition, offset in start.items():
                consumer.seek(partition, offset)
            done = 0
            while done < expected:
                batches = await consumer.getmany(timeout_ms=500, max_records=500)
                # The topic also carries what policy announced; like policy, skip those.
                records = [
                    r
                    for batch in batches.values()
                    for r in batch
                    if dict(r.headers)["ce_type"].decode() in HANDLED
                ]
                if records:
                    await self.apply(records)
                    done += len(records)
                await consumer.commit()
        finally:
            await consumer.stop()

    async def fresh(self, records: list[Any], session: Any) -> list[tuple[Any, str, Any]]:
        """(record, event id, data) of each record the inbox has not seen: the dedupe on
        ce_id that a consumer owes."""
        ids = [dict(r.headers)["ce_id"].decode() for r in records]
        seen = {
            doc["event_id"]
            async for doc in self.db["inbox"].find(
                {"consumer": self.consumer_name, "event_id": {"$in": ids}}, session=session
            )
        }
        return [
            (record, event_id, json.loads(record.value))
            for record, event_id in zip(records, ids, strict=True)
            if event_id not in seen
        ]

    async def store_rows(
        self, outbox: list[dict[str, Any]], inbox: list[dict[str, Any]], session: Any
    ) -> None:
        if outbox:
            await self.db["outbox"].insert_many(outbox, session=session)
        if inbox:
            await self.db["inbox"].insert_many(inbox, session=session)

    async def apply(self, records: list[Any]) -> None:
        async with self.client.start_session() as session, await session.start_transaction():
            outbox, inbox = [], []
            # Like ours: roles and the current code are read once per batch.
            batch_reads: dict[str, Any] = {}
            for record, event_id, data in await self.fresh(records, session):
                kind = dict(record.headers)["ce_type"].decode()
                announced = await self.handle(kind, data, session, batch_reads)
                outbox += outbox_rows(data["org_id"], record.key, announced)
                inbox.append(inbox_row(self.consumer_name, event_id, data["org_id"]))
            await self.store_rows(outbox, inbox, session)

    async def handle(
        self, kind: str, data: dict[str, Any], session: Any, batch_reads: dict[str, Any]
    ) -> list[dict[str, Any]]:
        org, volunteer = data["org_id"], data["volunteer_id"]
        admissions = self.db["admissions"]
        doc = await admissions.find_one({"org_id": org, "volunteer_id": volunteer}, session=session)
        role, code = await self.org_facts(org, kind, data, doc, session, batch_reads)
        doc, announced = decide_by_hand(kind, data, doc, role, code)
        if doc is None:
            return []
        await admissions.replace_one(
            {"org_id": org, "volunteer_id": volunteer}, doc, upsert=True, session=session
        )
        return announced

    async def org_facts(
        self,
        org: str,
        kind: str,
        data: dict[str, Any],
        doc: dict[str, Any] | None,
        session: Any,
        batch_reads: dict[str, Any],
    ) -> tuple[Any, Any]:
        """The role and the current code, read once per batch."""
        role_id = doc["role_id"] if doc else data.get("role_id")
        role_key, code_key = f"role:{org}:{role_id}", f"code:{org}"
        if role_key not in batch_reads:
            batch_reads[role_key] = await self.db["roles"].find_one(
                {"org_id": org, "role_id": role_id}, session=session
            )
        if code_key not in batch_reads:
            batch_reads[code_key] = await self.db["codes"].find_one(
                {"org_id": org}, sort=[("version", -1)], session=session
            )
        return batch_reads[role_key], batch_reads[code_key]

    async def close(self) -> None:
        await self.client.close()


def decide_by_hand(
    kind: str, data: dict[str, Any], doc: dict[str, Any] | None, role: Any, code: Any
) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """The baselines' decision: the file after the event (None if there is none) and what
    to announce."""
    org, volunteer = data["org_id"], data["volunteer_id"]
    if doc is None:
        if kind != VolunteerApplied.type_name:
            return None, []
        doc = {"org_id": org, "volunteer_id": volunteer, "role_id": data["role_id"]}
    else:
        doc = dict(doc)
    if kind == InterviewRecorded.type_name:
        doc["interview"] = data["outcome"]
    elif kind == CodeSigned.type_name:
        doc["signed"] = data["version"]
    elif kind == VOGReceived.type_name:
        doc["vog"] = {k: data[k] for k in ("issued_on", "screening_aspects", "checked_by")}
    missing = []
    if doc.get("interview") != "proceed":
        missing.append("interview")
    if code and doc.get("signed") != code["version"]:
        missing.append("code_signature")
    if role and role["vog_required"] and not doc.get("vog"):
        missing.append("vog")
    status = "rejected" if doc.get("interview") in ("reject", "doubt") else None
    status = status or ("pending" if missing else "admitted")
    before = (doc.get("status"), doc.get("missing"))
    doc.update(status=status, missing=missing)
    if before == (status, missing):
        return doc, []
    return doc, [{"volunteer_id": volunteer, "status": status, "missing": missing}]


class BatchNativeBaseline(Baseline):
    """The same decision, batch-native: one `$in` read of the batch's admission files, the
    events applied in order to them in memory, one `bulk_write`, one `insert_many` each for
    outbox and inbox, in one transaction."""

    database = "bench_batch_baseline"
    consumer_name = "batch-baseline"

    async def apply(self, records: list[Any]) -> None:
        async with self.client.start_session() as session, await session.start_transaction():
            fresh = await self.fresh(records, session)
            keys = sorted({(data["org_id"], data["volunteer_id"]) for _, _, data in fresh})
            files: dict[tuple[str, str], dict[str, Any] | None] = dict.fromkeys(keys)
            for org in {org for org, _ in keys}:
                volunteers = [volunteer for o, volunteer in keys if o == org]
                async for doc in self.db["admissions"].find(
                    {"org_id": org, "volunteer_id": {"$in": volunteers}}, session=session
                ):
                    files[(org, doc["volunteer_id"])] = doc
            batch_reads: dict[str, Any] = {}
            changed: set[tuple[str, str]] = set()
            outbox, inbox = [], []
            for record, event_id, data in fresh:
                kind = dict(record.headers)["ce_type"].decode()
                key = (data["org_id"], data["volunteer_id"])
                role, code = await self.org_facts(
                    key[0], kind, data, files[key], session, batch_reads
                )
                decided, announced = decide_by_hand(kind, data, files[key], role, code)
                if decided is not None:
                    files[key] = decided
                    changed.add(key)
                outbox += outbox_rows(data["org_id"], record.key, announced)
                inbox.append(inbox_row(self.consumer_name, event_id, data["org_id"]))
            writes = [
                ReplaceOne({"org_id": org, "volunteer_id": volunteer}, doc, upsert=True)
                for (org, volunteer), doc in files.items()
                if (org, volunteer) in changed and doc is not None
            ]
            if writes:
                await self.db["admissions"].bulk_write(writes, ordered=True, session=session)
            await self.store_rows(outbox, inbox, session)


COMMAND_SAMPLE = re.compile(r'^safehands_db_commands_total\{command="([^"]+)"\} ([0-9.e+]+)$')


async def database_commands(url: str) -> dict[str, int]:
    """A service's database commands so far, by name, from its metrics."""
    async with httpx.AsyncClient(base_url=url, timeout=10) as client:
        text = (await client.get("/metrics")).text
    counts = {}
    for line in text.splitlines():
        match = COMMAND_SAMPLE.match(line)
        if match:
            counts[match[1]] = int(float(match[2]))
    return counts


def difference(after: dict[str, int], before: dict[str, int]) -> dict[str, int]:
    return {name: count - before.get(name, 0) for name, count in after.items()}


async def count_commands(
    platform: Platform, urls: dict[str, str], volunteers: int, rate: float
) -> tuple[dict[str, dict[str, int]], float]:
    """Commands each service sent while `volunteers` went through the chain and policy's
    decisions were published; and the idle commands per second of all of them (outbox relay
    polls, leases, jobs), measured just before, which the total includes for its duration."""
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(platform.mongo_uri, tz_aware=True)
    try:
        async with (
            Client(urls["intake"], connections=CONNECTIONS) as intake,
            Client(urls["policy"], connections=CONNECTIONS) as policy,
        ):
            org = await set_up_organisation(platform, intake, policy)
            await asyncio.sleep(1)
            idle_from = {name: await database_commands(url) for name, url in urls.items()}
            await asyncio.sleep(2)
            before = {name: await database_commands(url) for name, url in urls.items()}
            idle = sum(sum(difference(before[name], idle_from[name]).values()) for name in urls) / 2
            started = time.perf_counter()
            tasks = []
            for i in range(volunteers):
                await asyncio.sleep(max(0.0, started + i / rate - time.perf_counter()))
                tasks.append(asyncio.create_task(walk_without_polling(platform, intake, org)))
            walked = await asyncio.gather(*tasks)
        admissions = client[f"{DATABASE}_policy"]["admissions"]

        async def all_admitted() -> bool:
            query = {"org_id": org, "volunteer_id": {"$in": walked}, "decision.status": "admitted"}
            return await admissions.count_documents(query) == len(walked)

        async def outboxes_empty() -> bool:
            for name in urls:
                if await client[f"{DATABASE}_{name}"]["outbox"].count_documents({}) > 0:
                    return False
            return True

        await until(all_admitted, seconds=300, interval=0.1)
        await until(outboxes_empty, seconds=60, interval=0.1)
        after = {name: await database_commands(url) for name, url in urls.items()}
    finally:
        await client.close()
    return {name: difference(after[name], before[name]) for name in urls}, idle


async def walk_without_polling(platform: Platform, intake: Client, org: str) -> str:
    """Application, interview, signature and VOG, as in `one_volunteer`, without the wait."""
    coordinator = platform.token("coordinator", org)
    volunteer = await _apply(intake, org)
    path = f"/v1/orgs/{org}/volunteers/{volunteer}"
    for answer in (
        await intake.post(f"{path}/interview", json={"outcome": "proceed"}, headers=coordinator),
        await _sign(
            intake, org, volunteer, await platform.token_off_loop("volunteer", org, volunteer)
        ),
        await intake.post(
            f"{path}/vog",
            json={
                "issued_on": (today() - timedelta(days=20)).isoformat(),
                "screening_aspects": [84],
                "checked_by": "Coordinator",
            },
            headers=coordinator,
        ),
    ):
        assert answer.status_code == 201, answer.text
    return volunteer


async def one_run(
    volunteers: int, rates: list[float], backlog: int, counted: int
) -> tuple[dict[str, float], dict[str, dict[str, int]], dict[str, str], Path]:
    """Every figure once, on a fresh platform: the figures, the commands by service and
    name, the load average after each measurement, and where the logs are."""
    root = Path(tempfile.mkdtemp(prefix="safehands-bench-"))
    platform = Platform(root)
    loads: dict[str, str] = {}
    figures: dict[str, float] = {}
    try:
        platform.start_infrastructure()
        intake_url = platform.start_service("intake")
        policy_url = platform.start_service("policy")

        for rate in rates:
            # Each rate with an organisation of its own, on the same platform, lowest first.
            latencies, offered, refused, late = await measure_latency(
                platform, intake_url, policy_url, volunteers, rate
            )
            if refused:
                print(f"  refused steps (volunteers not admitted): {refused}", flush=True)
            if late > LATE_SECONDS:
                print(
                    f"  the bench could not offer {rate:g}/s itself: a volunteer started"
                    f" {late * 1000:.0f} ms after its turn ({offered:.1f}/s offered)",
                    flush=True,
                )
            loads[f"latency {rate:g}"] = load_average()
            figures.update(latency_figures(rate, latencies, offered, refused, late))
        commands, idle = await count_commands(
            platform, {"intake": intake_url, "policy": policy_url}, counted, max(rates)
        )
        loads["commands"] = load_average()

        async with (
            Client(intake_url, connections=4) as intake,
            Client(policy_url, connections=4) as policy,
        ):
            org = await set_up_organisation(platform, intake, policy)
        platform.stop_service(policy_url)
        start = await end_offsets(platform.bootstrap)
        events = backlog_events(org, backlog)
        event_ids, last_ids = await produce(platform.bootstrap, events)
        platform.start_service("policy")
        ours = await inbox_rate(
            platform.mongo_uri, f"{DATABASE}_policy", "policy", event_ids, last_ids
        )
        loads["policy"] = load_average()

        drained = {}
        for kind in (Baseline, BatchNativeBaseline):
            baseline = kind(platform.mongo_uri, org, f"{DATABASE}_policy")
            try:
                await baseline.prepare()
                await baseline.run(platform.bootstrap, start, len(events))
                drained[kind] = await inbox_rate(
                    platform.mongo_uri, kind.database, kind.consumer_name, event_ids, last_ids
                )
            finally:
                await baseline.close()
            loads[kind.consumer_name] = load_average()
    finally:
        platform.stop()
    per_event, batch_native = drained[Baseline], drained[BatchNativeBaseline]
    figures |= {
        "policy": ours,
        "per_event": per_event,
        "batch_native": batch_native,
        "ratio_per_event": ours / per_event,
        "ratio_batch_native": ours / batch_native,
        "idle": idle,
        "commands": sum(sum(by_name.values()) for by_name in commands.values()) / counted,
        **{
            f"commands_{name}": sum(by_name.values()) / counted
            for name, by_name in commands.items()
        },
    }
    return figures, commands, loads, root


def latency_figures(
    rate: float, latencies: list[float], offered: float, refused: dict[str, int], late: float
) -> dict[str, float]:
    """One rate's figures, named by the rate (ms where a time)."""
    return {
        f"offered {rate:g}": offered,
        f"late {rate:g}": late * 1000,
        f"refused {rate:g}": float(sum(refused.values())),
        f"p50 {rate:g}": percentile(latencies, 0.5) * 1000 if latencies else float("nan"),
        f"p99 {rate:g}": percentile(latencies, 0.99) * 1000 if latencies else float("nan"),
        f"max {rate:g}": max(latencies) * 1000 if latencies else float("nan"),
    }


# The aim for the last answer → decision readable, at the 99th percentile.
AIM_P99_MS = 250


async def main(volunteers: int, rates: list[float], backlog: int, counted: int, runs: int) -> None:
    results = []
    rates = sorted(rates)
    for run in range(1, runs + 1):
        print(f"run {run} of {runs}", flush=True)
        results.append(await one_run(volunteers, rates, backlog, counted))

    def of(name: str) -> list[float]:
        return [figures[name] for figures, _, _, _ in results]

    def load(step: str) -> str:
        return loads_of([run_loads[step] for _, _, run_loads, _ in results])

    logs = ", ".join(str(root) for _, _, _, root in results)
    print(
        f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}; {runs} runs; logs in {logs}"
    )
    for rate in rates:
        print(
            f"latency: {volunteers} volunteers at "
            f"{statistics.median(of(f'offered {rate:g}')):.1f} applications/s offered "
            f"(4 requests each), last answer → decision readable:\n"
            f"  p50 {steady(of(f'p50 {rate:g}'), ' ms')}\n"
            f"  p99 {steady(of(f'p99 {rate:g}'), ' ms')}\n"
            f"  max {steady(of(f'max {rate:g}'), ' ms')} {load(f'latency {rate:g}')}\n"
            f"  volunteers refused a step (not admitted): {steady(of(f'refused {rate:g}'))}; "
            f"latest start after its turn {steady(of(f'late {rate:g}'), ' ms')}"
        )
        if max(of(f"late {rate:g}")) > LATE_SECONDS * 1000:
            print(
                f"  the bench could NOT offer {rate:g} applications/s in every run: a start"
                f" later than {LATE_SECONDS * 1000:.0f} ms after its turn (see above)"
            )
    met = [rate for rate in rates if statistics.median(of(f"p99 {rate:g}")) <= AIM_P99_MS]
    print(
        f"highest rate offered with a median p99 ≤ {AIM_P99_MS} ms: "
        + (f"{max(met):g} applications/s" if met else "none of the rates offered")
    )
    print(
        f"throughput through policy: {steady(of('policy'), ' events/s')} "
        f"({backlog * 4} events backlog) {load('policy')}"
    )
    print(
        f"baseline, per-event reads (aiokafka + PyMongo, no framework): "
        f"{steady(of('per_event'), ' events/s')} {load(Baseline.consumer_name)}"
    )
    print(
        f"baseline, batch-native (one $in read, one bulk_write, outbox and inbox insert_many"
        f" per batch): {steady(of('batch_native'), ' events/s')}"
        f" {load(BatchNativeBaseline.consumer_name)}"
    )
    print(f"ratio ours / per-event baseline: {steady(of('ratio_per_event'), digits=2)}")
    print(f"ratio ours / batch-native baseline: {steady(of('ratio_batch_native'), digits=2)}")
    services = list(results[0][1])
    parts = ", ".join(f"{name} {steady(of(f'commands_{name}'), digits=1)}" for name in services)
    print(
        f"database commands per admitted volunteer: {steady(of('commands'), digits=1)}\n"
        f"  {parts}\n  ({counted} volunteers per run; idle background "
        f"{statistics.median(of('idle')):.1f} commands/s included) {load('commands')}"
    )
    for name in services:
        names = sorted({c for _, commands, _, _ in results for c in commands[name]})
        median = {
            c: statistics.median(commands[name].get(c, 0) for _, commands, _, _ in results)
            for c in names
        }
        ranked = sorted(median.items(), key=lambda item: -item[1])
        listed = ", ".join(f"{c} {count / counted:.1f}" for c, count in ranked if count)
        print(f"  {name} (medians): {listed}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--volunteers", type=int, default=300, help="volunteers in the latency run, per rate"
    )
    parser.add_argument(
        "--rate",
        type=float,
        nargs="+",
        default=[50],
        help="applications per second offered; several rates are run one after another",
    )
    parser.add_argument("--backlog", type=int, default=1000, help="volunteers in the backlog")
    parser.add_argument(
        "--counted", type=int, default=50, help="volunteers whose database commands are counted"
    )
    parser.add_argument("--runs", type=int, default=3, help="runs of every figure")
    arguments = parser.parse_args()
    asyncio.run(
        main(
            arguments.volunteers,
            arguments.rate,
            arguments.backlog,
            arguments.counted,
            arguments.runs,
        )
    )
