"""What a service's TTL indexes expire, read from its index specs (shared/storage/expiry.py)."""

from __future__ import annotations

import pytest

from shared.storage.database import PLUMBING_INDEXES, IndexSpec, all_indexes
from shared.storage.expiry import Expiring, expiring
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
