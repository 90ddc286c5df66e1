"""A volunteer's admission state, as the coordinator's pages and the volunteer's own read it
after every live hint (GET /v1/orgs/{org}/volunteers/{id}/admission), costs the database one
`find` and no transaction: in one, every read cost a commit too, and every read before the
first decision an abort (issue 27: 1.0 `abortTransaction` per volunteer at 20/s in
bench/admission.py). Counted against the real database with PyMongo's command monitoring,
through the route's own function."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest

from services.policy.domain.admission import AdmissionDecision, AdmissionStatus, AdmissionStep
from services.policy.domain.admission_file import AdmissionFile
from services.policy.domain.errors import NoSuchVolunteer
from services.policy.http_routes.admission import read_admission
from services.policy.storage import ADMISSIONS, INDEXES, file_document
from shared.auth.tokens import Principal
from shared.storage.database import Database
from tests.support.commands_spent import spent
from tests.support.platform import Infrastructure

ORG = "org-a"


@pytest.fixture
async def db(infra: Infrastructure) -> AsyncIterator[Database]:
    async with infra.scratch_database("policy_reads", INDEXES) as database:
        yield database


async def test_an_admission_is_read_with_one_find_and_no_transaction(db: Database) -> None:
    decided, undecided = str(uuid.uuid4()), str(uuid.uuid4())
    for volunteer_id, decision in (
        (
            decided,
            AdmissionDecision(status=AdmissionStatus.PENDING, missing=(AdmissionStep.INTERVIEW,)),
        ),
        (undecided, None),
    ):
        file = AdmissionFile(
            volunteer_id=volunteer_id,
            role_id="leader",
            decision=decision,
            last_activity=date(2026, 12, 6),
        )
        await db.tenant_collection(ORG, ADMISSIONS).insert_one(file_document(file))
    runtime = SimpleNamespace(db=db, transact=db.transact)
    coordinator = Principal(sub="c", org=ORG, roles=frozenset({"coordinator"}))

    def read(volunteer_id: str) -> Any:
        return lambda: read_admission(ORG, volunteer_id, coordinator, runtime)  # type: ignore[arg-type]

    answer, commands = await spent(db, read(decided), (NoSuchVolunteer,))
    assert (answer.status, answer.missing) == (AdmissionStatus.PENDING, [AdmissionStep.INTERVIEW])
    assert commands == {"find": 1}
    for volunteer_id in (undecided, str(uuid.uuid4())):
        answer, commands = await spent(db, read(volunteer_id), (NoSuchVolunteer,))
        assert isinstance(answer, NoSuchVolunteer)
        assert commands == {"find": 1}
