"""identity's reads that decide nothing: what its GET routes show, as plain queries (a read
that feeds a decision goes through a use case instead)."""

from __future__ import annotations

from typing import Any

from services.identity.storage import MEMBERSHIPS, REFRESH_TOKENS
from shared.storage.database import Database
from shared.storage.tenancy import Document


async def unrevoked_refresh_tokens(db: Database, address: str) -> list[dict[str, Any]]:
    """A person's refresh tokens that were not revoked, without their hashes."""
    found: list[dict[str, Any]] = await (
        db.platform_collection(REFRESH_TOKENS)
        .find({"email": address, "revoked_at": None}, projection={"_id": 0, "token_hash": 0})
        .to_list()
    )
    return found


async def memberships(db: Database, org: str) -> list[Document]:
    """The organisation's members, longest-standing first."""
    return await db.tenant_collection(org, MEMBERSHIPS).find(
        {}, sort=[("since", 1), ("member_id", 1)]
    )
