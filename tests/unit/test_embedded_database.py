"""How the embedded database keeps house (cli/embedded_database.py).

- Its retryable-write records: the same records kept and dropped as the server's own
  registry, on a clock, and each prune looking only at the records that go (plus one), not
  at all of them on every write.
- Its reaper of idle transactions: another session's statement does not wait for a long
  statement in a transaction; an idle transaction is still reaped.
- Its index catalogue in memory: on the real storage engine, each step beside the server's
  own storage doing the same; an index flagged multikey, made in a transaction, made after
  a transaction's snapshot, changed or dropped is seen as the server's own storage sees it,
  and the catalogue's table is read once while nothing changes it.
- No oplog: none written for an insert, an update or a delete.
- Its `$in` of ids: the same answer as the server's own comparison on random values, no
  element-by-element comparison for a batch of ids, and the same rows deleted."""

from __future__ import annotations

import random
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import wiredtiger
from bson import Code, Int64, ObjectId, Regex
from secantus import cli as secantus_cli
from secantus import query as secantus_query
from secantus import server as secantus_server
from secantus import transactions as secantus_transactions
from secantus.query import MISSING, matches
from secantus.storage import Storage
from secantus.transactions import TransactionRegistry, TxnState

from cli import embedded_database, embedded_packing
from cli.embedded_database import (
    CatalogueInMemory,
    ReaperPassesBusyTransactions,
    RetryableRecordsInOrder,
)

LIFETIME = secantus_transactions._RETRYABLE_RECORD_LIFETIME_SECONDS
REPLY = {"ok": 1.0, "n": 1}


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


class CountingRecords(dict[Any, Any]):
    """The records, counting each one a prune's walk looks at."""

    looked_at = 0

    def __iter__(self) -> Any:
        for key in super().__iter__():
            self.looked_at += 1
            yield key

    def items(self) -> Any:
        return [(key, self[key]) for key in self]


def registry(kind: type[TransactionRegistry], clock: Clock) -> TransactionRegistry:
    return kind(time_func=clock)


def record(registry: TransactionRegistry, session: int, number: int) -> None:
    registry.record_retryable(bytes([session]), number, b"identity", dict(REPLY))


def kept(registry: TransactionRegistry) -> set[tuple[bytes, int]]:
    return set(registry._retryable)


def test_a_record_is_replayed_within_its_lifetime_and_not_after() -> None:
    clock = Clock()
    records = registry(RetryableRecordsInOrder, clock)
    record(records, 1, 1)
    clock.now += LIFETIME - 1
    assert records.retryable_reply(b"\x01", 1, b"identity") == REPLY
    clock.now += 2
    assert records.retryable_reply(b"\x01", 1, b"identity") is None
    assert kept(records) == set()


def test_a_record_stored_again_lives_from_its_new_time() -> None:
    clock = Clock()
    records = registry(RetryableRecordsInOrder, clock)
    record(records, 1, 1)
    clock.now += 10
    record(records, 2, 1)
    clock.now += LIFETIME - 20
    record(records, 1, 1)
    clock.now += 25
    record(records, 3, 1)
    # Session 2's record expired; session 1's, stored again later, did not, although it
    # was stored first.
    assert kept(records) == {(b"\x01", 1), (b"\x03", 1)}


