"""Outbox row ids that sort in the order the rows were written, so the relay reads the
oldest rows by `_id` alone.

Why not a secondary index on the time written: the relay deletes the rows it sent while
requests and consumers insert new ones in their transactions. On SecantusDB, the embedded
default, a delete and a transactional insert that both touch one secondary index conflict:
with the old `(created_at, _id)` index, deleting a batch of 500 sent rows took 2.5 to 8.5
seconds instead of 0.1 while a transaction inserted rows, and the transactions themselves
lost write conflicts and ran again (issue 27; the primary key does not conflict that way).
MongoDB does not conflict there, and sorting by the primary key costs it nothing either.

An ObjectId is twelve bytes compared byte by byte. A standard one starts with whole seconds
and goes on with a value random per process, so of two rows written in the same second by
two instances the later may sort first; issue 28 lost a volunteer that way. These ids are
laid out for order instead:

    seconds (4) | milliseconds within the second (2) | value of this process (3) | sequence (3)

Of two rows written by two instances, the later millisecond sorts later (as far as their
clocks agree, which NTP keeps within milliseconds; writes of one aggregate that depend on
each other are further apart). Within one process the ids only ever grow, also within one
millisecond and if the clock steps back. They start with seconds like a standard ObjectId, so
rows written before this layout sort among these by their second.
"""

from __future__ import annotations

import os
import struct
import threading
import time

from bson import ObjectId

SEQUENCE_LIMIT = 1 << 24


def ordered_object_id(written_ms: int, process: bytes, sequence: int) -> ObjectId:
    """The id of a row written at `written_ms` (ms since the epoch) by a process whose value
    is `process` (3 bytes), the `sequence`-th id of that process in that millisecond."""
    seconds, milliseconds = divmod(written_ms, 1000)
    return ObjectId(
        struct.pack(">IH", seconds, milliseconds) + process + sequence.to_bytes(3, "big")
    )


class OutboxIds:
    """This process's ids: ever growing, a new process value after a fork."""

    def __init__(self, process: bytes | None = None) -> None:
        """`process`: a fixed process value (3 bytes), as a test plays two instances."""
        self._lock = threading.Lock()
        self._fixed = process
        self._pid = -1
        self._process = b""
        self._last_ms = 0
        self._sequence = 0

    def next(self, now_ms: int | None = None) -> ObjectId:
        written_ms = time.time_ns() // 1_000_000 if now_ms is None else now_ms
        with self._lock:
            if self._pid != os.getpid():
                self._pid, self._process = os.getpid(), self._fixed or os.urandom(3)
                self._last_ms, self._sequence = 0, 0
            if written_ms > self._last_ms:
                self._last_ms, self._sequence = written_ms, 0
            else:
                # The same millisecond, or the clock stepped back: after the last id.
                self._sequence += 1
                if self._sequence == SEQUENCE_LIMIT:
                    self._last_ms, self._sequence = self._last_ms + 1, 0
            return ordered_object_id(self._last_ms, self._process, self._sequence)


next_outbox_id = OutboxIds().next
