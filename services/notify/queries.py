"""notify's reads that decide nothing: what its GET routes show, as plain queries (a read
that feeds a decision goes through a use case instead). What notify remembers of other
services' events to address its mails is `read_model.py`."""

from __future__ import annotations

from services.notify.storage import DELIVERIES, WEBHOOKS
from shared.storage.database import Database
from shared.storage.tenancy import Document


async def subscriptions(db: Database, org: str) -> list[Document]:
    """The organisation's webhook subscriptions, oldest first, without their secrets."""
    return await db.tenant_collection(org, WEBHOOKS).find(
        {}, sort=[("created_at", 1)], projection={"secret": 0}
    )


async def has_subscription(db: Database, org: str, webhook_id: str) -> bool:
    return await db.tenant_collection(org, WEBHOOKS).count({"webhook_id": webhook_id}) > 0


async def latest_deliveries(db: Database, org: str, webhook_id: str, limit: int) -> list[Document]:
    """A subscription's latest deliveries, newest first, without their bodies."""
    return await db.tenant_collection(org, DELIVERIES).find(
        {"webhook_id": webhook_id},
        sort=[("created_at", -1)],
        limit=limit,
        projection={"body": 0},
    )
