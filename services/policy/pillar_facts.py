"""Gathers what the pillar rules (`domain/pillars.py`) need from policy's collections."""

from __future__ import annotations

from services.policy.domain.pillars import PillarFacts
from services.policy.storage import ADMISSIONS, CODE_DRAFTS, CODES, POLICY_USAGE, ROLES, VCPS
from shared.domain.vog import RoleRequirements
from shared.storage.database import Database


async def load_pillar_facts(db: Database, org_id: str) -> PillarFacts:
    roles = [
        RoleRequirements.from_document(doc)
        for doc in await db.tenant_collection(org_id, ROLES).find()
    ]
    usage = await db.tenant_collection(org_id, POLICY_USAGE).find_one() or {}
    # The tally counts every interview since it was introduced; files still held show the
    # interviews of before, so the larger of the two is the truth.
    interviews_in_files = await db.tenant_collection(org_id, ADMISSIONS).count(
        {"interview": {"$ne": None}}
    )
    return PillarFacts(
        codes_published=await db.tenant_collection(org_id, CODES).count(),
        has_code_draft=await db.tenant_collection(org_id, CODE_DRAFTS).count() > 0,
        # Records from before `has_key` was kept were all appointed with a key.
        vcps_with_key=await db.tenant_collection(org_id, VCPS).count({"has_key": {"$ne": False}}),
        roles=roles,
        interviews_recorded=max(int(usage.get("interviews_recorded", 0)), interviews_in_files),
    )
