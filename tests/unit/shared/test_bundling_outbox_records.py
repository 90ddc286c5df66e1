"""Outbox records written together are stored as bundles, in order, within bounds."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from shared.storage.outbox_bundles import (
    MAX_BYTES,
    MAX_RECORDS,
    bundled,
    is_bundle,
    records_in,
)
from shared.storage.outbox_ids import OutboxIds

IDS = OutboxIds(b"\x00\x00\x01")


def rows(count: int, value: bytes = b"{}") -> list[dict[str, Any]]:
    return [
        {
            "_id": IDS.next(),
            "event_id": f"e{n}",
            "topic": "t",
            "key": b"k",
            "value": value,
            "headers": [],
            "created_at": datetime.now(UTC),
        }
        for n in range(count)
    ]


def test_one_record_alone_stays_a_plain_row() -> None:
    [row] = rows(1)
    assert bundled([row]) == [row]
    assert records_in(row) == [row]
    assert not is_bundle(row)
    assert bundled([]) == []


def test_several_records_are_one_bundle_under_the_first_records_id() -> None:
    written = rows(3)
    [bundle] = bundled(written)
    assert is_bundle(bundle)
    assert bundle["_id"] == written[0]["_id"]
    assert bundle["created_at"] == written[0]["created_at"]
    assert records_in(bundle) == written


def test_bundles_stay_within_their_bounds_and_keep_the_order() -> None:
    many = rows(2 * MAX_RECORDS + 1)
    documents = bundled(many)
    assert [len(records_in(d)) for d in documents] == [MAX_RECORDS, MAX_RECORDS, 1]
    assert not is_bundle(documents[-1])
    assert [r for d in documents for r in records_in(d)] == many
    assert [d["_id"] for d in documents] == sorted(d["_id"] for d in documents)

    large = rows(5, value=b"x" * (MAX_BYTES // 2))
    sizes = [len(records_in(d)) for d in bundled(large)]
    assert sizes == [1, 1, 1, 1, 1], "at most about MAX_BYTES of values in a bundle"
    assert [r for d in bundled(large) for r in records_in(d)] == large
