"""The outbox is read by its primary key alone: the index an earlier version kept on it made
the relay's deletes and every transaction writing a record conflict on SecantusDB (issue 27,
shared/storage/outbox_ids.py), so start-up drops it."""

from __future__ import annotations

from shared.storage.unit_of_work import OUTBOX
from tests.support.platform import Infrastructure


async def test_start_up_drops_the_outbox_index_of_an_earlier_version(infra: Infrastructure) -> None:
    async with infra.scratch_database("outbox-index") as database:
        outbox = database.db[OUTBOX]
        await outbox.create_index([("created_at", 1), ("_id", 1)])
        assert "created_at_1__id_1" in await outbox.index_information()

        await database.ensure_indexes([])

        assert list(await outbox.index_information()) == ["_id_"]
        # Again, with nothing left to drop.
        await database.ensure_indexes([])
