"""Read models that services keep of other services' events: one document per key (an
organisation, a role, a volunteer), created by the first event about it and updated by the
next, so that a redelivered event changes nothing. One copy of what intake, notify and
identity each wrote out."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from shared.events.admission import OrganisationRegistered
from shared.storage.tenancy import TenantCollection


async def upsert_by_key(
    collection: TenantCollection, key: Mapping[str, Any], fields: Mapping[str, Any]
) -> None:
    """Set `fields` on the document under `key` (`{}`: the organisation's one document)."""
    await collection.update_one(key, {"$set": dict(fields)}, upsert=True)


async def remember_organisation(
    collection: TenantCollection, event: OrganisationRegistered
) -> None:
    """Its name and language, which mails and pages are written in."""
    await upsert_by_key(collection, {}, {"name": event.name, "language": event.language})
