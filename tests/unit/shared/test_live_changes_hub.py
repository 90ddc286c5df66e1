"""Live pages' plumbing (shared/runtime/live.py, shared/storage/changes.py): who hears which
hint, what a hint says, the stream's ending, the feed that finds every instance's hints,
and the services' mapping of events to hints."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

from bson import ObjectId

from services.policy.domain.live_changes import changes_of as policy_changes
from services.reports.domain.live_changes import changes_of as reports_changes
from shared.auth.tokens import Principal
from shared.events.admission import RoleDefined, VolunteerApplied
from shared.events.reports import ReportMessagePosted
from shared.runtime.live import QUEUE_SIZE, RESYNC, ChangeFeed, ChangeHub, stream
from shared.storage.changes import Change

VCP = Principal(sub="vera", org="org-1", roles=frozenset({"vcp"}))
COORDINATOR = Principal(sub="cora", org="org-1", roles=frozenset({"coordinator"}))
VOLUNTEER = Principal(sub="v-1", org="org-1", roles=frozenset({"volunteer"}))
OTHER_VOLUNTEER = Principal(sub="v-2", org="org-1", roles=frozenset({"volunteer"}))


def volunteer_change(volunteer_id: str = "v-1", org: str = "org-1") -> Change:
    return Change(
        org,
        "volunteer",
        frozenset({"admin", "coordinator"}),
        subject=volunteer_id,
        ids=(("volunteer_id", volunteer_id),),
    )


def test_a_hint_reaches_the_roles_it_is_for_and_its_subject_and_no_one_else() -> None:
    hub = ChangeHub()
    with (
        hub.listen(VCP, "org-1") as vcp,
        hub.listen(COORDINATOR, "org-1") as coordinator,
        hub.listen(VOLUNTEER, "org-1") as volunteer,
        hub.listen(OTHER_VOLUNTEER, "org-1") as other,
        hub.listen(COORDINATOR, "org-2") as elsewhere,
    ):
        hub.publish(volunteer_change())
        assert coordinator.queue.get_nowait() == {"kind": "volunteer", "volunteer_id": "v-1"}
        assert volunteer.queue.get_nowait() == {"kind": "volunteer", "volunteer_id": "v-1"}
        for nobody in (vcp, other, elsewhere):
            assert nobody.queue.empty()
        assert hub.listening == 5
    assert hub.listening == 0


async def test_a_listener_that_falls_behind_gets_one_resync_and_the_hub_never_grows() -> None:
    hub = ChangeHub()
    with hub.listen(COORDINATOR, "org-1") as listener:
        for n in range(QUEUE_SIZE + 10):
            hub.publish(volunteer_change(f"v-{n}"))
        assert listener.queue.qsize() == QUEUE_SIZE
        assert await listener.next() == RESYNC
        assert listener.queue.empty()


async def collect(chunks: Any, limit: int = 10) -> list[bytes]:
    out = []
    async for chunk in chunks:
        out.append(chunk)
        if len(out) >= limit:
            break
    return out


async def test_the_stream_ends_when_the_holder_is_no_longer_a_member() -> None:
    hub = ChangeHub()
    member = True

    async def still_member() -> bool:
        return member

    with hub.listen(COORDINATOR, "org-1") as listener:
        chunks = stream(
            listener,
            still_member=still_member,
            expires_at=None,
            check_seconds=0.05,
            keepalive_seconds=60,
        )
        assert await anext(chunks) == b"event: ready\ndata: {}\n\n"
        hub.publish(volunteer_change())
        assert await anext(chunks) == (
            b'event: change\ndata: {"kind":"volunteer","volunteer_id":"v-1"}\n\n'
        )
        member = False
        rest = await asyncio.wait_for(collect(chunks), 2)
    assert rest == [b'event: end\ndata: {"reason":"not a member"}\n\n']


async def test_the_stream_ends_when_its_token_does_and_keeps_a_quiet_line_alive() -> None:
    hub = ChangeHub()

    async def yes() -> bool:
        return True

    loop_now = datetime.now(UTC).timestamp()
    with hub.listen(COORDINATOR, "org-1") as listener:
        chunks = stream(
            listener,
            still_member=yes,
            expires_at=loop_now + 0.3,
            check_seconds=0.05,
            keepalive_seconds=0.1,
        )
        out = await asyncio.wait_for(collect(chunks, 50), 3)
    assert out[0].startswith(b"event: ready")
    assert b": keep-alive\n\n" in out
    assert out[-1] == b'event: end\ndata: {"reason":"token expired"}\n\n'


class FakeChanges:
    """The `changes` collection, as much of it as the feed uses."""

    def __init__(self) -> None:
        self.docs: list[dict[str, Any]] = []

    def find(self, query: dict[str, Any], sort: Any = None) -> Any:
        floor = query["_id"]["$gt"]
        found = sorted((d for d in self.docs if d["_id"] > floor), key=lambda d: d["_id"])

        async def cursor() -> Any:
            for doc in found:
                yield doc

        return cursor()


async def test_the_feed_publishes_each_hint_once_even_one_committed_late() -> None:
    hub = ChangeHub()
    changes = FakeChanges()
    feed = ChangeFeed(changes, hub, poll_seconds=0.01, lookback_seconds=10)
    now = datetime.now(UTC)
    with hub.listen(COORDINATOR, "org-1") as listener:
        changes.docs.append(volunteer_change("v-1").document(now))
        assert await feed.poll_once() == 1
        assert await feed.poll_once() == 0
        # Made (its ObjectId) before the last poll, committed after it: still found.
        late = volunteer_change("v-2").document(now)
        late["_id"] = ObjectId.from_datetime(now - timedelta(seconds=3))
        changes.docs.append(late)
        assert await feed.poll_once() == 1
        heard = [listener.queue.get_nowait()["volunteer_id"] for _ in range(2)]
    assert heard == ["v-1", "v-2"]


def test_a_hint_carries_no_content() -> None:
    applied = VolunteerApplied(
        org_id="org-1",
        volunteer_id="v-1",
        application_id="a-1",
        role_id="coach",
        name="Canary Name",
        email="canary@example.org",
        applied_at=datetime.now(UTC),
    )
    (change,) = policy_changes(applied)
    document = json.dumps(change.document(datetime.now(UTC)), default=str)
    assert "Canary" not in document and "canary@" not in document
    assert dict(change.ids) == {"volunteer_id": "v-1"}
    assert policy_changes(RoleDefined.model_construct(org_id="org-1")) == ()
    message = ReportMessagePosted(
        org_id="org-1", report_id="r-1", message_id="m-1", sender="reporter", posted_at=date.today()
    )
    (hint,) = reports_changes(message)
    # Not even the report id: a VCP the report is not sealed to may not know it.
    assert hint.ids == () and hint.roles == frozenset({"vcp"}) and hint.subject is None


async def test_the_stream_ends_rather_than_go_on_unchecked_when_membership_cannot_be_read() -> None:
    hub = ChangeHub()

    async def database_away() -> bool:
        raise TimeoutError

    with hub.listen(COORDINATOR, "org-1") as listener:
        chunks = stream(
            listener,
            still_member=database_away,
            expires_at=None,
            check_seconds=0.05,
            keepalive_seconds=60,
        )
        out = await asyncio.wait_for(collect(chunks), 2)
    assert out == [b"event: ready\ndata: {}\n\n", b'event: end\ndata: {"reason":"try again"}\n\n']
