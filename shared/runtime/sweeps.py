"""The one idiom of the periodic sweeps (policy's VOG renewals, code grace periods, retention
and list entries, reports' deadlines and retention, notify's VCP colleagues): find what is due
across organisations with one indexed query, then change each candidate in its own
organisation's unit of work.

The scheduler runs a job on one instance at a time, but a lease can change hands mid-run
(a paused holder whose lease expired), and a candidate can change between the query and
its turn. So each step loads the candidate again inside its unit of work and writes only
on the condition that it still is what the query found; a step that finds it changed does
nothing. A second run, or a second instance, then finds nothing left to do.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, TypeVar

from shared.logs import get_logger
from shared.runtime.definition import PeriodicJob
from shared.runtime.runtime import Runtime
from shared.storage.database import Database
from shared.storage.tenancy import Document
from shared.storage.unit_of_work import UnitOfWork

log = get_logger(__name__)

When = TypeVar("When")

# What one candidate's unit of work did: how many things it changed or announced (0: none).
Step = Callable[[UnitOfWork, Document], Awaitable[int]]


async def sweep(
    db: Database,
    collection: str,
    query: Mapping[str, Any],
    step: Step,
    *,
    fields: Sequence[str],
    limit: int = 0,
) -> int:
    """Run `step` on each document of `collection` (across organisations) that matches
    `query`, each in its organisation's unit of work; returns the sum of what the steps did.

    `step` gets the candidate as the query saw it: its `org_id` and `fields`. `limit` bounds
    one run (0: none); the rest is left for the next run, so use it only where a step
    always takes its candidate out of the query's reach."""
    candidates = await (
        db.platform_collection(collection)
        .find(query, projection={"org_id": 1, **dict.fromkeys(fields, 1)}, limit=limit)
        .to_list()
    )
    done = 0
    for candidate in candidates:
        async with db.unit_of_work(candidate["org_id"]) as uow:
            done += await step(uow, candidate)
    return done


def sweep_job(
    name: str,
    run: Callable[[Database, When], Awaitable[int]],
    clock: Callable[[], When],
    done: str,
) -> PeriodicJob:
    """A periodic job that runs `run` at the time `clock` tells and logs `done` with how
    many it changed, when any."""

    async def job(runtime: Runtime) -> None:
        count = await run(runtime.db, clock())
        if count:
            log.info(done, job=name, count=count)

    return PeriodicJob(name, job)
