"""A document or event of organisation A is never reachable through organisation B's scope."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest

from shared.events.admission import VolunteerDataErased
from shared.storage.database import Database
from shared.storage.tenancy import TenancyViolation
from tests.support.platform import Infrastructure, Platform


@pytest.fixture
async def db(infra: Infrastructure) -> AsyncIterator[Database]:
    async with infra.scratch_database("tenancy") as database:
        yield database
    await database.close()


async def test_scoped_queries_never_see_another_organisation(db: Database) -> None:
    async with db.unit_of_work("org-a") as uow:
        await uow.collection("things").insert_many([{"thing": 1}, {"thing": 2}])
    async with db.unit_of_work("org-b") as uow:
        await uow.collection("things").insert_one({"thing": 1})

    a, b = db.tenant_collection("org-a", "things"), db.tenant_collection("org-b", "things")
    assert await a.count() == 2
    assert await b.count() == 1
    assert await b.find_one({"thing": 2}) is None
    assert [d["org_id"] for d in await b.find({})] == ["org-b"]
    assert await b.aggregate([{"$group": {"_id": None, "n": {"$sum": 1}}}]) == [
        {"_id": None, "n": 1}
    ]

    # Writes through B's scope cannot reach A's documents either.
    assert (await b.update_many({}, {"$set": {"touched": True}})).modified_count == 1
    assert (await b.delete_many({"thing": 2})).deleted_count == 0
    assert await a.count({"touched": True}) == 0
    assert await a.count() == 2


async def test_naming_another_organisation_is_a_violation(db: Database) -> None:
    b = db.tenant_collection("org-b", "things")
    with pytest.raises(TenancyViolation):
        await b.find_one({"org_id": "org-a"})
    with pytest.raises(TenancyViolation):
        await b.insert_one({"org_id": "org-a", "thing": 3})
    with pytest.raises(TenancyViolation):
        await b.update_one({}, {"$set": {"org_id": "org-a"}})
    with pytest.raises(TenancyViolation):
        await b.aggregate([{"$lookup": {"from": "other", "as": "x", "pipeline": []}}])
    assert await db.tenant_collection("org-a", "things").count() == 0


async def test_an_event_for_another_organisation_cannot_be_published(db: Database) -> None:
    with pytest.raises(TenancyViolation):
        async with db.unit_of_work("org-b") as uow:
            await uow.collection("things").insert_one({"thing": "half-written"})
            uow.publish(VolunteerDataErased(org_id="org-a", volunteer_id="v-1"))
    # The transaction was rolled back: nothing half-written stays behind.
    assert await db.tenant_collection("org-b", "things").count() == 0
    assert await db.platform_collection("outbox").count_documents({}) == 0


def test_another_organisations_token_answers_404(platform: Platform, infra: Infrastructure) -> None:
    policy = platform.start("policy")
    org_a, org_b = f"org-{uuid.uuid4().hex[:6]}", f"org-{uuid.uuid4().hex[:6]}"
    operator = {"authorization": f"Bearer {infra.token('operator')}"}
    with policy.client() as http:
        for org in (org_a, org_b):
            assert (
                http.post(
                    "/v1/orgs", json={"org_id": org, "name": org}, headers=operator
                ).status_code
                == 201
            )
        admin_b = {"authorization": f"Bearer {infra.token('admin', org_b)}"}
        role = {"title": "Coach", "works_with_minors": True, "works_with_vulnerable": False}
        answer = http.put(f"/v1/orgs/{org_a}/roles/coach", json=role, headers=admin_b)
        assert answer.status_code == 404
        assert (
            http.put(f"/v1/orgs/{org_b}/roles/coach", json=role, headers=admin_b).status_code == 200
        )
