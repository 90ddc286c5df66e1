"""Outbox ids sort in the order their rows were written (shared/storage/outbox_ids.py)."""

from __future__ import annotations

import struct

from shared.storage.outbox_ids import SEQUENCE_LIMIT, OutboxIds, ordered_object_id

AT = 1_796_000_000_123


def test_the_id_starts_with_the_second_and_its_millisecond() -> None:
    oid = ordered_object_id(AT, b"\x01\x02\x03", 7)
    seconds, milliseconds = struct.unpack(">IH", oid.binary[:6])
    assert (seconds, milliseconds) == (AT // 1000, AT % 1000)
    assert oid.binary[6:9] == b"\x01\x02\x03"
    assert int.from_bytes(oid.binary[9:], "big") == 7
    # Read as a standard ObjectId, it still tells the second it was written in.
    assert int(oid.generation_time.timestamp()) == AT // 1000


def test_a_later_millisecond_sorts_later_whatever_the_process() -> None:
    early = OutboxIds(b"\xff\xff\xff").next(now_ms=AT)
    late = OutboxIds(b"\x00\x00\x00").next(now_ms=AT + 1)
    assert early < late


def test_one_process_ids_only_grow_within_a_millisecond_and_when_the_clock_steps_back() -> None:
    ids = OutboxIds(b"\x10\x20\x30")
    written = [ids.next(now_ms=AT), ids.next(now_ms=AT), ids.next(now_ms=AT - 5_000)]
    written.append(ids.next(now_ms=AT + 1))
    assert written == sorted(written)
    assert len(set(written)) == len(written)


def test_a_full_millisecond_goes_on_in_the_next() -> None:
    ids = OutboxIds(b"\x00\x00\x01")
    first = ids.next(now_ms=AT)
    ids._sequence = SEQUENCE_LIMIT - 1  # as after 16 million ids in one millisecond
    after = ids.next(now_ms=AT)
    assert after > first
    assert struct.unpack(">IH", after.binary[:6]) == ((AT + 1) // 1000, (AT + 1) % 1000)


def test_the_ids_of_the_clock_are_in_order() -> None:
    ids = OutboxIds()
    written = [ids.next() for _ in range(1000)]
    assert written == sorted(written)
    assert len(set(written)) == 1000
