"""The organisations a visitor of the home page can find by name: every registered one,
except those whose admin chose not to be listed (settings `listed`); their page stays
reachable at its own address."""

from __future__ import annotations

from pydantic import BaseModel
from pymongo.asynchronous.collection import AsyncCollection

from services.policy.domain.directory import ListedOrganisation, find_by_name
from shared.storage.tenancy import Document


class FoundOrganisation(BaseModel):
    org_id: str
    name: str


async def find_organisations(
    organisations: AsyncCollection[Document], query: str
) -> list[FoundOrganisation]:
    """Looked up across organisations: the one query a visitor may make of all of them."""
    listed = await organisations.find(
        {"settings.listed": {"$ne": False}}, projection={"org_id": 1, "name": 1}
    ).to_list()
    candidates = (ListedOrganisation(doc["org_id"], doc["name"]) for doc in listed)
    return [
        FoundOrganisation(org_id=found.org_id, name=found.name)
        for found in find_by_name(candidates, query)
    ]
