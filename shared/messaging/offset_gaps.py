"""Records a fetch skipped: fetched again, not lost.

A partition's offsets have no gaps on our topics (no compaction, no transactional
producers), so a fetch from position P must begin at P and count up by one. Tansu, the
embedded broker, once answered a fetch at P with the records after P while P itself (an
application, written by intake's relay at the same moment as policy's relay wrote P+1) was
not yet readable. aiokafka takes the records it is given and moves the position past P;
policy never saw the application and dead-lettered the volunteer's interview, signature
and VOG (found by bench/admission.py at 10 applications/s, 2026-12-06; reading the topic
afterwards, P was there).

The race is known upstream: Tansu's author describes a slow producer X (offset 0, a
batch of 100) beside a fast producer Y (offset 100, a batch of 1), where a fetcher may see
100 before 0..99 because Y finished first, and later made the broker's fetch check for a
gap in the offsets it returns (nisshi-io/nisshi#713, 2026-08). The Tansu we run (calfkit's
0.6.0) answers as it finds; and a scratch probe (four to eight producers on one partition,
a tailing consumer) did not catch it in 16,000 records, so it is rare, and only a loaded
machine showed it.

So each consumer checks every fetched partition's records against its position before the
fetch: at the first offset that is not the one expected, it keeps the records before it,
seeks back to the missing offset and fetches again. A gap that is still there after
`PATIENCE_SECONDS` is taken as real (records removed by retention while the consumer was
behind, say) and logged, so that a consumer never stops for good.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from typing import Any, Protocol

from aiokafka import AIOKafkaConsumer, ConsumerRecord
from aiokafka.errors import IllegalStateError

from shared.logs import get_logger

log = get_logger(__name__)

PATIENCE_SECONDS = 10.0
# Before fetching a skipped offset again, when nothing else came.
REFETCH_PAUSE_SECONDS = 0.02
_now = time.monotonic  # the tests' clock


class _Offset(Protocol):
    @property
    def offset(self) -> int: ...


class OffsetGaps:
    """Per partition, where the records handed on must continue, and since when a gap
    there has been waited for."""

    def __init__(self, patience_seconds: float = PATIENCE_SECONDS) -> None:
        self._patience = patience_seconds
        self._waiting: dict[tuple[Any, int], float] = {}

    def contiguous(self, tp: Any, position: int | None, records: Sequence[_Offset]) -> int | None:
        """How many of `records` (fetched from `position`) may be handed on, or None for all
        of them; when fewer, the consumer seeks to the offset after the last one kept (or
        to `position`) and fetches again."""
        expected = position
        for index, record in enumerate(records):
            if (
                expected is not None
                and record.offset > expected
                and not self._given_up(tp, expected, record.offset)
            ):
                return index
            if self._waiting and expected is not None:
                self._waiting.pop((tp, expected), None)  # it came after all
            expected = record.offset + 1
        return None

    def _given_up(self, tp: Any, missing: int, found: int) -> bool:
        now = _now()
        first_seen = self._waiting.get((tp, missing))
        if first_seen is None:
            self._waiting[(tp, missing)] = now
            log.warning(
                "broker skipped offsets; fetching again",
                partition=str(tp),
                missing_from=missing,
                next_found=found,
            )
            return False
        if now - first_seen < self._patience:
            return False
        del self._waiting[(tp, missing)]
        log.warning(
            "offsets missing for good; going on",
            partition=str(tp),
            missing_from=missing,
            next_found=found,
        )
        return True


async def fetch_contiguous(
    consumer: AIOKafkaConsumer, gaps: OffsetGaps, *, timeout_ms: int, max_records: int | None
) -> tuple[ConsumerRecord[Any, Any], ...]:
    """`getmany`, without the records after an offset the broker skipped: the consumer
    seeks back to it and the next call fetches it (shared/messaging/offset_gaps.py)."""
    positions = known_positions(consumer)
    messages = await consumer.getmany(timeout_ms=timeout_ms, max_records=max_records)
    kept: list[ConsumerRecord[Any, Any]] = []
    held_back = False
    for tp, records in messages.items():
        count = gaps.contiguous(tp, positions.get(tp), records)
        if count is None:
            kept += records
            continue
        kept += records[:count]
        held_back = True
        try:
            consumer.seek(tp, records[count - 1].offset + 1 if count else positions[tp])
        except IllegalStateError:
            # Revoked meanwhile: its next owner starts from the committed offset, which is
            # not past the records held back here (commits follow the position).
            log.info("partition revoked while a skipped offset was fetched again")
    if held_back and not kept:
        # The missing record is a moment from readable: no tight loop of fetches meanwhile.
        await asyncio.sleep(REFETCH_PAUSE_SECONDS)
    return tuple(kept)


def known_positions(consumer: AIOKafkaConsumer) -> dict[Any, int]:
    """Where each assigned partition's next fetch starts, for those that know it now:
    aiokafka's own state, as its `position()` reads it, but without waiting for a partition
    whose offset is still being looked up (that one is not checked this time; `position()`
    would hold every other partition's records meanwhile). tests/integration/
    test_offset_positions.py fails should an upgrade move this state."""
    subscription = getattr(getattr(consumer, "_subscription", None), "subscription", None)
    assignment = getattr(subscription, "assignment", None)
    if assignment is None:
        return {}
    known: dict[Any, int] = {}
    for tp in assignment.tps:
        state = assignment.state_value(tp)
        if state is not None and state.has_valid_position:
            known[tp] = state.position
    return known
