"""What one admitted volunteer costs intake in database commands on its request path
(issue 27: at most 8), counted against the real database with PyMongo's command monitoring.

Each step: one bulkWrite (state, outbox row, audit entry, and the check that the volunteer
applied, for the VOG: for a role whose requirements the VOG meets, by the copy's roles) and
the commit. The membership check reads no database
when the instance's copy grants (shared/auth/membership.py MembersCopy). The audit head is
not touched in the request: the entry waits in `audit_pending` for the chainer.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from services.intake.domain.errors import NoSuchVolunteer
from services.intake.known_facts import KnownFacts
from services.intake.storage import APPLICATIONS, INDEXES, INTERVIEWS
from services.intake.use_cases import admission_steps, applications
from services.intake.use_cases.admission_steps import Interview, Signature, VOGRecord
from shared.audit.log import AUDIT_HEADS, AUDIT_INDEXES, AUDIT_PENDING
from shared.domain.vog import RoleRequirements
from shared.storage.database import Database
from shared.storage.unit_of_work import OUTBOX
from tests.support.platform import Infrastructure

ORG = "org-a"
CODE = "Wij behandelen iedereen met respect.\n"
SHA = hashlib.sha256(CODE.encode()).hexdigest()


@pytest.fixture
async def db(infra: Infrastructure) -> AsyncIterator[Database]:
    async with infra.scratch_database("intake_cmds", (*INDEXES, *AUDIT_INDEXES)) as database:
        # A service's collections exist before its requests (creating one in a transaction
        # would be a command of its own).
        existing = set(await database.db.list_collection_names())
        for name in {APPLICATIONS, INTERVIEWS, "signatures", "vog_records", OUTBOX} - existing:
            await database.db.create_collection(name)
        yield database


def known() -> KnownFacts:
    facts = KnownFacts(ready=True)
    facts.organisations.add(ORG)
    facts.roles[(ORG, "leader")] = RoleRequirements(works_with_minors=True)
    facts.codes[ORG] = {1: SHA}
    return facts


async def spent(db: Database, step: Any) -> dict[str, int]:
    """The commands `step` (a unit of work's use case) sent, by name."""
    before = dict(db.commands.by_name)
    await db.transact(ORG, step)
    return {
        name: count - before.get(name, 0)
        for name, count in db.commands.by_name.items()
        if count - before.get(name, 0)
    }


async def test_an_admitted_volunteer_costs_intake_8_commands_on_its_path(db: Database) -> None:
    facts, now, volunteer = known(), datetime.now(UTC), str(uuid.uuid4())
    applied = await spent(
        db,
        lambda uow: applications.apply(
            uow,
            applications.Application(role_id="leader", name="Anna", email="anna@example.org"),
            application_id=str(uuid.uuid4()),
            volunteer_id=volunteer,
            applied_at=now,
            known=facts,
        ),
    )
    interviewed = await spent(
        db,
        lambda uow: admission_steps.record_interview(
            uow, volunteer, Interview(outcome="proceed"), recorded_by="coach", recorded_at=now
        ),
    )
    signed = await spent(
        db,
        lambda uow: admission_steps.sign_code(
            uow,
            volunteer,
            Signature(version=1, sha256=SHA, full_name="Anna"),
            signed_by=volunteer,
            signed_at=now,
            known=facts,
        ),
    )
    vog = await spent(
        db,
        lambda uow: admission_steps.record_vog(
            uow,
            volunteer,
            VOGRecord(
                issued_on=date.today() - timedelta(days=20),
                screening_aspects=[84],
                checked_by="coach",
            ),
            recorded_by="coach",
            recorded_at=now,
            handed_in=date.today(),
            known=facts,
        ),
    )
    one_write = {"bulkWrite": 1, "commitTransaction": 1}
    assert applied == one_write
    assert interviewed == one_write
    assert signed == one_write
    assert vog == one_write
    assert sum(sum(c.values()) for c in (applied, interviewed, signed, vog)) <= 8
    # The two audited steps wrote their entries for the chainer; no head was touched.
    pending = await db.tenant_collection(ORG, AUDIT_PENDING).find({})
    assert sorted(p["action"] for p in pending) == [
        "volunteer.interview_recorded",
        "volunteer.vog_recorded",
    ]
    assert await db.tenant_collection(ORG, AUDIT_HEADS).find({}) == []


async def test_an_interview_of_nobody_is_refused_and_writes_nothing(db: Database) -> None:
    """The volunteer's existence is checked in the commit's command: refused there, the
    transaction ends without the interview, its event or its audit entry."""
    with pytest.raises(NoSuchVolunteer):
        await db.transact(
            ORG,
            lambda uow: admission_steps.record_interview(
                uow,
                "nobody",
                Interview(outcome="proceed"),
                recorded_by="coach",
                recorded_at=datetime.now(UTC),
            ),
        )
    for name in (INTERVIEWS, OUTBOX, AUDIT_PENDING):
        assert await db.platform_collection(name).count_documents({}) == 0
    with pytest.raises(NoSuchVolunteer):
        await db.transact(
            ORG,
            lambda uow: admission_steps.sign_code(
                uow,
                "nobody",
                Signature(version=1, sha256=SHA, full_name="Anna"),
                signed_by="nobody",
                signed_at=datetime.now(UTC),
                known=known(),
            ),
        )
    assert await db.platform_collection(OUTBOX).count_documents({}) == 0


async def test_a_vog_the_copy_cannot_place_is_decided_by_reading(db: Database) -> None:
    """A VOG for nobody, or one the volunteer's role does not accept: the shortcut's check
    finds no match and writes nothing; run again reading the application, it says why."""
    now = datetime.now(UTC)

    def vog(volunteer: str, decide_by_copy: bool, facts: KnownFacts | None = None) -> Any:
        return lambda uow: admission_steps.record_vog(
            uow,
            volunteer,
            VOGRecord(
                issued_on=date.today() - timedelta(days=20),
                screening_aspects=[84],
                checked_by="coach",
            ),
            recorded_by="coach",
            recorded_at=now,
            handed_in=date.today(),
            known=facts or known(),
            decide_by_copy=decide_by_copy,
        )

    with pytest.raises(admission_steps.DecideByReading):
        await db.transact(ORG, vog("nobody", decide_by_copy=True))
    assert await db.platform_collection(AUDIT_PENDING).count_documents({}) == 0
    with pytest.raises(NoSuchVolunteer):
        await db.transact(ORG, vog("nobody", decide_by_copy=False))
    # A role the copy does not know yet (just defined elsewhere): decided by reading.
    facts = known()
    facts.roles.pop((ORG, "leader"))
    volunteer = str(uuid.uuid4())
    await db.tenant_collection(ORG, APPLICATIONS).insert_one(
        {"volunteer_id": volunteer, "application_id": volunteer, "role_id": "leader"}
    )
    await db.tenant_collection(ORG, "known_roles").insert_one(
        {"role_id": "leader", **RoleRequirements(works_with_minors=True).model_dump()}
    )
    await db.transact(ORG, vog(volunteer, decide_by_copy=True, facts=facts))
    assert await db.platform_collection(AUDIT_PENDING).count_documents({}) == 1
    assert facts.fallbacks == 1
