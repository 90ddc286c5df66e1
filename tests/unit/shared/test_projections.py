"""The shared pieces of read models: one document per key, the highest of a field, and a
role's requirements from a stored role (tests/support/fake_unit_of_work.py: no database)."""

from __future__ import annotations

from shared.domain.vog import RoleRequirements
from shared.events.admission import OrganisationRegistered
from shared.storage.projections import remember_organisation, upsert_by_key
from tests.support.fake_unit_of_work import FakeUnitOfWork


async def test_one_document_per_key_updated_by_each_event_and_unchanged_by_a_redelivery() -> None:
    uow = FakeUnitOfWork("club")
    roles = uow.collection("roles")
    await upsert_by_key(roles, {"role_id": "coach"}, {"title": "Coach"})
    await upsert_by_key(roles, {"role_id": "driver"}, {"title": "Driver"})
    await upsert_by_key(roles, {"role_id": "coach"}, {"title": "Youth coach"})
    await upsert_by_key(roles, {"role_id": "coach"}, {"title": "Youth coach"})

    stored = await roles.find({}, sort=[("role_id", 1)], projection={"_id": 0})
    assert stored == [
        {"org_id": "club", "role_id": "coach", "title": "Youth coach"},
        {"org_id": "club", "role_id": "driver", "title": "Driver"},
    ]


async def test_an_organisation_is_remembered_once_with_its_latest_name_and_language() -> None:
    uow = FakeUnitOfWork("club")
    organisations = uow.collection("organisations")
    await remember_organisation(organisations, OrganisationRegistered(org_id="club", name="C"))
    renamed = OrganisationRegistered(org_id="club", name="Club", language="en")
    await remember_organisation(organisations, renamed)

    assert await organisations.find({}, projection={"_id": 0}) == [
        {"org_id": "club", "name": "Club", "language": "en"}
    ]


async def test_the_highest_version_is_found_whatever_the_order_it_arrived_in() -> None:
    uow = FakeUnitOfWork("club")
    codes = uow.collection("codes")
    assert await codes.find_highest("version") is None
    for version in (2, 3, 1):
        await codes.insert_one({"version": version, "sha256": f"{version}" * 64})
    other = uow.for_org("other").collection("codes")
    await other.insert_one({"version": 9, "sha256": "9" * 64})

    current = await codes.find_highest("version", projection={"_id": 0, "version": 1})
    assert current == {"version": 3}


def test_a_stored_role_gives_its_requirements_and_nothing_else() -> None:
    stored = {
        "org_id": "club",
        "role_id": "coach",
        "title": "Coach",
        "works_with_minors": True,
        "works_with_vulnerable": False,
        "vog_required": True,
        "vog_max_age_days": 90,
        "vog_renewal_years": 2,
    }
    assert RoleRequirements.from_document(stored) == RoleRequirements(
        works_with_minors=True, vog_max_age_days=90, vog_renewal_years=2
    )
