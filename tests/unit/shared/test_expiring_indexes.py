"""What a service's TTL indexes expire, read from its index specs, and how a sweep marks its
rounds (shared/storage/expiry.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any, cast

import pytest

from shared.progress import Progress, current_progress
from shared.storage.database import PLUMBING_INDEXES, IndexSpec, all_indexes
from shared.storage.expiry import Expiring, expire_due, expiring
from shared.storage.unit_of_work import INBOX


def test_each_ttl_index_becomes_one_expiring_collection_and_others_are_left_out() -> None:
    specs = (
        IndexSpec("codes", (("expires_at", 1),), tenant=False, expire_after_seconds=0),
        IndexSpec("codes", (("expires_at", 1),), tenant=False, expire_after_seconds=0),
        IndexSpec("codes", (("code_hash", 1),), unique=True, tenant=False),
        IndexSpec("people", (("email", 1),)),
    )
    assert expiring(specs) == (Expiring("codes", "expires_at", 0),)


def test_the_plumbing_expires_the_inbox_after_thirty_days() -> None:
    assert Expiring(INBOX, "recorded_at", 30 * 24 * 3600) in expiring(all_indexes(()))
    assert len(expiring(PLUMBING_INDEXES)) == 3  # inbox, live-page hints, set-aside records


@pytest.mark.parametrize(
    "spec",
    [
        IndexSpec("codes", (("expires_at", 1),), expire_after_seconds=0),  # org_id in front
        IndexSpec("codes", (("a", 1), ("b", 1)), tenant=False, expire_after_seconds=0),
    ],
)
def test_a_ttl_index_mongod_would_not_expire_by_is_refused_at_start_up(spec: IndexSpec) -> None:
    with pytest.raises(ValueError, match="one key"):
        expiring([spec])


class _Rows:
    """What `expire_due` asks of a collection, over `due` ids; notes the round at each ask."""

    def __init__(self, due: int, progress: Progress) -> None:
        self.due = [f"row-{n}" for n in range(due)]
        self.progress = progress
        self.rounds: list[float | None] = []
        self._limit = 0

    def find(self, *_: object, **__: object) -> _Rows:
        self.rounds.append(self.progress.round_began)
        return self

    def sort(self, *_: object) -> _Rows:
        return self

    def limit(self, limit: int) -> _Rows:
        self._limit = limit
        return self

    async def to_list(self) -> list[dict[str, str]]:
        return [{"_id": id_} for id_ in self.due[: self._limit]]

    async def bulk_write(self, writes: list[object], **_: object) -> SimpleNamespace:
        del self.due[: len(writes)]
        return SimpleNamespace(deleted_count=len(writes))


async def test_each_batch_is_a_round_so_a_long_first_sweep_is_busy_not_stuck() -> None:
    progress = Progress()
    rows = _Rows(due=7, progress=progress)
    token = current_progress.set(progress)
    try:
        deleted = await expire_due(
            cast(Any, rows), Expiring("codes", "expires_at", 0), datetime.now(UTC), batch=3
        )
    finally:
        current_progress.reset(token)
    assert deleted == 7
    began = rows.rounds
    assert len(began) == 3 and all(b is not None for b in began)
    assert began == sorted(began) and len(set(began)) == 3  # a new round per batch
    assert progress.round_began is None
