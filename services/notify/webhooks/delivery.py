"""The webhook worker: claims due deliveries, POSTs them signed, and records each attempt.

Each attempt has one deadline for the whole request, far shorter than the claim lease, and
goes to the address that was vetted (see `sender.py`). An instance runs up to
CONCURRENT_DELIVERIES attempts at a time, of which one organisation may hold at most
`deliveries_per_org`: receivers that hang cannot take the slots of other organisations.

Success publishes WebhookDelivered. A failure schedules the next attempt per the retry
schedule (stored with the delivery, so a restart loses none); after the last one the
delivery has failed (DeliveryFailed), and after repeated failed deliveries the subscription
is disabled and the organisation's admins are mailed. Every notify instance runs a worker;
the claim makes sure an attempt is made by one of them.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from opentelemetry.trace import SpanKind
from prometheus_client import CollectorRegistry
from prometheus_client import Counter as PromCounter

from services.notify.claims import Claims, record_outcome
from services.notify.domain.cloudevent_body import STRUCTURED_CONTENT_TYPE
from services.notify.domain.mail_facts import WEBHOOKS_PAGE, Recipient
from services.notify.domain.mail_kinds import MailKind
from services.notify.domain.mail_planning import plan_mail
from services.notify.domain.retry_schedule import next_attempt_at, should_disable_subscription
from services.notify.domain.webhook_signature import signature_headers
from services.notify.mail.outbox import record_mails
from services.notify.read_model import load_facts
from services.notify.storage import DELIVERIES, WEBHOOKS
from services.notify.webhooks.outbox import (
    ACTIVE,
    CANCELLED,
    DELIVERED,
    DELIVERING,
    DISABLED,
    FAILED,
    PENDING,
)
from services.notify.webhooks.sender import AttemptOutcome, WebhookSender
from shared import trace_context
from shared.cancellation import raise_if_cancelled, wait_for_event
from shared.events.notifications import DeliveryFailed, WebhookDelivered
from shared.logs import get_logger
from shared.storage.database import Database
from shared.storage.tenancy import Document
from shared.storage.unit_of_work import UnitOfWork

log = get_logger(__name__)

# Longer than an attempt can take (its deadline, at most 30 s by the setting's bounds, and
# the recording), so no live claim runs out and no receiver gets a delivery twice at once.
CLAIM_LEASE = timedelta(seconds=60)
CONCURRENT_DELIVERIES = 8


class WebhookWorker:
    """A background task: the runtime runs and stops it."""

    name = "webhook-worker"

    def __init__(
        self,
        db: Database,
        holder: str,
        *,
        sender: WebhookSender,
        poll_seconds: float,
        retry_scale: float,
        deliveries_per_org: int,
        metrics: CollectorRegistry | None = None,
    ) -> None:
        self._db = db
        registry = metrics if metrics is not None else CollectorRegistry()
        self._attempts = PromCounter(
            "safehands_webhook_attempts_total",
            "Webhook POSTs, by outcome: delivered (a 2xx) or failed (to be tried again).",
            ["outcome"],
            registry=registry,
        )
        self._given_up = PromCounter(
            "safehands_webhook_deliveries_failed_total",
            "Webhook deliveries given up on after their last attempt (DeliveryFailed).",
            registry=registry,
        )
        self._claims = Claims(
            db.platform_collection(DELIVERIES), PENDING, DELIVERING, holder, CLAIM_LEASE
        )
        self._sender = sender
        self._poll_seconds = poll_seconds
        self._retry_scale = retry_scale
        # Set when this instance commits a delivery: it goes at once, not at the next poll.
        self._queued = db.written(DELIVERIES)
        self._per_org = deliveries_per_org
        self._slots = asyncio.Semaphore(CONCURRENT_DELIVERIES)
        self._busy: Counter[str] = Counter()
        self._in_flight: set[asyncio.Task[None]] = set()

    async def run(self) -> None:
        while True:
            raise_if_cancelled()  # a cancellation PyMongo lost (shared/cancellation.py)
            try:
                await self._slots.acquire()
                self._queued.clear()
                full = sorted(org for org, count in self._busy.items() if count >= self._per_org)
                delivery = await self._claims.claim_next(
                    {"org_id": {"$nin": full}} if full else None
                )
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                self._slots.release()
                log.warning(
                    "webhook worker failed, will retry", error=f"{type(exc).__name__}: {exc}"
                )
                await asyncio.sleep(self._poll_seconds)
                continue
            if delivery is None:
                self._slots.release()
                # The poll finds another instance's deliveries and retries that came due.
                await wait_for_event(self._queued, self._poll_seconds)
                continue
            self._busy[delivery["org_id"]] += 1
            task = asyncio.create_task(self._attempt_in_slot(delivery))
            self._in_flight.add(task)
            task.add_done_callback(self._in_flight.discard)

    async def _attempt_in_slot(self, delivery: Document) -> None:
        try:
            await self._attempt(delivery)
        except Exception as exc:
            # The claim runs out and another attempt follows; nothing is lost.
            log.warning(
                "webhook attempt could not be recorded",
                delivery_id=delivery["_id"],
                error=f"{type(exc).__name__}: {exc}",
            )
        finally:
            self._busy[delivery["org_id"]] -= 1
            if self._busy[delivery["org_id"]] <= 0:
                del self._busy[delivery["org_id"]]
            self._slots.release()

    async def _attempt(self, delivery: Document) -> None:
        # In the trace of the event the delivery carries (shared/trace_context.py).
        with trace_context.span_in(
            "notify deliver webhook", trace_context.of_stored(delivery), kind=SpanKind.CLIENT
        ):
            await self._attempt_traced(delivery)

    async def _attempt_traced(self, delivery: Document) -> None:
        org = delivery["org_id"]
        subscription = await self._db.tenant_collection(org, WEBHOOKS).find_one(
            {"webhook_id": delivery["webhook_id"]}
        )
        if subscription is None or subscription.get("status") != ACTIVE:
            await self._db.tenant_collection(org, DELIVERIES).update_one(
                self._claims.mine(delivery), {"$set": {"status": CANCELLED}}
            )
            return
        started = datetime.now(UTC)
        outcome = await self._post(subscription, delivery)
        self._attempts.labels("delivered" if outcome.error is None else "failed").inc()
        attempt = {
            "attempt": len(delivery.get("attempts", [])) + 1,
            "at": started,
            "status_code": outcome.status_code,
            "error": outcome.error,
            "duration_ms": int((datetime.now(UTC) - started).total_seconds() * 1000),
        }
        await record_outcome(lambda: self._record(delivery, subscription, attempt))

    async def _record(
        self, delivery: Document, subscription: Document, attempt: dict[str, Any]
    ) -> None:
        async with self._db.unit_of_work(delivery["org_id"]) as uow:
            if attempt["error"] is None:
                await self._delivered(uow, delivery, attempt)
            else:
                await self._attempt_failed(uow, delivery, subscription, attempt)

    async def _post(self, subscription: Document, delivery: Document) -> AttemptOutcome:
        body = delivery["body"].encode()
        headers = {
            "content-type": STRUCTURED_CONTENT_TYPE,
            "user-agent": "SafeHands-Webhooks/1",
            **signature_headers(subscription["secret"], delivery["_id"], int(time.time()), body),
        }
        return await self._sender.send(subscription["url"], body, headers, delivery["_id"])

    async def _delivered(
        self, uow: UnitOfWork, delivery: Document, attempt: dict[str, Any]
    ) -> None:
        if not await self._close(uow, delivery, attempt, DELIVERED, delivered_at=attempt["at"]):
            return
        await uow.collection(WEBHOOKS).update_one(
            {"webhook_id": delivery["webhook_id"]}, {"$set": {"consecutive_failed_deliveries": 0}}
        )
        uow.publish(
            WebhookDelivered(
                org_id=uow.org_id,
                delivery_id=delivery["_id"],
                webhook_id=delivery["webhook_id"],
                event_id=delivery["event_id"],
                event_type=delivery["event_type"],
                status_code=attempt["status_code"],
                attempts=attempt["attempt"],
            )
        )

    async def _close(
        self,
        uow: UnitOfWork,
        delivery: Document,
        attempt: dict[str, Any],
        status: str,
        **fields: object,
    ) -> bool:
        """Record the last attempt and the final status; False if the claim was lost."""
        marked = await uow.collection(DELIVERIES).update_one(
            self._claims.mine(delivery),
            {
                "$set": {"status": status, **fields},
                "$push": {"attempts": attempt},
                "$unset": {"lease_until": "", "next_attempt_at": ""},
            },
        )
        return bool(marked.modified_count)

    async def _attempt_failed(
        self,
        uow: UnitOfWork,
        delivery: Document,
        subscription: Document,
        attempt: dict[str, Any],
    ) -> None:
        first = delivery.get("first_attempt_at") or attempt["at"]
        due = next_attempt_at(first, attempt["attempt"])
        if due is not None:
            await uow.collection(DELIVERIES).update_one(
                self._claims.mine(delivery),
                {
                    "$set": {
                        "status": PENDING,
                        "first_attempt_at": first,
                        "next_attempt_at": first + (due - first) * self._retry_scale,
                    },
                    "$push": {"attempts": attempt},
                    "$unset": {"lease_until": ""},
                },
            )
            return
        if not await self._close(uow, delivery, attempt, FAILED, failed_at=attempt["at"]):
            return
        self._given_up.inc()
        failed_event_id = uow.publish(
            DeliveryFailed(
                org_id=uow.org_id,
                delivery_id=delivery["_id"],
                webhook_id=delivery["webhook_id"],
                event_id=delivery["event_id"],
                event_type=delivery["event_type"],
                attempts=attempt["attempt"],
                last_error=attempt["error"],
            )
        )
        counted = await uow.collection(WEBHOOKS).find_one_and_update(
            {"webhook_id": delivery["webhook_id"], "status": ACTIVE},
            {"$inc": {"consecutive_failed_deliveries": 1}},
            return_document=True,
        )
        if counted is None or not should_disable_subscription(
            counted["consecutive_failed_deliveries"]
        ):
            return
        await uow.collection(WEBHOOKS).update_one(
            {"webhook_id": delivery["webhook_id"]},
            {"$set": {"status": DISABLED, "disabled_at": attempt["at"]}},
        )
        facts = await load_facts(uow, {Recipient.ADMIN}, None)
        mails = plan_mail(
            MailKind.WEBHOOK_SUBSCRIPTION_DISABLED,
            Recipient.ADMIN,
            facts,
            webhook_id=subscription["webhook_id"],
            url_host=httpx.URL(subscription["url"]).host or "?",
            link=facts.addressing.link(WEBHOOKS_PAGE),
        )
        await record_mails(uow, mails, failed_event_id, None)
        log.warning("webhook subscription disabled", webhook_id=subscription["webhook_id"])

    async def close(self) -> None:
        """After `run()` ended: the attempts under way stop, their claims go back to the
        others, and the HTTP client closes."""
        for task in list(self._in_flight):
            task.cancel()
        with contextlib.suppress(BaseException):
            await asyncio.gather(*self._in_flight, return_exceptions=True)
        with contextlib.suppress(Exception):
            await self._claims.release_all()
        await self._sender.aclose()
