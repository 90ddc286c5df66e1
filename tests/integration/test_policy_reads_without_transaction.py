"""Policy's pages read without a transaction (`Runtime.read`, `ReadingUnitOfWork`): in one,
each read cost a `commitTransaction` more, and one that answered 404 an `abortTransaction`.
Counted against the real database with PyMongo's command monitoring, through the routes'
own functions. And a read that would write (an audit entry, an event) is refused before
anything reaches the database: it belongs in `transact`."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from functools import partial
from types import SimpleNamespace
from typing import Any

import pytest

from services.policy.domain.errors import NoCodePublished
from services.policy.http_routes.codes import read_current_code
from services.policy.http_routes.organisations import read_public_page, read_settings
from services.policy.http_routes.roles import list_roles
from services.policy.storage import CODES, INDEXES, ROLES
from services.policy.use_cases import organisations, roles
from services.policy.use_cases.organisations import NewOrganisation
from services.policy.use_cases.roles import RoleDefinition
from shared.audit import log as audit
from shared.auth.tokens import Principal
from shared.storage.database import Database
from shared.storage.tenancy import ReadOnly
from shared.storage.unit_of_work import UnitOfWork
from tests.support.commands_spent import spent
from tests.support.platform import Infrastructure

ORG = "org-reads"
ADMIN = Principal(sub="a", org=ORG, roles=frozenset({"admin"}))


@pytest.fixture
async def db(infra: Infrastructure) -> AsyncIterator[Database]:
    async with infra.scratch_database("policy_plain_reads", INDEXES) as database:
        yield database


def transactions(commands: dict[str, int]) -> dict[str, int]:
    return {
        name: n for name, n in commands.items() if name in ("commitTransaction", "abortTransaction")
    }


async def test_the_pages_reads_send_no_commit_and_a_404_no_abort(db: Database) -> None:
    runtime: Any = SimpleNamespace(db=db, read=db.read, transact=db.transact)

    answer, commands = await spent(db, lambda: read_current_code(ORG, runtime), (NoCodePublished,))
    assert isinstance(answer, NoCodePublished)
    assert commands == {"find": 1}

    # Set up as the admin's pages do, through the use cases in transactions.
    await db.transact(
        ORG,
        lambda uow: organisations.register_organisation(
            uow, NewOrganisation(org_id=ORG, name="De Zwaluw", language="nl")
        ),
    )
    leader = RoleDefinition(title="Leider", works_with_minors=True, works_with_vulnerable=False)
    await db.transact(ORG, lambda uow: roles.define_role(uow, "leader", leader))
    code = {"version": 1, "sha256": "0" * 64, "text": "# Gedragscode", "published_at": None}
    await db.tenant_collection(ORG, CODES).insert_one(code)

    answer, commands = await spent(db, lambda: read_current_code(ORG, runtime), (NoCodePublished,))
    assert answer.version == 1
    assert commands == {"find": 1}
    for read in (
        lambda: list_roles(ORG, ADMIN, runtime),
        lambda: read_settings(ORG, ADMIN, runtime),
        lambda: read_public_page(ORG, runtime),
    ):
        answer, commands = await spent(db, read, (NoCodePublished,))
        assert commands and transactions(commands) == {}, commands


async def test_a_read_that_would_write_is_refused_and_writes_nothing(db: Database) -> None:
    async def audits(uow: UnitOfWork) -> None:
        # What opening a volunteer's file records: a read that must stay in transact.
        await audit.record(uow, "volunteer.file_opened", "volunteer", str(uuid.uuid4()))

    async def writes(uow: UnitOfWork) -> None:
        await uow.collection(ROLES).insert_one({"role_id": "x"})

    async def queues(uow: UnitOfWork) -> None:
        uow.insert_at_commit(ROLES, {"role_id": "y"})

    for work in (writes, queues, audits):
        answer, commands = await spent(db, partial(db.read, ORG, work), (ReadOnly,))
        assert isinstance(answer, ReadOnly)
        writes_sent = {name: n for name, n in commands.items() if name not in ("find", "getMore")}
        assert writes_sent == {}
    assert await db.tenant_collection(ORG, ROLES).count() == 0
