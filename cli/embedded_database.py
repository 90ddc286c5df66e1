"""SecantusDB as the embedded default runs it: its own launcher (`python -m secantus`, the
same arguments), with these changes to how the server keeps house and matches (and, in
cli/embedded_packing.py, how its storage engine's cursors pack keys and values).

**Its TTL sweep off.** Every 60 s the sweep reads every document of each collection with a
TTL index while it holds the database's one storage lock, so every other command of every
service waits meanwhile (0.7 s each minute with 30,000 inbox rows, and an inbox keeps 30
days of events). Each service expires its own rows instead, through the index in short
batches (shared/storage/expiry.py). Why here: the launcher reads `[storage]
ttl_sweep_seconds` from its configuration file but does not pass it on to the server
(SecantusDB 0.7.0b3), so the server it starts is given the setting directly.
tests/integration/test_expiry_sweep.py fails should a later version start a sweep all the
same.

**Its retryable-write records pruned from the oldest.** The server keeps the reply of every
retryable write (each write outside a transaction: the relays' deletes, the rate limiter's
claims, the expiry) for 30 minutes, at most 10,000, so that a driver's retry gets the first
reply. Before each such write it looked at every record for expired ones, and once the cap
was reached it sorted them all, on every write: a platform that had run half an hour at a
few writes a second paid that on each write (8 % of the database's CPU at 10 applications
a second after one minute; with the cap reached, a sort of 10,000 per write).
`RetryableRecordsInOrder` keeps the records in the order they were stored, which is the
order they expire in, and drops them from the oldest until one is still valid: the same
records go, looking only at those. tests/unit/test_embedded_database.py.

**Its reaper of idle transactions passes over busy ones** (`ReaperPassesBusyTransactions`).
Before every transactional statement, every commit and every retryable write, the server
looks for transactions idle past their lifetime, under the registry's one lock, and takes
each transaction's own lock to look: so when one statement ran long (policy's batch of
500 events under load takes a second or more), the look waited for it, every other
session's statements, commits and writes waited for the registry's lock, and the whole
database stood still for as long as the longest statement. Seen in `bench/admission.py`
at 50 applications/s: commands of every service timed out after 10 s (`NetworkTimeout`)
and the p99 rose to 22-26 s in one run of three; a `py-spy dump` in such a stall showed
13 commits, 4 statements and 4 retryable writes waiting on the registry's lock behind the
reaper. A transaction whose lock is held is in use, not idle, so the reaper now passes it
by and looks again at the next statement. tests/unit/test_embedded_database.py.

**Its index catalogue kept in memory** (`CatalogueInMemory`). The server read and decoded a
collection's index definitions from its catalogue table several times for every command it
planned or wrote (which indexes, their partial filters, their options, which are multikey):
16-18 % of its CPU under the admission bench, more than its inserts. The storage now keeps
each collection's definitions as last read, read from the latest committed state, and
serves them while nothing can have changed them:
- every method that writes the catalogue (creating, changing or dropping an index, dropping
  or renaming a collection or database) invalidates what is kept as it starts and again as
  it ends, and while one runs, every read goes to the table as before; one inside a
  multi-document transaction keeps it so until that transaction commits or aborts (its own
  index must be seen by it alone until then);
- a read that raced such a change is not kept (a generation number);
- the multikey flag, which the server sets inside an ordinary write the first time a
  document has an array in an indexed field, is such a change too, from before it is set
  until the write's transaction commits or aborts.
The collection's options (the options table: does the collection exist, is it capped, a
time series, its uuid) are kept the same way, since the server read and decoded them
several times per write as well (a tenth of its CPU under policy's backlog, after the
indexes were kept). Every write of that table (`_write_coll_options`: collMod, the uuid
given at first use) is a change as above, like a drop or a rename. Only collections that
exist in the committed state are kept, so a collection being made (by its first write, in
a transaction that may still abort) cannot make anything kept out of date, and is read
from the table as before. And a copy of a kept definition is one `dict` call when its
values are flat, rather than a look at each value on every read (`_Kept`).
tests/unit/test_embedded_database.py checks it against the real storage engine.

**Its profiling settings kept in memory** (`CatalogueInMemory.get_profile`). After every
command the server looked up whether the database is profiled: the storage's one lock taken
and its settings table read, each time, for a setting only `profile` changes. Kept once
read, forgotten when set. tests/unit/test_embedded_database.py.

**No oplog.** The server writes every change of a replica-set member to `local.oplog.rs`
(and, for a delete or update, the document as it was): the log change streams read. No
part of SafeHands reads it (no change stream, no `watch`: live pages follow the `changes`
collection), yet it cost a second write, an encoding and an index entry per changed
document, about a sixth of the database's CPU under a backlog. The server advertises a
replica set still (transactions need one); its storage just keeps no oplog, as the
server's own standalone mode does. A change stream on the embedded database would see
nothing: should one be needed, this is the place to turn the oplog back on.

**A `$in` of ids looked up in a set** (`op_matches_with_in_by_set`). The server matched a
document against `{field: {$in: [...]}}` by comparing its value with every element in turn,
so a command over a batch compared every document with every id: quadratic in the batch. A
delete of 500 sent outbox rows by `{_id: {$in: ids}}` took 460 ms (500 single deletes, 69
ms), and each batch's inbox check (`event_id: {$in: …}`) paid the same. When every element
is a string or an ObjectId and no collation applies, equality in MongoDB's sense is
Python's (same BSON type and the same bytes; never equal across the two types), so a set
gives the same answer: the relay's delete of 500 rows now takes 34 ms. Any other element or
value (numbers, whose equality crosses types, null, arrays, documents, a regex, Code)
takes the server's own comparison. The set is made once per list: kept per thread beside
the list it was made from, and each command runs on one thread.
tests/unit/test_embedded_database.py compares it with the server's own on random values.
"""

