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
    # Interviews recorded: the files that hold one, and the erased files that held one (the
    # erasure sweep counts those). Not a tally per interview event: every batch of volunteer
    # events would then write one document per organisation, and policy's instances, each
    # with its own partitions, would conflict on it (README, "Sizing a province").
    # `interviews_recorded` is that earlier tally, which also counted what was erased since:
    # the larger of the two stays true for organisations from before.
    interviews_in_files = await collection(ADMISSIONS).count({"interview": {"$ne": None}})
    interviews_kept = interviews_in_files + int(usage.get("interviews_erased", 0))
    return PillarFacts(
        codes_published=await collection(CODES).count(),
        has_code_draft=await collection(CODE_DRAFTS).count() > 0,
        # Records from before `has_key` was kept were all appointed with a key.
        vcps_with_key=await collection(VCPS).count({"has_key": {"$ne": False}}),
        roles=roles,
        interviews_recorded=max(int(usage.get("interviews_recorded", 0)), interviews_kept),
    )
