"""Webhook subscriptions of an organisation, managed by its admin (docs/api.md, notify;
services/notify/use_cases/webhooks.py decides)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Depends, Response, status
from pydantic import BaseModel

from services.notify import queries
from services.notify.domain.attempt_outcomes import shown_error
from services.notify.domain.errors import NoSuchWebhook
from services.notify.use_cases import webhooks
from services.notify.use_cases.webhooks import NewSubscription
from shared.auth.dependencies import NOT_FOUND, require_org_role
from shared.events.base import to_the_day
from shared.runtime.runtime import Runtime, runtime_of

router = APIRouter(prefix="/v1/orgs/{org}/webhooks", tags=["webhooks"])
admin = Depends(require_org_role("admin"))

DELIVERIES_SHOWN = 100


class Created(BaseModel):
    webhook_id: str


class Subscription(BaseModel):
    """A subscription as its admin sees it: never its secret."""

    webhook_id: str
    url: str
    event_types: list[str]
    status: str
    consecutive_failed_deliveries: int
    created_at: datetime
    disabled_at: datetime | None


class Attempt(BaseModel):
    attempt: int
    at: datetime
    status_code: int | None
    error: str | None
    duration_ms: int


class Delivery(BaseModel):
    delivery_id: str
    event_id: str
    event_type: str
    status: str
    created_at: datetime
    next_attempt_at: datetime | None
    attempts: list[Attempt]


@router.post("", status_code=status.HTTP_201_CREATED, dependencies=[admin])
async def subscribe(
    org: str, body: NewSubscription, runtime: Runtime = Depends(runtime_of)
) -> Created:
    """Deliver the organisation's events of `event_types` to `url`, signed with `secret`."""
    vetted = await webhooks.vet(
        body, allow_private_networks=runtime.settings.webhooks_allow_private_networks
    )
    webhook_id = str(uuid.uuid4())
    created_at = datetime.now(UTC)
    await runtime.transact(
        org,
        lambda uow: webhooks.subscribe(uow, vetted, webhook_id=webhook_id, created_at=created_at),
    )
    return Created(webhook_id=webhook_id)


def _public(subscription: dict[str, Any]) -> dict[str, Any]:
    return {
        "webhook_id": subscription["webhook_id"],
        "url": subscription["url"],
        "event_types": subscription["event_types"],
        "status": subscription["status"],
        "consecutive_failed_deliveries": subscription.get("consecutive_failed_deliveries", 0),
        "created_at": subscription["created_at"],
        "disabled_at": subscription.get("disabled_at"),
    }


@router.get("", dependencies=[admin])
async def list_subscriptions(
    org: str, runtime: Runtime = Depends(runtime_of)
) -> list[Subscription]:
    """The organisation's subscriptions, without their secrets."""
    return [
        Subscription(**_public(subscription))
        for subscription in await queries.subscriptions(runtime.db, org)
    ]


@router.delete("/{webhook_id}", status_code=status.HTTP_204_NO_CONTENT, dependencies=[admin])
async def unsubscribe(
    org: str, webhook_id: str, runtime: Runtime = Depends(runtime_of)
) -> Response:
    """Remove a subscription with its deliveries; pending ones are not sent."""
    await runtime.transact(org, lambda uow: webhooks.unsubscribe(uow, webhook_id))
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/{webhook_id}/deliveries", dependencies=[admin])
async def deliveries(
    org: str, webhook_id: str, runtime: Runtime = Depends(runtime_of)
) -> list[Delivery]:
    """The latest deliveries, newest first, each with its attempts' status codes and times."""
    if not await queries.has_subscription(runtime.db, org, webhook_id):
        raise NoSuchWebhook(NOT_FOUND)
    found = await queries.latest_deliveries(runtime.db, org, webhook_id, DELIVERIES_SHOWN)
    return [Delivery(**_delivery_view(delivery)) for delivery in found]


def _delivery_view(delivery: dict[str, Any]) -> dict[str, Any]:
    # A delivery of a report event happens the moment the report does: its times are shown
    # to the day, as the event gives them (issue 19).
    when = _to_the_day if delivery.get("about_a_report") else _as_is
    return {
        "delivery_id": delivery["_id"],
        "event_id": delivery["event_id"],
        "event_type": delivery["event_type"],
        "status": delivery["status"],
        "created_at": when(delivery["created_at"]),
        "next_attempt_at": when(delivery.get("next_attempt_at")),
        "attempts": [
            {
                "attempt": attempt["attempt"],
                "at": when(attempt["at"]),
                "status_code": attempt["status_code"],
                "error": shown_error(attempt["error"]),
                "duration_ms": attempt["duration_ms"],
            }
            for attempt in delivery.get("attempts", [])
        ],
    }


def _as_is(moment: datetime | None) -> datetime | None:
    return moment


def _to_the_day(moment: datetime | None) -> datetime | None:
    return None if moment is None else to_the_day(moment)
