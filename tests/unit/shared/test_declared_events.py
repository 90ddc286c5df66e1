"""`publishes=` is checked: the outbox of a service refuses an event type its
ServiceDefinition does not declare, before anything is written; and every event a service
builds is among those it declares (read from the code), so the check never refuses one in
production."""

from __future__ import annotations

import ast
import importlib
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pymongo import AsyncMongoClient

from cli.services import SERVICE_NAMES
from shared.events import Event
from shared.events.admission import VolunteerApplied, VolunteerDataErased
from shared.runtime.definition import ServiceDefinition
from shared.storage.unit_of_work import Transaction, UndeclaredEvent

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
async def transaction() -> AsyncIterator[Transaction]:
    # No server: the client connects lazily, and queuing an event touches no database.
    client: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(
        "mongodb://127.0.0.1:9", connect=False, serverSelectionTimeoutMS=200
    )
    session = client.start_session()
    yield Transaction(client["unit"], session, "/safehands/intake", {VolunteerApplied})
    await session.end_session()
    await client.close()


async def test_the_outbox_takes_a_declared_event(transaction: Transaction) -> None:
    uow = transaction.scope("org-1")
    applied = VolunteerApplied(
        org_id="org-1",
        volunteer_id="v1",
        application_id="a1",
        role_id="coach",
        name="Anna",
        email="anna@example.org",
        applied_at=datetime.now(UTC),
    )
    event_id = uow.publish(applied)
    assert event_id
    assert [row["event_id"] for row in transaction._outbox] == [event_id]


async def test_the_outbox_refuses_an_undeclared_event_and_says_which(
    transaction: Transaction,
) -> None:
    uow = transaction.scope("org-1")
    with pytest.raises(UndeclaredEvent) as refused:
        uow.publish(VolunteerDataErased(org_id="org-1", volunteer_id="v1"))
    assert str(refused.value) == (
        "/safehands/intake publishes VolunteerDataErased, which is not among the events its "
        "ServiceDefinition declares (publishes=): add it there."
    )
    assert transaction._outbox == []


def event_classes(base: type[Event] = Event) -> Iterator[type[Event]]:
    for subclass in base.__subclasses__():
        yield subclass
        yield from event_classes(subclass)


@pytest.mark.parametrize("name", SERVICE_NAMES)
def test_every_event_a_service_builds_is_declared(name: str) -> None:
    definition: ServiceDefinition = importlib.import_module(f"services.{name}.bootstrap").DEFINITION
    names = {event.__name__ for event in event_classes()}
    built = {
        node.func.id
        for path in (ROOT / "services" / name).rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in names
    }
    assert built, f"{name} builds no event at all: is the scan looking in the right place?"
    assert built <= {event.__name__ for event in definition.publishes}
