"""The audit head out of the request path (issue 27): a unit of work writes its entry
unchained with its change; one chainer per service links the entries into the chain.

Against the real database: concurrent audited changes of one organisation no longer lose
write conflicts on its head; two chainers (two instances, a lease that changed hands) chain
each entry exactly once; a crash between commit and chaining, or in the middle of chaining,
loses no entry and chains none twice.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import textwrap
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from pymongo import monitoring

from shared import audit
from shared.audit.chain import SYSTEM, first_break
from shared.audit.chainer import AuditChainer, chain_pending
from shared.audit.log import (
    AUDIT_HEADS,
    AUDIT_INDEXES,
    AUDIT_LOG,
    AUDIT_PENDING,
    anchor_of,
)
from shared.cancellation import cancel_and_wait
from shared.storage.database import Database
from shared.storage.unit_of_work import UnitOfWork
from tests.support.platform import Infrastructure

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
async def db(infra: Infrastructure) -> AsyncIterator[Database]:
    async with infra.scratch_database("audit", AUDIT_INDEXES) as database:
        # Created beforehand, as a service's collections are: a transaction that creates a
        # collection conflicts with every other doing so.
        await database.db.create_collection("changes_made")
        yield database


async def append(db: Database, org: str, n: int, attempts: list[int] | None = None) -> None:
    """One audited change of `org`, as a use case makes it (its own write, then the entry)."""
    tries = 0

    async def work(uow: UnitOfWork) -> None:
        nonlocal tries
        tries += 1
        await uow.collection("changes_made").insert_one({"n": n})
        await asyncio.sleep(0.01)  # the change itself takes a moment
        await audit.record(uow, "settings.changed", "organisation", f"change-{n}", actor=SYSTEM)

    await db.transact(org, work)
    if attempts is not None:
        attempts.append(tries)


async def assert_whole(db: Database, org: str, count: int) -> None:
    """`org`'s chain holds exactly `count` entries, seq 1..count, one per change, whole up
    to its head; nothing waits any more."""
    entries = await db.tenant_collection(org, AUDIT_LOG).find(
        {}, sort=[("seq", 1)], projection={"_id": 0}
    )
    head = await db.tenant_collection(org, AUDIT_HEADS).find_one({})
    assert head is not None
    assert [e["seq"] for e in entries] == list(range(1, count + 1))
    assert sorted(e["object"]["id"] for e in entries) == sorted(f"change-{n}" for n in range(count))
    assert first_break(entries, anchor_of(head), (int(head["seq"]), str(head["hash"]))) is None
    assert await db.tenant_collection(org, AUDIT_PENDING).find({}) == []


async def test_concurrent_audited_changes_of_one_organisation_do_not_conflict(
    db: Database,
) -> None:
    """Ten audited changes of one organisation at once: each runs once (no write conflict,
    no abort: they share no document any more), and the chainer then links all ten."""
    attempts: list[int] = []
    aborts_before = db.commands.by_name.get("abortTransaction", 0)
    await asyncio.gather(*(append(db, "org-a", n, attempts) for n in range(10)))
    assert attempts == [1] * 10
    assert db.commands.by_name.get("abortTransaction", 0) == aborts_before
    # Nothing is chained in the request's transaction: the entries wait for the chainer.
    assert await db.tenant_collection("org-a", AUDIT_LOG).find({}) == []
    assert len(await db.tenant_collection("org-a", AUDIT_PENDING).find({})) == 10
    # One round chains them: the pending read, the heads' read, one bulkWrite, the commit.
    before = dict(db.commands.by_name)
    assert await chain_pending(db) == 10
    spent = {k: v - before.get(k, 0) for k, v in db.commands.by_name.items()}
    assert {k: v for k, v in spent.items() if v} == {
        "find": 2,
        "bulkWrite": 1,
        "commitTransaction": 1,
    }
    await assert_whole(db, "org-a", 10)


async def test_two_instances_chain_each_entry_exactly_once(infra: Infrastructure) -> None:
    """Two instances of a service on one database: both write entries of two organisations
    at once; both run a chainer (the lease's holder) and, beside them, rounds without the
    lease (as after a lease that changed hands mid-round). Every entry is chained once, in
    a whole chain per organisation."""
    async with infra.scratch_database("audit2", AUDIT_INDEXES) as first:
        await first.db.create_collection("changes_made")
        second = Database(infra.mongo_uri, first.db.name, "/tests")
        chainers = [
            AuditChainer(first, "instance-1", poll_seconds=0.05, lease_seconds=2),
            AuditChainer(second, "instance-2", poll_seconds=0.05, lease_seconds=2),
        ]
        running = [asyncio.create_task(chainer.run()) for chainer in chainers]
        stop = asyncio.Event()

        async def unleased_rounds(db: Database) -> None:
            while not stop.is_set():
                await chain_pending(db, limit=7)
                await asyncio.sleep(0.005)

        rogue = [asyncio.create_task(unleased_rounds(db)) for db in (first, second)]
        try:
            # org-a's changes through both instances in turn, org-b's through the second.
            writes = [append(first if n % 2 else second, "org-a", n) for n in range(30)]
            writes += [append(second, "org-b", n) for n in range(30)]
            await asyncio.gather(*writes)
            for _ in range(200):
                if not await first.platform_collection(AUDIT_PENDING).find_one({}):
                    break
                await asyncio.sleep(0.05)
        finally:
            stop.set()
            # Each chainer ends at its one cancellation (the test below); bounded all the
            # same, so that one that did not fails here instead of hanging the run.
            left = await cancel_and_wait([*running, *rogue], within=30)
            for chainer in chainers:
                await chainer.release()
        assert not left, f"tasks still running after their cancellation: {left}"
        await assert_whole(first, "org-a", 30)
        await assert_whole(first, "org-b", 30)
        await second.close()


async def test_a_chainer_cancelled_as_a_command_goes_out_ends(db: Database) -> None:
    """Stopping a chainer is cancelling its task, once. It ends even when the cancellation
    comes in the moment after PyMongo sent a command, which Python 3.11's asyncio.wait_for
    (around each of PyMongo's sends) loses: the command then runs to its answer, and a
    chainer that did not look again ran on for ever. The two-instance test above hung so
    in CI, waiting for its chainers (4 runs in 60 on a loaded machine, before the fix)."""
    chainer = AuditChainer(db, "stopped", poll_seconds=0.05)
    running = asyncio.create_task(chainer.run())
    loop = asyncio.get_running_loop()
    counted = db.commands.started
    sent: list[str] = []

    def cancel_as_it_goes_out(event: monitoring.CommandStartedEvent) -> None:
        counted(event)
        if asyncio.current_task() is running and event.command.get("find") == AUDIT_PENDING:
            if not sent:
                # Called just before the send, in the chainer's task: the cancellation
                # comes next, while the send completes.
                loop.call_soon(running.cancel)
            sent.append(event.command_name)

    db.commands.started = cancel_as_it_goes_out  # type: ignore[method-assign]
    try:
        done, _ = await asyncio.wait({running}, timeout=5)
        assert sent, "the chainer sent no command"
        assert running in done, "the chainer runs on after its cancellation"
        assert running.cancelled()
        assert len(sent) == 1  # no round after the cancellation
    finally:
        await cancel_and_wait([running])
        await chainer.release()
        db.commands.started = counted  # type: ignore[method-assign]


async def test_entries_committed_before_a_crash_are_chained_by_the_next_instance(
    db: Database,
) -> None:
    """The instance that committed the changes died before chaining them: their entries
    wait, and the next chainer (another instance, or this one restarted) chains them."""
    for n in range(5):
        await append(db, "org-a", n)
    assert await db.tenant_collection("org-a", AUDIT_LOG).find({}) == []
    restarted = AuditChainer(db, "restarted", poll_seconds=0.05)
    running = asyncio.create_task(restarted.run())
    try:
        for _ in range(100):
            if not await db.platform_collection(AUDIT_PENDING).find_one({}):
                break
            await asyncio.sleep(0.05)
    finally:
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)
        await restarted.release()
    await assert_whole(db, "org-a", 5)


CHAIN_AND_DIE = textwrap.dedent(
    """
    import asyncio, sys
    from shared.audit.chainer import chain_pending
    from shared.storage.database import Database

    async def main() -> None:
        await chain_pending(Database(sys.argv[1], sys.argv[2], "/tests"))

    asyncio.run(main())
    """
)


async def test_a_chainer_killed_before_its_commit_chains_nothing_and_loses_nothing(
    infra: Infrastructure, db: Database
) -> None:
    """A chainer process killed after its bulkWrite, before the commit (a failpoint): the
    transaction never commits, so nothing is chained and every entry still waits; the next
    round chains each once."""
    for n in range(4):
        await append(db, "org-a", n)
    await chain_pending(db)  # a chain that already has a head
    for n in range(4, 9):
        await append(db, "org-a", n)
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "SAFEHANDS_TEST_FAILPOINTS": "audit.before_chain_commit",
    }
    died = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-c", CHAIN_AND_DIE, infra.mongo_uri, db.db.name],
        env=env,
        cwd=ROOT,
        capture_output=True,
        timeout=60,
    )
    assert died.returncode == -9, died.stderr.decode()
    assert len(await db.tenant_collection("org-a", AUDIT_LOG).find({})) == 4
    assert len(await db.tenant_collection("org-a", AUDIT_PENDING).find({})) == 5
    # The dead process's transaction may hold its rows until the server drops it: the
    # rounds after it lose write conflicts until then, and are run again.
    for _ in range(120):
        try:
            if await chain_pending(db) == 0:
                break
        except Exception:  # noqa: S110 - a conflict with the dead transaction; next round
            pass
        await asyncio.sleep(0.5)
    await assert_whole(db, "org-a", 9)