def test_the_cap_drops_the_oldest(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(secantus_transactions, "_RETRYABLE_RECORD_MAX", 3)
    clock = Clock()
    records = registry(RetryableRecordsInOrder, clock)
    for number in range(5):
        clock.now += 1
        record(records, 1, number)
    assert kept(records) == {(b"\x01", 2), (b"\x01", 3), (b"\x01", 4)}


def test_the_same_records_are_kept_as_by_the_servers_own_registry(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(secantus_transactions, "_RETRYABLE_RECORD_MAX", 50)
    chance = random.Random(27)
    clock = Clock()
    ours, theirs = registry(RetryableRecordsInOrder, clock), registry(TransactionRegistry, clock)
    for _ in range(3_000):
        clock.now += chance.choice([0.5, 1.0, 30.0, 120.0, LIFETIME / 4])
        session, number = chance.randrange(8), chance.randrange(40)
        if chance.random() < 0.7:
            record(ours, session, number)
            record(theirs, session, number)
        else:
            key = (bytes([session]), number)
            assert ours.retryable_reply(*key, b"identity") == theirs.retryable_reply(
                *key, b"identity"
            )
        assert kept(ours) == kept(theirs)


def test_a_prune_looks_at_the_records_that_go_and_one_more() -> None:
    """The server's registry looked at every record on every retryable write: 2,000
    records, 2,000 looks a write."""
    clock = Clock()
    records = registry(RetryableRecordsInOrder, clock)
    counted = CountingRecords()
    records._retryable = counted
    for number in range(2_000):
        clock.now += 0.1
        record(records, 1, number)
    counted.looked_at = 0
    for number in range(2_000, 2_100):
        clock.now += 0.1
        record(records, 1, number)
    assert len(counted) == 2_100
    assert counted.looked_at <= 2 * 100
    clock.now += LIFETIME - 100
    cutoff = clock.now - LIFETIME
    expired = sum(1 for _reply, stored_at, _identity in counted.values() if stored_at < cutoff)
    assert 500 < expired < 2_000
    counted.looked_at = 0
    record(records, 2, 1)
    # Each expired record looked at once, and the first that stays.
    assert counted.looked_at <= expired + 1 + 2
    assert len(counted) == 2_100 - expired + 1


def test_the_launcher_starts_the_server_with_these_records(monkeypatch: pytest.MonkeyPatch) -> None:
    # Put back at the end of the test whatever main() replaces.
    monkeypatch.setattr(secantus_server, "TransactionRegistry", TransactionRegistry)
    monkeypatch.setattr(secantus_server, "Storage", Storage)
    monkeypatch.setattr(secantus_cli, "SecantusDBServer", secantus_cli.SecantusDBServer)
    monkeypatch.setattr(secantus_cli, "main", lambda: 0)
    monkeypatch.setattr(secantus_query, "_op_matches", secantus_query._op_matches)
    cursors_module = sys.modules[wiredtiger.Cursor.__module__]
    monkeypatch.setattr(cursors_module, "pack", cursors_module.pack)
    assert not embedded_packing.installed()
    assert embedded_database.main() == 0
    assert embedded_packing.installed()
    assert secantus_query._op_matches is embedded_database.op_matches_with_in_by_set
    assert secantus_server.TransactionRegistry is ReaperPassesBusyTransactions
    assert secantus_server.Storage is CatalogueInMemory
    assert issubclass(secantus_cli.SecantusDBServer, secantus_server.SecantusDBServer)


def test_a_long_statement_in_a_transaction_does_not_hold_up_other_sessions() -> None:
    """A statement runs holding its transaction's lock; the reaper, which looks at every
    transaction before each statement, passes over it instead of waiting for it (under the
    registry's lock, which every other session's statement then waited for too)."""
    transactions = ReaperPassesBusyTransactions()
    busy, _ = transactions.for_statement(b"busy", None, 1, start=True)
    assert busy is not None
    statement_runs, statement_may_end = threading.Event(), threading.Event()

    def long_statement() -> None:
        with busy.mutex:
            statement_runs.set()
            statement_may_end.wait(10)

    runner = threading.Thread(target=long_statement)
    runner.start()
    try:
        statement_runs.wait(5)
        started = time.monotonic()
        other, error = transactions.for_statement(b"other", None, 1, start=True)
        assert other is not None and error is None
        assert transactions.commit(b"other", 1) is None
        assert time.monotonic() - started < 1
    finally:
        statement_may_end.set()
        runner.join()


def test_an_idle_transaction_is_still_reaped() -> None:
    clock = Clock()
    transactions = ReaperPassesBusyTransactions(time_func=clock, lifetime_seconds=60)
    idle, _ = transactions.for_statement(b"idle", None, 1, start=True)
    assert idle is not None
    clock.now += 61
    transactions.for_statement(b"other", None, 1, start=True)
    assert idle.state is TxnState.ABORTED


def ids(found: list[dict[str, Any]]) -> set[Any]:
    return {doc["_id"] for doc in found}


def names(storage: Storage) -> list[tuple[str, bool]]:
    return [
        (entry["name"], bool(entry.get("multikey"))) for entry in storage.list_indexes("d", "c")
    ]


@pytest.fixture
def storages(tmp_path: Path) -> Iterator[tuple[Storage, Storage]]:
    ours, theirs = CatalogueInMemory(str(tmp_path / "ours")), Storage(str(tmp_path / "theirs"))
    yield ours, theirs
    ours.close()
    theirs.close()


def both(storages: tuple[Storage, Storage], step: Callable[[Storage], Any]) -> Any:
    ours, theirs = (step(storage) for storage in storages)
    assert ours == theirs
    return ours


def test_an_array_in_an_indexed_field_is_found_after_the_catalogue_was_kept(
    storages: tuple[Storage, Storage],
) -> None:
    both(storages, lambda s: s.create_index("d", "c", "tags_1", {"tags": 1}))
    both(storages, lambda s: s.insert("d", "c", [{"_id": 1, "tags": "a"}]))
    assert both(storages, lambda s: ids(s.find_matching("d", "c", {"tags": "a"}))) == {1}
    both(storages, lambda s: s.insert("d", "c", [{"_id": 2, "tags": ["a", "b"]}]))
    # Kept as not multikey, the index would be used for the element's match and miss 2.
    assert both(storages, lambda s: ids(s.find_matching("d", "c", {"tags": "a"}))) == {1, 2}
    assert both(storages, names) == [("_id_", False), ("tags_1", True)]


def test_a_transaction_that_flags_multikey_and_aborts_leaves_the_flag_to_the_next_write(
    tmp_path: Path, storages: tuple[Storage, Storage]
) -> None:
    both(storages, lambda s: s.create_index("d", "c", "tags_1", {"tags": 1}))
    both(storages, lambda s: s.insert("d", "c", [{"_id": 1, "tags": "a"}]))

    def aborted(storage: Storage) -> None:
        handle = storage.begin_user_transaction()
        with storage.use_user_transaction(handle):
            storage.insert("d", "c", [{"_id": 2, "tags": ["a", "b"]}])
            assert ids(storage.find_matching("d", "c", {"tags": "a"})) == {1, 2}
        # Read outside while it is open: the flag is not committed yet.
        assert ids(storage.find_matching("d", "c", {"tags": "a"})) == {1}
        storage.abort_user_transaction(handle)

    both(storages, aborted)
    assert both(storages, names) == [("_id_", False), ("tags_1", False)]
    both(storages, lambda s: s.insert("d", "c", [{"_id": 3, "tags": ["a", "c"]}]))
    assert both(storages, lambda s: ids(s.find_matching("d", "c", {"tags": "a"}))) == {1, 3}
    # The flag is in the table itself, where the next start reads it.
    ours, _theirs = storages
    ours.close()
    reopened = Storage(str(tmp_path / "ours"))
    try:
        assert names(reopened) == [("_id_", False), ("tags_1", True)]
    finally:
        reopened.close()


def test_an_index_made_in_a_transaction_is_its_own_until_it_commits(
    storages: tuple[Storage, Storage],
) -> None:
    both(storages, lambda s: s.insert("d", "c", [{"_id": 1, "n": 1}]))
    assert both(storages, names) == [("_id_", False)]

    def made(storage: Storage) -> tuple[list[Any], list[Any], list[Any]]:
        handle = storage.begin_user_transaction()
        with storage.use_user_transaction(handle):
            storage.create_index("d", "c", "n_1", {"n": 1})
            inside = names(storage)
        outside = names(storage)
        storage.commit_user_transaction(handle)
        return inside, outside, names(storage)

    inside, outside, after = both(storages, made)
    assert (inside, outside, after) == (
        [("_id_", False), ("n_1", False)],
        [("_id_", False)],
        [("_id_", False), ("n_1", False)],
    )


def test_a_transaction_older_than_an_index_does_not_hide_it_from_others(
    storages: tuple[Storage, Storage],
) -> None:
    both(storages, lambda s: s.insert("d", "c", [{"_id": 1, "n": 1}]))

    def older(storage: Storage) -> list[tuple[str, bool]]:
        handle = storage.begin_user_transaction()
        with storage.use_user_transaction(handle):
            storage.find_matching("d", "c", {})  # its snapshot: before the index
        storage.create_index("d", "c", "n_1", {"n": 1})
        with storage.use_user_transaction(handle):
            storage.find_matching("d", "c", {"n": 1})
        outside = names(storage)
        storage.abort_user_transaction(handle)
        return outside

    assert both(storages, older) == [("_id_", False), ("n_1", False)]


def test_indexes_made_changed_and_dropped_are_seen_at_once(
    storages: tuple[Storage, Storage],
) -> None:
    both(storages, lambda s: s.insert("d", "c", [{"_id": n, "n": n} for n in range(5)]))
    for step in (
        lambda s: s.create_index("d", "c", "n_1", {"n": 1}),
        lambda s: s.set_index_expiry("d", "c", "n_1", 60),
        lambda s: s.create_index("d", "c", "big", {"n": 1, "_id": 1}, {"unique": True}),
        lambda s: s.drop_index("d", "c", "n_1"),
        lambda s: s.rename_collection("d", "c", "d", "e"),
        lambda s: s.rename_collection("d", "e", "d", "c"),
        lambda s: s.drop_all_indexes("d", "c"),
        lambda s: s.create_index("d", "c", "n_1", {"n": -1}),
        lambda s: s.drop_collection("d", "c"),
        lambda s: s.insert("d", "c", [{"_id": 9, "n": 9}]),
    ):
        both(storages, step)
        both(storages, lambda s: s.list_indexes("d", "c"))
        both(storages, lambda s: s.find_matching("d", "c", {"n": {"$gte": 2}}))


class TableReads:
    """How often the server's own storage read a catalogue table (a method of `Storage`)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, method: str) -> None:
        self.count = 0
        read_table = getattr(Storage, method)

        def counted(storage: Storage, *where: str) -> Any:
            self.count += 1
            return read_table(storage, *where)

        monkeypatch.setattr(Storage, method, counted)


def test_the_catalogue_is_read_from_its_table_once_while_nothing_changes_it(
    storages: tuple[Storage, Storage], monkeypatch: pytest.MonkeyPatch
) -> None:
    ours, _theirs = storages
    ours.create_index("d", "c", "n_1", {"n": 1})
    ours.create_index("d", "c", "m_1", {"m": 1}, {"partialFilterExpression": {"m": {"$gt": 0}}})
    reads = TableReads(monkeypatch, "_iter_indexes")
    # The first array flags an index multikey inside its write: read again after it.
    ours.insert("d", "c", [{"_id": "array", "n": [100, 101]}])
    for n in range(50):
        ours.insert("d", "c", [{"_id": n, "n": n, "m": n}])
        assert ids(ours.find_matching("d", "c", {"n": n})) == {n}
        ours.update_matching("d", "c", {"_id": n}, {"$set": {"m": n + 1}})
    assert reads.count <= 3


def options(storage: Storage, coll: str = "c") -> dict[str, Any] | None:
    """A collection's options as the storage answers them (None: no such collection), its
    uuid left out: each storage draws its own."""
    if not storage.collection_exists("d", coll):
        return None
    return {k: v for k, v in storage.get_collection_options("d", coll).items() if k != "uuid"}


def test_collections_made_changed_and_dropped_are_seen_at_once(
    storages: tuple[Storage, Storage],
) -> None:
    validator = {"validator": {"n": {"$type": "int"}}}
    for step in (
        lambda s: s.insert("d", "c", [{"_id": 1, "n": 1}]),  # made by its first write
        lambda s: s.set_collection_options("d", "c", **validator),
        lambda s: s.insert("d", "c", [{"_id": 2, "n": 2}]),
        lambda s: s.rename_collection("d", "c", "d", "e"),
        lambda s: s.create_collection("d", "c", {"capped": True, "size": 4096, "max": 2}),
        lambda s: s.insert("d", "c", [{"_id": n, "n": n} for n in range(5)]),
        lambda s: s.drop_collection("d", "c"),
        lambda s: s.drop_database("d"),
        lambda s: s.insert("d", "c", [{"_id": 9, "n": 9}]),
    ):
        both(storages, step)
        for coll in ("c", "e"):
            both(storages, lambda s, coll=coll: options(s, coll))
            both(storages, lambda s, coll=coll: ids(s.find_matching("d", coll, {})))
        both(storages, lambda s: sorted(s.list_collections("d")))


def test_a_collection_a_transaction_makes_is_there_only_if_it_commits(
    storages: tuple[Storage, Storage],
) -> None:
    both(storages, lambda s: s.insert("d", "other", [{"_id": 1}]))

    def made(storage: Storage, commit: bool) -> tuple[Any, Any, Any]:
        handle = storage.begin_user_transaction()
        with storage.use_user_transaction(handle):
            storage.insert("d", "c", [{"_id": 1}])
            inside = options(storage)
        outside = options(storage)
        if commit:
            storage.commit_user_transaction(handle)
        else:
            storage.abort_user_transaction(handle)
        return inside, outside, options(storage)

    assert both(storages, lambda s: made(s, commit=False)) == ({}, None, None)
    both(storages, lambda s: s.insert("d", "c", [{"_id": 2}]))  # made again, outside
    both(storages, lambda s: s.drop_collection("d", "c"))
    assert both(storages, lambda s: made(s, commit=True)) == ({}, None, {})
    assert both(storages, lambda s: ids(s.find_matching("d", "c", {}))) == {1}


def test_the_options_are_read_from_their_table_once_while_nothing_changes_them(
    storages: tuple[Storage, Storage], monkeypatch: pytest.MonkeyPatch
) -> None:
    ours, _theirs = storages
    ours.create_index("d", "c", "n_1", {"n": 1})
    ours.insert("d", "c", [{"_id": "first", "n": -1}])
    reads = TableReads(monkeypatch, "_coll_options")
    for n in range(50):
        ours.insert("d", "c", [{"_id": n, "n": n}])
        assert ids(ours.find_matching("d", "c", {"n": n})) == {n}
        ours.update_matching("d", "c", {"_id": n}, {"$set": {"m": n}})
    assert reads.count <= 3


def test_the_profiling_settings_are_read_once_and_a_change_is_seen_at_once(
    storages: tuple[Storage, Storage], monkeypatch: pytest.MonkeyPatch
) -> None:
    ours, _theirs = storages
    reads = TableReads(monkeypatch, "get_profile")
    for _ in range(20):
        both(storages, lambda s: s.get_profile("d"))
    assert reads.count == 1 + 20  # ours once, the server's own each time
    both(storages, lambda s: s.set_profile("d", level=1, slowms=5, sample_rate=0.5))
    changed = both(storages, lambda s: s.get_profile("d"))
    assert changed == {"level": 1, "slowms": 5, "sampleRate": 0.5}
    # What a caller does with its answer does not change what is kept.
    ours.get_profile("d")["level"] = 2
    both(storages, lambda s: s.get_profile("d"))
    both(storages, lambda s: s.get_profile("other"))


SERVER_OP_MATCHES = embedded_database._server_op_matches


def a_value(rng: random.Random, ids: list[Any]) -> Any:
    """A field's value: often one of the ids, or a near miss, or another BSON type."""
    kind = rng.randrange(9)
    if kind < 3:
        return rng.choice(ids)
    if kind == 3:
        return str(ObjectId())
    if kind == 4:
        return ObjectId()
    if kind == 5:
        return rng.choice([None, 1, 1.0, Int64(1), True, Code("a"), b"a"])
    if kind == 6:
        return [rng.choice(ids), "other"]
    if kind == 7:
        return {"_id": rng.choice(ids)}
    return rng.choice([*ids, "a", "1"])


def test_a_set_of_ids_matches_as_the_servers_own_comparison() -> None:
    rng = random.Random(27)
    for _ in range(3_000):
        ids: list[Any] = [
            rng.choice([str(ObjectId()), ObjectId(), rng.choice("abc1")])
            for _ in range(rng.randrange(1, 20))
        ]
        if rng.random() < 0.2:
            ids.append(rng.choice([1, None, Code("a"), ["a"], Regex("^a")]))
        values = [a_value(rng, ids) for _ in range(rng.randrange(0, 3))]
        if rng.random() < 0.2:
            values.append(MISSING)
        for op in ("$in", "$nin", "$eq"):
            arg = ids if op != "$eq" else ids[0]
            ours = embedded_database.op_matches_with_in_by_set(values, op, arg)
            assert ours == SERVER_OP_MATCHES(values, op, arg), (values, op, arg)


def test_a_batch_of_ids_is_not_compared_with_each_document(monkeypatch: pytest.MonkeyPatch) -> None:
    """The set is made once for the command's list, and each document is one look-up in it:
    no element-by-element comparison (the server's, quadratic in the batch)."""
    compared = 0
    server_compares = secantus_query._in_candidate_matches

    def counting(*args: Any, **kwargs: Any) -> bool:
        nonlocal compared
        compared += 1
        return bool(server_compares(*args, **kwargs))

    monkeypatch.setattr(secantus_query, "_in_candidate_matches", counting)
    monkeypatch.setattr(secantus_query, "_op_matches", embedded_database.op_matches_with_in_by_set)
    batch = [ObjectId() for _ in range(200)]
    documents = [{"_id": one} for one in batch] + [{"_id": ObjectId()} for _ in range(50)]
    matched = [matches(doc, {"_id": {"$in": batch}}) for doc in documents]
    assert matched == [True] * 200 + [False] * 50
    assert compared == 0


def test_a_delete_by_a_batch_of_ids_deletes_what_the_servers_own_does(
    monkeypatch: pytest.MonkeyPatch, storages: tuple[Storage, Storage]
) -> None:
    rows = [{"_id": ObjectId(), "n": n} for n in range(40)]
    both(storages, lambda s: s.insert("d", "c", [dict(row) for row in rows]))
    gone = [row["_id"] for row in rows[::3]] + [ObjectId()]
    ours, theirs = storages
    monkeypatch.setattr(secantus_query, "_op_matches", embedded_database.op_matches_with_in_by_set)
    deleted = ours.delete_matching("d", "c", {"_id": {"$in": gone}})
    monkeypatch.undo()
    assert deleted == theirs.delete_matching("d", "c", {"_id": {"$in": gone}}) == 14
    assert both(storages, lambda s: ids(s.find_matching("d", "c", {}))) == {
        row["_id"] for row in rows if row["_id"] not in gone
    }


def test_the_storage_keeps_no_oplog(storages: tuple[Storage, Storage]) -> None:
    """Nothing reads it, and it cost a write per changed document (a sixth of the database's
    CPU under a backlog); the server's own storage, as a replica-set member, keeps one."""
    both(storages, lambda s: s.insert("d", "c", [{"_id": 1, "n": 1}]))
    both(storages, lambda s: s.update_matching("d", "c", {"_id": 1}, {"$set": {"n": 2}}))
    both(storages, lambda s: s.delete_matching("d", "c", {"_id": 1}))
    ours, theirs = storages
    assert [
        entry["op"] for entry in theirs.find_matching("local", "oplog.rs", {"op": {"$ne": "n"}})
    ]
    assert ours.find_matching("local", "oplog.rs", {}) == []
