"""A fetch that skipped an offset is fetched again from it, not taken as it came
(shared/messaging/offset_gaps.py): Tansu once answered a fetch with the records after the
one asked for, and policy never saw a volunteer's application."""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pytest

from shared.messaging import offset_gaps
from shared.messaging.offset_gaps import OffsetGaps, fetch_contiguous

TP = ("safehands.volunteer", 0)


@dataclass(frozen=True)
class Record:
    offset: int


def records(*offsets: int) -> list[Record]:
    return [Record(offset) for offset in offsets]


def test_contiguous_records_are_all_handed_on() -> None:
    assert OffsetGaps().contiguous(TP, 5, records(5, 6, 7)) is None
    # Without a known position (just assigned) the first record sets where to continue.
    assert OffsetGaps().contiguous(TP, None, records(9, 10)) is None


def test_the_records_after_a_skipped_offset_are_held_back() -> None:
    gaps = OffsetGaps()
    assert gaps.contiguous(TP, 5, records(6, 7)) == 0
    assert gaps.contiguous(TP, 5, records(5, 6, 8, 9)) == 2


def test_a_gap_that_stays_is_taken_as_real_after_the_patience(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock = [100.0]
    monkeypatch.setattr(offset_gaps, "_now", lambda: clock[0])
    gaps = OffsetGaps(patience_seconds=10)
    assert gaps.contiguous(TP, 5, records(7)) == 0
    clock[0] += 9
    assert gaps.contiguous(TP, 5, records(7)) == 0
    clock[0] += 2
    assert gaps.contiguous(TP, 5, records(7, 8)) is None


class Broker:
    """One partition whose offset 5 is written but not yet readable at the first fetch, as
    Tansu answered; the consumer's position and seek as aiokafka keeps them."""

    def __init__(self) -> None:
        self.position_ = 3
        self.hidden = {5}
        self.fetches = 0
        broker = self

        class State:
            has_valid_position = True

            @property
            def position(self) -> int:
                return broker.position_

        class Assignment:
            tps = {TP}

            def state_value(self, tp: Any) -> State:
                return State()

        self._subscription = SimpleNamespace(subscription=SimpleNamespace(assignment=Assignment()))

    def seek(self, tp: Any, offset: int) -> None:
        self.position_ = offset

    async def getmany(self, *, timeout_ms: int, max_records: int | None) -> dict[Any, list[Any]]:
        self.fetches += 1
        found = [r for r in records(*range(self.position_, 9)) if r.offset not in self.hidden]
        self.hidden.clear()  # written meanwhile
        if found:
            self.position_ = found[-1].offset + 1
        return {TP: found} if found else {}


async def test_every_record_reaches_the_consumer_once_and_in_order() -> None:
    broker, gaps = Broker(), OffsetGaps()
    seen: list[int] = []
    while broker.position_ < 9 and broker.fetches < 5:
        fetched = await fetch_contiguous(broker, gaps, timeout_ms=10, max_records=None)
        seen += [record.offset for record in fetched]
    assert seen == [3, 4, 5, 6, 7, 8]
    assert broker.fetches == 2
