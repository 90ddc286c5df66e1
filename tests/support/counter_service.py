"""A minimal service built only from `shared/`, to test the delivery guarantees themselves.

Its handler is a batch handler (shared/messaging/batches.py), like the services' own, with
a deliberately NON-idempotent effect (`$inc`), so a duplicate application shows; it fails on demand, so retries and dead-lettering show; its route publishes through
the outbox, so the relay's crash-safety shows. Run as `python -m tests.support.counter_service`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime

from fastapi import APIRouter, Depends

from cli.services import serve_definition
from shared.events.admission import VolunteerApplied, VolunteerDataErased
from shared.messaging.batches import BatchHandler, BatchOutcome, BatchState, EventBatch
from shared.messaging.consumer import Handlers
from shared.runtime.background import BackgroundTask, BackgroundWork, one_round
from shared.runtime.definition import ServiceDefinition
from shared.runtime.runtime import Runtime, runtime_of
from shared.settings import load_settings
from shared.storage.database import IndexSpec

COUNTERS = "counters"
FAIL_ALWAYS = "fail-always"

router = APIRouter()


async def count_applications(batch: EventBatch, state: BatchState) -> BatchOutcome:
    """One `$inc` per application, all in one bulk write; one failing applicant fails the
    batch, and then only itself when the consumer retries event by event."""
    outcome = BatchOutcome()
    for event in batch.events:
        assert isinstance(event, VolunteerApplied)
        if event.name == FAIL_ALWAYS:
            raise RuntimeError("this handler fails for this applicant, every time")
        outcome.update(
            COUNTERS,
            event.org_id,
            {"volunteer_id": event.volunteer_id},
            {"$inc": {"applied": 1}},
            upsert=True,
        )
    return outcome


@router.post("/v1/orgs/{org}/erase/{volunteer_id}", status_code=202)
async def erase(
    org: str, volunteer_id: str, runtime: Runtime = Depends(runtime_of)
) -> dict[str, str]:
    async with runtime.unit_of_work(org) as uow:
        await uow.collection(COUNTERS).update_one(
            {"volunteer_id": volunteer_id},
            {"$set": {"erased_at": datetime.now(UTC)}},
            upsert=True,
        )
        event_id = uow.publish(VolunteerDataErased(org_id=org, volunteer_id=volunteer_id))
    return {"event_id": event_id}


class Doomed:
    """A background task that dies when told to (POST /v1/test/background-dies): a service
    whose task died must say so at /readyz."""

    def __init__(self) -> None:
        self.told = asyncio.Event()

    async def run(self) -> None:
        await self.told.wait()
        raise RuntimeError("this background task dies on demand")


DOOMED = Doomed()


@router.post("/v1/test/background-dies", status_code=202)
async def background_dies() -> dict[str, str]:
    DOOMED.told.set()
    return {}


class Stalling:
    """A background task whose round never ends once told to (POST
    /v1/test/background-stalls): a service whose task is stuck past its lease must say so
    at /readyz, though the task has not died."""

    def __init__(self) -> None:
        self.told = asyncio.Event()

    async def run(self) -> None:
        while True:
            await self.told.wait()
            with one_round():
                await asyncio.Event().wait()  # a round that never ends


STALLING = Stalling()


@router.post("/v1/test/background-stalls", status_code=202)
async def background_stalls() -> dict[str, str]:
    STALLING.told.set()
    return {}


def background(_runtime: Runtime) -> Sequence[BackgroundTask]:
    return (BackgroundWork("doomed", DOOMED.run), BackgroundWork("stalling", STALLING.run))


HANDLERS: Handlers = {VolunteerApplied: BatchHandler(count_applications)}

DEFINITION = ServiceDefinition(
    name="counter",
    description="Test service for the delivery guarantees.",
    routers=[router],
    handlers=HANDLERS,
    publishes=[VolunteerDataErased],
    indexes=[IndexSpec(COUNTERS, (("volunteer_id", 1),), unique=True)],
    background=background,
)

if __name__ == "__main__":
    serve_definition(DEFINITION, load_settings(service_name="counter"), default_port=8099)
