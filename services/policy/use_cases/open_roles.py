"""Listing a role on the regional page (/vacatures), and finding the region's open roles."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, Field, StrictBool

from services.policy.domain.errors import NoSuchRole
from services.policy.domain.open_roles import OpenRole, search
from services.policy.storage import ORGANISATIONS, ROLE_LISTINGS, ROLES
from services.policy.use_cases.organisations import registered_organisation
from shared import audit
from shared.domain.names import Name
from shared.events.region import RoleListingChanged
from shared.storage.database import Database
from shared.storage.unit_of_work import UnitOfWork

MAX_TEXT_LENGTH = 1000
# More than a region holds; what the search reads across organisations stays bounded.
MAX_LISTINGS_READ = 5000

ShortLine = Annotated[Name, Field(max_length=100)]


class RoleListing(BaseModel):
    # Strict: JSON `1` is no true; off by default, per role.
    listed: StrictBool = False
    place: ShortLine = Field(description="Where the work is done: a town or a district.")
    hours: ShortLine = Field(description="How much time it asks, as people say it.")
    text: str = Field(default="", max_length=MAX_TEXT_LENGTH, description="A short text.")


class OpenRoleView(BaseModel):
    org_id: str
    organisation: str
    role_id: str
    title: str
    place: str
    hours: str
    vog_required: bool
    text: str
    # Where applying starts: the organisation's own admission, with this role chosen.
    apply_path: str


class OpenRolePage(BaseModel):
    items: list[OpenRoleView]
    total: int
    page: int
    page_size: int
    pages: int


async def list_role(uow: UnitOfWork, role_id: str, listing: RoleListing) -> dict[str, Any]:
    """Set a role's listing; NoSuchRole when the organisation has no such role."""
    await registered_organisation(uow)
    if await uow.collection(ROLES).find_one({"role_id": role_id}) is None:
        raise NoSuchRole(role_id)
    stored = {"role_id": role_id, **listing.model_dump()}
    await uow.collection(ROLE_LISTINGS).replace_one({"role_id": role_id}, stored, upsert=True)
    await audit.record(uow, "role.listing_changed", "role", role_id)
    uow.publish(RoleListingChanged(org_id=uow.org_id, role_id=role_id, listed=listing.listed))
    return listing.model_dump()


async def find_open_roles(
    db: Database, words: str, place: str, page: int, page_size: int
) -> OpenRolePage:
    """Across organisations, read-only: the one query a visitor makes of every listing.
    Organisations that are not findable are left out here, whatever their roles say."""
    listings = await (
        db.platform_collection(ROLE_LISTINGS)
        .find({"listed": True}, limit=MAX_LISTINGS_READ)
        .to_list()
    )
    org_ids = sorted({doc["org_id"] for doc in listings})
    organisations = {
        doc["org_id"]: doc["name"]
        for doc in await db.platform_collection(ORGANISATIONS)
        .find(
            {"org_id": {"$in": org_ids}, "settings.listed": {"$ne": False}},
            projection={"org_id": 1, "name": 1},
        )
        .to_list()
    }
    roles = {
        (doc["org_id"], doc["role_id"]): doc
        for doc in await db.platform_collection(ROLES)
        .find({"org_id": {"$in": list(organisations)}})
        .to_list()
    }
    candidates = [
        OpenRole(
            org_id=doc["org_id"],
            organisation=organisations[doc["org_id"]],
            role_id=doc["role_id"],
            title=role["title"],
            place=doc["place"],
            hours=doc["hours"],
            text=doc.get("text", ""),
            vog_required=bool(role.get("vog_required")),
        )
        for doc in listings
        if doc["org_id"] in organisations
        and (role := roles.get((doc["org_id"], doc["role_id"]))) is not None
    ]
    found = search(candidates, words, place, page, page_size)
    return OpenRolePage(
        items=[
            OpenRoleView(**vars(role), apply_path=f"/o/{role.org_id}/apply?role={role.role_id}")
            for role in found.items
        ],
        total=found.total,
        page=page,
        page_size=page_size,
        pages=max(1, -(-found.total // page_size)),
    )
