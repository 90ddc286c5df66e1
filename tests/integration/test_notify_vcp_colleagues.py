"""Two VCPs appointed at the same moment, handled by two notify transactions at once (as two
notify instances do), on the real database: neither sees the other's uncommitted VCP, so
the earlier one is not told of the later. notify's sweep (services/notify/jobs.py) records
that mail afterwards, once, and never a second copy of a mail a handler already recorded."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from services.notify.event_handlers import handlers, mail_addressing
from services.notify.jobs import settle_vcp_colleagues
from services.notify.storage import INDEXES, MAILS
from shared.events import Event
from shared.events.admission import OrganisationRegistered
from shared.events.cloudevents import ReceivedEvent
from shared.events.reports import VCPAppointed
from shared.settings import Settings
from shared.storage.database import Database
from shared.storage.unit_of_work import Transaction
from tests.support.platform import Infrastructure

ORG = "club-colleagues"
SETTINGS = Settings(web_url="http://127.0.0.1:8080")
ON_EVENT = handlers(SETTINGS)[VCPAppointed]
START = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


@pytest.fixture
async def db(infra: Infrastructure) -> AsyncIterator[Database]:
    async with infra.scratch_database("notify", INDEXES) as database:
        yield database


def received(event: Event, at: datetime) -> ReceivedEvent:
    return ReceivedEvent(
        id=str(uuid.uuid4()), type=event.type_name, source="/tests", time=at, event=event
    )


def appointed(vcp_id: str) -> VCPAppointed:
    return VCPAppointed(
        org_id=ORG,
        vcp_id=vcp_id,
        name=vcp_id.capitalize(),
        email=f"{vcp_id}@example.org",
        public_key={},
        fingerprint="",
    )


async def handle(tx: Transaction, event: ReceivedEvent) -> None:
    await ON_EVENT(event.event, tx.scope(ORG, event))  # type: ignore[operator]


async def colleague_mails(db: Database) -> list[dict[str, Any]]:
    return await (
        db.platform_collection(MAILS)
        .find({"org_id": ORG, "kind": "vcp_colleague_invited"}, projection={"_id": 0})
        .to_list()
    )


async def test_vcps_appointed_at_once_are_told_of_each_other_by_the_sweep_once(
    db: Database,
) -> None:
    addressing = mail_addressing(SETTINGS)
    registered = OrganisationRegistered(org_id=ORG, name="Club", language="en")
    async with db.transaction() as tx:
        await handlers(SETTINGS)[OrganisationRegistered](  # type: ignore[operator]
            registered, tx.scope(ORG, received(registered, START))
        )
    anna = received(appointed("anna"), START + timedelta(seconds=1))
    bram = received(appointed("bram"), START + timedelta(seconds=2))

    # Both transactions read before either commits, as on two instances.
    async with db.transaction() as first:
        await handle(first, anna)
        async with db.transaction() as second:
            await handle(second, bram)
    assert await colleague_mails(db) == [], "control: the race leaves Anna untold"

    assert await settle_vcp_colleagues(db, addressing) == 1
    [told] = await colleague_mails(db)
    assert (told["to"], told["event_id"]) == ("anna@example.org", bram.id)
    assert "Bram" in told["text"]
    assert await settle_vcp_colleagues(db, addressing) == 0, "settled: nothing left to do"

    # A later appointment is told by its handler; the sweep then adds no second copy.
    cees = received(appointed("cees"), START + timedelta(seconds=3))
    async with db.transaction() as tx:
        await handle(tx, cees)
    by_cees = {m["to"] for m in await colleague_mails(db) if m["event_id"] == cees.id}
    assert by_cees == {"anna@example.org", "bram@example.org"}
    before = await colleague_mails(db)
    assert await settle_vcp_colleagues(db, addressing) == 1
    assert await colleague_mails(db) == before
