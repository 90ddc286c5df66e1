"""An instance's own hints reach its live pages straight from the commit, and its feed reads
the `changes` collection only on its timer (for the other instances' hints). It used to read
the last ten seconds of hints after every commit while a page was open: at 50 applications
a second, thousands of rows again after each of policy's batches, in the one database."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, datetime
from typing import Any

import pytest

from services.policy.domain.live_changes import changes_of as policy_changes
from shared.auth.tokens import Principal
from shared.events.admission import VolunteerApplied
from shared.runtime.live import ChangeFeed, ChangeHub
from shared.storage.changes import CHANGES
from tests.support.platform import Infrastructure

COORDINATOR = Principal(sub="cora", org="org-1", roles=frozenset({"coordinator"}))


class CountedReads:
    """The `changes` collection, counting the feed's reads."""

    def __init__(self, collection: Any) -> None:
        self.collection = collection
        self.reads = 0

    def find(self, *args: Any, **kwargs: Any) -> Any:
        self.reads += 1
        return self.collection.find(*args, **kwargs)


def applied(volunteer_id: str) -> VolunteerApplied:
    return VolunteerApplied(
        org_id="org-1",
        volunteer_id=volunteer_id,
        application_id=f"a-{volunteer_id}",
        role_id="coach",
        name="Anna",
        email="anna@example.org",
        applied_at=datetime.now(UTC),
    )


class Refused(Exception):
    pass


async def test_own_hints_are_heard_at_once_and_the_feed_reads_on_its_timer_only(
    infra: Infrastructure,
) -> None:
    async with infra.scratch_database("feed") as db:
        db.changes_of = policy_changes
        hub = ChangeHub()
        changes = CountedReads(db.platform_collection(CHANGES))
        feed = ChangeFeed(changes, hub, poll_seconds=60)
        db.committed_changes = feed.committed
        with hub.listen(COORDINATOR, "org-1") as listener:
            running = asyncio.create_task(feed.run())
            try:
                await asyncio.sleep(0.2)  # its first read, at start
                reads_at_start = changes.reads
                for n in range(10):
                    async with db.transaction() as tx:
                        tx.note_change(applied(f"v-{n}"))
                    # Heard as the commit returns: no read in between.
                    assert listener.queue.get_nowait() == {
                        "kind": "volunteer",
                        "volunteer_id": f"v-{n}",
                    }
                # A transaction that did not commit tells nobody.
                with pytest.raises(Refused):
                    async with db.transaction() as tx:
                        tx.note_change(applied("v-rolled-back"))
                        raise Refused
                await asyncio.sleep(0.2)
                assert listener.queue.empty()
                assert changes.reads == reads_at_start
                # The timer's read finds the committed hints and tells none of them again.
                assert await feed.poll_once() == 0
                assert listener.queue.empty()
            finally:
                running.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await running
