"""Gathers what the pillar rules (`domain/pillars.py`) need from policy's collections."""

from __future__ import annotations

from collections.abc import Callable

from services.policy.domain.pillars import PillarFacts
from services.policy.storage import ADMISSIONS, CODE_DRAFTS, CODES, POLICY_USAGE, ROLES, VCPS
from shared.domain.vog import RoleRequirements
from shared.storage.tenancy import TenantCollection

# One organisation's collection by name: `uow.collection` inside a unit of work, or
# `partial(db.tenant_collection, org_id)` for the operator's read across organisations.
CollectionOf = Callable[[str], TenantCollection]


async def load_pillar_facts(collection: CollectionOf) -> PillarFacts:
    roles = [RoleRequirements.from_document(doc) for doc in await collection(ROLES).find()]
    usage = await collection(POLICY_USAGE).find_one() or {}
    # The tally counts every interview since it was introduced; files still held show the
    # interviews of before, so the larger of the two is the truth.
    interviews_in_files = await collection(ADMISSIONS).count({"interview": {"$ne": None}})
    return PillarFacts(
        codes_published=await collection(CODES).count(),
        has_code_draft=await collection(CODE_DRAFTS).count() > 0,
        # Records from before `has_key` was kept were all appointed with a key.
        vcps_with_key=await collection(VCPS).count({"has_key": {"$ne": False}}),
        roles=roles,
        interviews_recorded=max(int(usage.get("interviews_recorded", 0)), interviews_in_files),
    )
