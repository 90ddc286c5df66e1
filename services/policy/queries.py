"""policy's reads that decide nothing: what its GET routes show, as plain queries.

A route that only reads asks here (cosmicpython's `views.py`); a read that feeds a decision
goes through a use case and its unit of work instead. Reads across organisations are
marked so where they are: the operator and the regional centre serve every organisation.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from services.policy.domain.admission import AdmissionDecision
from services.policy.domain.advice import OPEN
from services.policy.storage import (
    ADMISSIONS,
    ADVICE_REQUESTS,
    ORGANISATIONS,
    TRAINING_REGISTRATIONS,
    TRAININGS,
    file_from,
)
from shared.storage.database import Database
from shared.storage.tenancy import Document
from shared.tenants import REGIONAL_CENTRE

NOT_CANCELLED = {"$ne": "cancelled"}


async def admission_decision(db: Database, org: str, volunteer_id: str) -> AdmissionDecision | None:
    """The decision on a volunteer's admission; None when the organisation has no file of
    that id, or one not decided on yet. One read, outside a transaction: the coordinator's
    pages and the volunteer's own read it after every hint, and a transaction around it cost
    a commit (or, before the first decision, an abort) each time."""
    doc = await db.tenant_collection(org, ADMISSIONS).find_one({"volunteer_id": volunteer_id})
    file = file_from(doc) if doc else None
    return file.decision if file else None


async def advice_requests(db: Database, org: str) -> list[Document]:
    """The organisation's advice requests, newest first."""
    return await db.tenant_collection(org, ADVICE_REQUESTS).find(sort=[("requested_at", -1)])


async def open_advice_requests(db: Database, limit: int) -> list[dict[str, Any]]:
    """Every organisation's open advice requests, oldest first (across organisations: the
    operator's queue)."""
    found: list[dict[str, Any]] = await (
        db.platform_collection(ADVICE_REQUESTS)
        .find({"status": OPEN}, limit=limit)
        .sort([("requested_at", 1)])
        .to_list()
    )
    return found


async def organisations_page(
    db: Database, offset: int, limit: int
) -> tuple[int, list[dict[str, Any]]]:
    """How many organisations there are, and one page of them by id (across organisations:
    the operator's overview)."""
    organisations = db.platform_collection(ORGANISATIONS)
    total = await organisations.count_documents({})
    page: list[dict[str, Any]] = await (
        organisations.find({}, projection={"org_id": 1, "name": 1, "language": 1})
        .sort([("org_id", 1)])
        .skip(offset)
        .limit(limit)
        .to_list()
    )
    return total, page


async def organisation_names(db: Database, orgs: Collection[str]) -> dict[str, str]:
    """Each organisation's name (its id where it has none)."""
    return {
        org["org_id"]: org.get("name") or org["org_id"]
        async for org in db.platform_collection(ORGANISATIONS).find(
            {"org_id": {"$in": list(orgs)}}, projection={"org_id": 1, "name": 1}
        )
    }


async def trainings_since(db: Database, since: datetime, limit: int) -> list[Document]:
    """The regional centre's trainings that start from `since` on, soonest first."""
    return await db.tenant_collection(REGIONAL_CENTRE, TRAININGS).find(
        {"starts_at": {"$gte": since}}, sort=[("starts_at", 1)], limit=limit
    )


async def training(db: Database, training_id: str) -> Document | None:
    return await db.tenant_collection(REGIONAL_CENTRE, TRAININGS).find_one(
        {"training_id": training_id}
    )


async def registrations_for(db: Database, training_id: str) -> list[Document]:
    """A training's registrations, not cancelled, by organisation and time (across
    organisations: the centre runs the training for all)."""
    return await db.tenant_collection(REGIONAL_CENTRE, TRAINING_REGISTRATIONS).find(
        {"training_id": training_id, "status": NOT_CANCELLED},
        sort=[("member_org", 1), ("registered_at", 1)],
    )


async def own_registrations(db: Database, org: str, member_id: str, limit: int) -> list[Document]:
    """One member's registrations, not cancelled, soonest first."""
    return await db.tenant_collection(REGIONAL_CENTRE, TRAINING_REGISTRATIONS).find(
        {"member_org": org, "member_id": member_id, "status": NOT_CANCELLED},
        sort=[("starts_at", 1)],
        limit=limit,
    )


async def waiting_before(db: Database, registration: Document) -> int:
    """How many wait for the same training ahead of this waiting registration."""
    return await db.tenant_collection(REGIONAL_CENTRE, TRAINING_REGISTRATIONS).count(
        {
            "training_id": registration["training_id"],
            "status": "waiting",
            "queued_at": {"$lt": registration["queued_at"]},
        }
    )


async def own_registration(
    db: Database, org: str, member_id: str, registration_id: str
) -> Document | None:
    return await db.tenant_collection(REGIONAL_CENTRE, TRAINING_REGISTRATIONS).find_one(
        {"registration_id": registration_id, "member_org": org, "member_id": member_id}
    )