from __future__ import annotations

import contextlib
import copy
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import wraps
from typing import Any, TypeVar

from bson import ObjectId
from secantus import cli as secantus_cli
from secantus import query as secantus_query
from secantus import server as secantus_server
from secantus import transactions as secantus_transactions
from secantus.server import SecantusDBServer
from secantus.storage import Storage, UserTransactionHandle
from secantus.transactions import TransactionRegistry

from cli import embedded_packing
from shared.storage.deadlines import TRANSACTION_LIFETIME_SECONDS

Method = TypeVar("Method", bound=Callable[..., Any])
Kept = TypeVar("Kept")
IndexDefinition = tuple[str, dict[str, Any], dict[str, Any]]


class _ServerAsWeRunIt(SecantusDBServer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(
            *args,
            **{
                **kwargs,
                "ttl_sweep_seconds": 0.0,
                "transaction_lifetime_seconds": float(TRANSACTION_LIFETIME_SECONDS),
            },
        )


class RetryableRecordsInOrder(TransactionRegistry):
    """The registry with its retryable-write records in the order they were stored (a
    record stored again moves to the end), pruned from the front. The lifetime and the cap
    are the server's own."""

    def record_retryable(
        self, lsid_bytes: bytes, txn_number: int, identity: bytes, reply: dict[str, Any]
    ) -> None:
        if not secantus_transactions._is_recordable_reply(reply):
            return
        # A dict keeps a replaced value where its key first was: take the old record out
        # first, so that the new one goes to the end, where its time belongs.
        with self._lock:
            self._retryable.pop((lsid_bytes, txn_number), None)
        super().record_retryable(lsid_bytes, txn_number, identity, reply)

    def _prune_retryable_locked(self) -> None:
        cutoff = self._time() - secantus_transactions._RETRYABLE_RECORD_LIFETIME_SECONDS
        cap = secantus_transactions._RETRYABLE_RECORD_MAX
        records = self._retryable
        while records:
            oldest = next(iter(records))
            if records[oldest][1] >= cutoff and len(records) <= cap:
                return
            del records[oldest]


class ReaperPassesBusyTransactions(RetryableRecordsInOrder):
    """The registry whose reaper of idle transactions passes over one that is in use (see
    the module's docstring), with the retryable records of `RetryableRecordsInOrder`."""

    def _prune_locked(self) -> int:
        cutoff = self._time() - self._lifetime
        reaped = 0
        for transaction in self._txns.values():
            # Held: a statement or its commit is running in it, so it is not idle. Waiting
            # for it here, under the registry's lock, stopped every other session.
            if not transaction.mutex.acquire(blocking=False):
                continue
            try:
                if (
                    transaction.state is secantus_transactions.TxnState.IN_PROGRESS
                    and transaction.last_use < cutoff
                ):
                    # The server's own abort (its lock is ours already, and re-entrant).
                    self._abort_locked(transaction)
                    reaped += 1
            finally:
                transaction.mutex.release()
        return reaped


def _changes_the_catalogue(method: Method) -> Method:
    @wraps(method)
    def changing(self: CatalogueInMemory, *args: Any, **kwargs: Any) -> Any:
        self._catalogue_change_starts()
        try:
            return method(self, *args, **kwargs)
        finally:
            self._catalogue_change_ends()

    return changing  # type: ignore[return-value]


class _Kept:
    """A definition as kept, and which of its values are nested (a partial filter, a
    collation): each reader gets a copy of its own, and a copy of a flat one is one `dict`
    call, where looking at each value on every read cost as much as the read it saved."""

    __slots__ = ("definition", "nested")

    def __init__(self, definition: Mapping[str, Any]) -> None:
        self.definition = dict(definition)
        self.nested = tuple(
            name for name, value in definition.items() if isinstance(value, dict | list)
        )

    def copy(self) -> dict[str, Any]:
        copied = self.definition.copy()
        for name in self.nested:
            copied[name] = copy.deepcopy(copied[name])
        return copied


class CatalogueInMemory(Storage):
    """The storage engine with each collection's index definitions and options kept in
    memory while nothing changes them (see the module's docstring for when that is), and no
    oplog."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._catalogue_guard = threading.Lock()
        self._catalogue: dict[tuple[str, str], list[tuple[str, _Kept, _Kept]]] = {}
        # A collection's options as committed; only collections that exist are kept.
        self._options: dict[tuple[str, str], _Kept] = {}
        self._catalogue_generation = 0
        self._catalogue_changes_running = 0
        self._catalogue_changed_by: set[int] = set()
        # Each database's profiling settings as stored (see get_profile).
        self._profiles: dict[str, dict[str, Any]] = {}
        # No oplog: see the module's docstring.
        super().__init__(*args, **{**kwargs, "enable_oplog": False})

    def _usable_locked(self) -> bool:
        """Whether what is kept may be served: no change of the catalogue running, none
        held back by a transaction that made one (under the guard)."""
        return not (self._catalogue_changes_running or self._catalogue_changed_by)

    def _kept_or_read(
        self,
        kept_in: dict[tuple[str, str], Kept],
        key: tuple[str, str],
        read: Callable[[], Kept | None],
    ) -> Kept | None:
        """What `kept_in` holds for `key`, or else `read` from the latest committed state
        (not this thread's snapshot, which may be a transaction's older one) and kept.
        None when nothing kept may be served now, or `read` found nothing to keep: the
        caller then asks its own snapshot, as the server does."""
        with self._catalogue_guard:
            if not self._usable_locked():
                return None
            generation = self._catalogue_generation
            kept = kept_in.get(key)
        if kept is not None:
            return kept
        with self._committed_read_scope():
            kept = read()
        if kept is not None:
            with self._catalogue_guard:
                # Every change bumps the generation as it starts and as it ends: unchanged,
                # nothing began, ended or was held back while this was read.
                if generation == self._catalogue_generation:
                    kept_in[key] = kept
        return kept

    def _iter_indexes(self, db: str, coll: str) -> Iterable[IndexDefinition]:
        kept = self._kept_or_read(
            self._catalogue,
            (db, coll),
            lambda: [
                (name, _Kept(key_spec), _Kept(options))
                for name, key_spec, options in Storage._iter_indexes(self, db, coll)
            ],
        )
        if kept is None:
            return super()._iter_indexes(db, coll)
        return self._as_read(kept)

    @staticmethod
    def _as_read(kept: list[tuple[str, _Kept, _Kept]]) -> Iterator[IndexDefinition]:
        for name, key_spec, options in kept:
            yield name, key_spec.copy(), options.copy()

    def _coll_options(self, db: str, coll: str) -> dict[str, Any] | None:
        """The collection's options kept as its indexes are. Several reads of the options
        table per write (does it exist, is it capped, a time series, its uuid) were a tenth
        of the database's CPU under policy's backlog. A collection that does not exist in
        the committed state (or one a transaction just made) is not kept: this thread's own
        read answers for it, as before."""

        def committed() -> _Kept | None:
            options = Storage._coll_options(self, db, coll)
            return None if options is None else _Kept(options)

        kept = self._kept_or_read(self._options, (db, coll), committed)
        if kept is None:
            return super()._coll_options(db, coll)
        return kept.copy()

    def get_profile(self, db: str) -> dict[str, Any]:
        """The database's profiling settings, kept once read: the server asks after every
        command (is it profiled?), and each ask took the storage's one lock and read its
        table, so a command waited once more in the lock's queue for a setting that only
        `set_profile` changes. Read and kept under that lock, as `set_profile` writes and
        forgets, so a read from before a change is never kept after it."""
        kept = self._profiles.get(db)
        if kept is None:
            with self._lock:
                kept = self._profiles.get(db) or super().get_profile(db)
                self._profiles[db] = kept
        return dict(kept)

    def set_profile(
        self, db: str, *, level: int, slowms: int = 100, sample_rate: float = 1.0
    ) -> None:
        with self._lock:
            super().set_profile(db, level=level, slowms=slowms, sample_rate=sample_rate)
            self._profiles.pop(db, None)

    def _ensure_collection(self, db: str, coll: str) -> None:
        """As the server's, without its look at the table for a collection kept as existing.
        Making one that is not there needs no care here: only collections that exist in
        the committed state are kept, so none kept can be out of date for it."""
        with self._catalogue_guard:
            if self._usable_locked() and (db, coll) in self._options:
                return
        super()._ensure_collection(db, coll)

    def _drop_kept_locked(self) -> None:
        """Forget what is kept, and what a read under way would keep (under the guard)."""
        self._catalogue_generation += 1
        self._catalogue.clear()
        self._options.clear()

    def _catalogue_change_starts(self) -> None:
        with self._catalogue_guard:
            self._catalogue_changes_running += 1
            self._drop_kept_locked()

    def _catalogue_change_ends(self) -> None:
        transaction = getattr(self._tls, "user_txn", None)
        with self._catalogue_guard:
            if transaction is not None:
                self._catalogue_changed_by.add(id(transaction))
            self._catalogue_changes_running -= 1
            self._drop_kept_locked()

    def _transaction_ends(self, handle: UserTransactionHandle) -> None:
        with self._catalogue_guard:
            if id(handle) in self._catalogue_changed_by:
                self._catalogue_changed_by.discard(id(handle))
                self._drop_kept_locked()

    def commit_user_transaction(self, handle: UserTransactionHandle, **kwargs: Any) -> int:
        try:
            return super().commit_user_transaction(handle, **kwargs)
        finally:
            self._transaction_ends(handle)

    def abort_user_transaction(self, handle: UserTransactionHandle) -> None:
        try:
            super().abort_user_transaction(handle)
        finally:
            self._transaction_ends(handle)

    def _maybe_mark_multikey(
        self,
        db: str,
        coll: str,
        doc: Mapping[str, Any],
        indexes: list[tuple[str, dict[str, Any], bool, bool]],
        already_multikey: set[str],
    ) -> set[str]:
        """The first array in an indexed field flags the index inside the write that brings
        it: a change of the catalogue until that write commits or aborts. Known after the
        fact, from the names the server adds to `already_multikey` (those it flagged, or
        found flagged), so that a write that flags nothing costs no second look at its
        document. Until then the flag is uncommitted, and what is kept (read from the
        committed state) is still right; what a read kept meanwhile is dropped here."""
        flagged_before = len(already_multikey)
        flagged = super()._maybe_mark_multikey(db, coll, doc, indexes, already_multikey)
        if len(flagged) == flagged_before:
            return flagged
        self._catalogue_change_starts()
        if getattr(self._tls, "batch_depth", 0):
            # Ends with the write's own transaction (_batch_transaction, below).
            self._tls.marked_multikey = getattr(self._tls, "marked_multikey", 0) + 1
        else:
            # In a multi-document transaction _catalogue_change_ends holds the kept
            # catalogue back until it ends; outside any transaction the write is done.
            self._catalogue_change_ends()
        return flagged

    @contextlib.contextmanager
    def _batch_transaction(self, *, sync: bool = False) -> Iterator[Any]:
        if getattr(self._tls, "user_txn", None) is not None:
            with super()._batch_transaction(sync=sync) as session:
                yield session
            return
        self._tls.batch_depth = getattr(self._tls, "batch_depth", 0) + 1
        try:
            with super()._batch_transaction(sync=sync) as session:
                yield session
        finally:
            self._tls.batch_depth -= 1
            if not self._tls.batch_depth:
                for _ in range(getattr(self._tls, "marked_multikey", 0)):
                    self._catalogue_change_ends()
                self._tls.marked_multikey = 0

    create_index = _changes_the_catalogue(Storage.create_index)
    drop_index = _changes_the_catalogue(Storage.drop_index)
    drop_all_indexes = _changes_the_catalogue(Storage.drop_all_indexes)
    set_index_expiry = _changes_the_catalogue(Storage.set_index_expiry)
    set_index_options = _changes_the_catalogue(Storage.set_index_options)
    drop_collection = _changes_the_catalogue(Storage.drop_collection)
    drop_database = _changes_the_catalogue(Storage.drop_database)
    rename_collection = _changes_the_catalogue(Storage.rename_collection)
    # Every change of a kept collection's options: collMod, the uuid given at first use.
    _write_coll_options = _changes_the_catalogue(Storage._write_coll_options)
    _recover_pending_drops_locked = _changes_the_catalogue(Storage._recover_pending_drops_locked)


_server_op_matches = secantus_query._op_matches
# Below this many elements a comparison with each costs no more than making a set.
_IN_BY_SET_FROM = 8
_in_sets = threading.local()


def _as_set(elements: list[Any]) -> frozenset[str | ObjectId] | None:
    """The elements as a set when each is exactly a string or an ObjectId, else None; the
    last list asked for on this thread is answered from what was made for it."""
    if getattr(_in_sets, "elements", None) is elements:
        made: frozenset[str | ObjectId] | None = _in_sets.made
        return made
    exact = all(type(element) is str or type(element) is ObjectId for element in elements)
    made = frozenset(elements) if exact else None
    # The list itself is kept (not its id), so no other list can be taken for it.
    _in_sets.elements, _in_sets.made = elements, made
    return made


def op_matches_with_in_by_set(
    values: list[Any],
    op: str,
    arg: Any,
    collation: Any = None,
    *,
    field: str = "",
    descend: bool = True,
) -> bool:
    """The server's `_op_matches`, with a `$in` of strings and ObjectIds looked up in a set
    (see the module's docstring)."""
    if op == "$in" and collation is None and type(arg) is list and len(arg) >= _IN_BY_SET_FROM:
        members = _as_set(arg)
        if members is not None:
            for value in values:
                if type(value) is str or type(value) is ObjectId:
                    if value in members:
                        return True
                elif value is not secantus_query.MISSING:
                    break  # an array, a number, null...: the server's own comparison
            else:
                return False
    matched: bool = _server_op_matches(values, op, arg, collation, field=field, descend=descend)
    return matched


def main() -> int:
    embedded_packing.install()
    secantus_query._op_matches = op_matches_with_in_by_set
    secantus_cli.SecantusDBServer = _ServerAsWeRunIt
    secantus_server.TransactionRegistry = ReaperPassesBusyTransactions
    secantus_server.Storage = CatalogueInMemory
    return secantus_cli.main()


if __name__ == "__main__":
    raise SystemExit(main())
