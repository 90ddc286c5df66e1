"""An organisation's webhook subscriptions, managed by its admin: made once vetted, removed
with their deliveries."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from services.notify.domain.errors import NoSuchWebhook
from services.notify.domain.webhook_subscriptions import vet_subscription
from services.notify.domain.webhook_targets import Resolver, resolve_host_addresses
from services.notify.storage import DELIVERIES, WEBHOOKS
from services.notify.webhooks.outbox import ACTIVE
from shared import audit
from shared.auth.dependencies import NOT_FOUND
from shared.events import REGISTRY
from shared.storage.unit_of_work import UnitOfWork


class NewSubscription(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str = Field(min_length=1, max_length=2048)
    event_types: list[str] = Field(min_length=1, max_length=100)
    secret: str = Field(min_length=1, max_length=200)


@dataclass(frozen=True)
class VettedSubscription:
    """A subscription `vet` let through: only such a one is stored."""

    url: str
    event_types: list[str]
    secret: str


async def vet(
    subscription: NewSubscription,
    *,
    allow_private_networks: bool,
    resolve: Resolver = resolve_host_addresses,
) -> VettedSubscription:
    """A safe target, a well-formed secret and known event types (without duplicates), or
    SubscriptionRefused. Before any transaction: the target check resolves the host name,
    off the event loop."""
    event_types = await asyncio.to_thread(
        vet_subscription,
        subscription.url,
        subscription.event_types,
        subscription.secret,
        known_types=REGISTRY,
        allow_private_networks=allow_private_networks,
        resolve=resolve,
    )
    return VettedSubscription(subscription.url, event_types, subscription.secret)


async def subscribe(
    uow: UnitOfWork, subscription: VettedSubscription, *, webhook_id: str, created_at: datetime
) -> None:
    """Deliver the organisation's events of the subscription's types to its URL from now on."""
    await uow.collection(WEBHOOKS).insert_one(
        {
            "_id": webhook_id,
            "webhook_id": webhook_id,
            "url": subscription.url,
            "event_types": subscription.event_types,
            "secret": subscription.secret,
            "status": ACTIVE,
            "consecutive_failed_deliveries": 0,
            "created_at": created_at,
        }
    )
    await audit.record(uow, "webhook.subscribed", "webhook", webhook_id)


async def unsubscribe(uow: UnitOfWork, webhook_id: str) -> None:
    """Remove a subscription with its deliveries; pending ones are not sent."""
    removed = await uow.collection(WEBHOOKS).delete_one({"webhook_id": webhook_id})
    if not removed.deleted_count:
        raise NoSuchWebhook(NOT_FOUND)
    await uow.collection(DELIVERIES).delete_many({"webhook_id": webhook_id})
    await audit.record(uow, "webhook.removed", "webhook", webhook_id)
