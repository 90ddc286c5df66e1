"""What a read costs the database, counted with PyMongo's command monitoring
(`Database.commands`): for the tests that hold a route to its number of commands."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from shared.storage.database import Database


async def spent(
    db: Database,
    read: Callable[[], Awaitable[Any]],
    refusals: tuple[type[Exception], ...] = (),
) -> tuple[Any, dict[str, int]]:
    """What `read` answered (or the refusal it raised), and the commands it sent, by name."""
    before = dict(db.commands.by_name)
    try:
        answer: Any = await read()
    except refusals as refused:
        answer = refused
    return answer, {
        name: count - before.get(name, 0)
        for name, count in db.commands.by_name.items()
        if count - before.get(name, 0)
    }
