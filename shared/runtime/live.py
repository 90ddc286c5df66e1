"""Live pages: `GET /v1/orgs/{org}/changes`, a stream of server-sent events that tells a
signed-in page *that* something it shows changed, so that it fetches again through the
routes it already uses. The stream carries hints only (a kind, and ids the person may
already see), never content.

How a hint reaches every instance of a service: it is written to the `changes` collection
in the transaction of the change itself (shared/storage/changes.py, for the events the
service publishes and those it consumes), and each instance's `ChangeFeed` polls that
collection and hands what is new to its `ChangeHub`, which fans it out to the streams open
on that instance. Polling the database rather than a Kafka consumer per instance: a
hint of a consumed event must not reach a page before the service committed what the event
changed (a topic would tell before the handler ran), the database is shared by every
instance anyway, and there is no consumer group per instance to clean up after. The
instance that commits hands its own hints to its feed after the commit
(`Database.committed_changes`), so its pages hear them at once without a read; the others
read them within `live_poll_seconds`. The feed reads only on that timer: a read looks
seconds back (see `ChangeFeed`), and reading on every commit, as it once did, read the last
ten seconds of hints again after each of policy's batches while a coordinator had a page
open.

A stream is authorised like any request (the token in the Authorization header, the
organisation and role checked by shared/auth), and again while it lasts: every
`live_membership_check_seconds` the membership is checked as on every request, and a
removed member's stream ends; it ends too when the token expires, and the page reconnects
with a renewed one.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
from bson import ObjectId
from fastapi import APIRouter, Depends, Request
from fastapi.responses import StreamingResponse
from fastapi.security import HTTPAuthorizationCredentials

from shared.auth.dependencies import bearer, require_org_role
from shared.auth.tokens import Principal
from shared.cancellation import raise_if_cancelled
from shared.logs import get_logger
from shared.storage.changes import Change

log = get_logger(__name__)

# A stream's queue holds this many hints; a page that falls further behind gets one
# "resync" hint instead (it fetches everything again), and the instance never grows.
QUEUE_SIZE = 64
RESYNC = {"kind": "resync"}


@dataclass(eq=False)
class Listener:
    """One open stream: whom it is for, and the hints waiting for it."""

    org_id: str
    sub: str
    roles: frozenset[str]
    queue: asyncio.Queue[dict[str, str]] = field(
        default_factory=lambda: asyncio.Queue(maxsize=QUEUE_SIZE)
    )
    overflowed: bool = False

    def hears(self, change: Change) -> bool:
        if change.org_id != self.org_id:
            return False
        return bool(self.roles & change.roles) or (
            change.subject is not None and change.subject == self.sub
        )

    def offer(self, hint: dict[str, str]) -> None:
        try:
            self.queue.put_nowait(hint)
        except asyncio.QueueFull:
            self.overflowed = True

    async def next(self) -> dict[str, str]:
        if self.overflowed:
            self.overflowed = False
            while not self.queue.empty():
                self.queue.get_nowait()
            return RESYNC
        return await self.queue.get()


def hint_of(change: Change) -> dict[str, str]:
    """What a page is told: the kind and the ids, nothing else of the change."""
    return {"kind": change.kind, **dict(change.ids)}


class ChangeHub:
    """Fans hints out to the streams open on this instance, each to those who may hear it."""

    def __init__(self) -> None:
        self._listeners: set[Listener] = set()

    @contextlib.contextmanager
    def listen(self, principal: Principal, org_id: str) -> Any:
        listener = Listener(org_id, principal.sub, frozenset(principal.roles))
        self._listeners.add(listener)
        try:
            yield listener
        finally:
            self._listeners.discard(listener)

    def publish(self, change: Change) -> None:
        hint = hint_of(change)
        for listener in list(self._listeners):
            if listener.hears(change):
                listener.offer(hint)

    @property
    def listening(self) -> int:
        return len(self._listeners)


class ChangeFeed:
    """Polls the `changes` collection and publishes what is new to the hub: every instance
    hears every change. A transaction's ObjectId is made before it commits, so a hint may
    land behind a later one: each poll looks `lookback` back and skips what it already saw.
    This instance's own hints come through `committed`, at once."""

    name = "live-changes"

    def __init__(
        self,
        collection: Any,
        hub: ChangeHub,
        *,
        poll_seconds: float,
        lookback_seconds: float = 10.0,
    ) -> None:
        self._collection = collection
        self._hub = hub
        self._poll = poll_seconds
        self._lookback = timedelta(seconds=lookback_seconds)
        self._seen: dict[ObjectId, datetime] = {}
        self._since = datetime.now(UTC)

    def committed(self, documents: Sequence[dict[str, Any]]) -> None:
        """Hints this instance just committed: published now, and skipped when a poll
        finds them."""
        if not self._hub.listening:
            return  # nobody to tell; a page that opens reads everything anyway
        now = datetime.now(UTC)
        for doc in documents:
            if doc["_id"] not in self._seen:
                self._seen[doc["_id"]] = now
                self._hub.publish(Change.from_document(doc))

    async def poll_once(self) -> int:
        """Publish the hints committed since the last poll; how many."""
        now = datetime.now(UTC)
        floor = ObjectId.from_datetime(min(self._since, now) - self._lookback)
        published = 0
        cursor = self._collection.find({"_id": {"$gt": floor}}, sort=[("_id", 1)])
        async for doc in cursor:
            if doc["_id"] in self._seen:
                continue
            self._seen[doc["_id"]] = now
            # A hint older than this feed is not news to any page that opened since.
            if doc["_id"].generation_time < self._since - self._lookback:
                continue
            self._hub.publish(Change.from_document(doc))
            published += 1
        horizon = now - 2 * self._lookback
        self._seen = {k: v for k, v in self._seen.items() if k.generation_time >= horizon}
        self._since = now
        return published

    async def run(self) -> None:
        while True:
            raise_if_cancelled()  # a cancellation PyMongo lost (shared/cancellation.py)
            try:
                if self._hub.listening:
                    await self.poll_once()
                else:
                    # Nobody listens: nothing to tell, but keep the window current.
                    self._since = datetime.now(UTC)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                # The database is away for a moment: pages poll meanwhile; try again.
                log.warning("live changes not readable", error=type(exc).__name__)
            await asyncio.sleep(self._poll)

    async def close(self) -> None:
        return None


def sse(event: str, data: dict[str, Any]) -> bytes:
    return f"event: {event}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n".encode()


def token_expiry(token: str) -> float | None:
    """The verified token's `exp` (epoch seconds): the stream ends then, and the page
    reconnects with a renewed token."""
    try:
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        return None
    exp = claims.get("exp")
    return float(exp) if isinstance(exp, int | float) else None


async def stream(
    listener: Listener,
    *,
    still_member: Callable[[], Awaitable[bool]],
    expires_at: float | None,
    closing: Callable[[], bool] = lambda: False,
    check_seconds: float,
    keepalive_seconds: float,
) -> AsyncIterator[bytes]:
    """The stream's bytes: `ready`, then a `change` per hint, a comment to keep proxies from
    closing a quiet connection, and `end` when the membership or the token ends, or the
    service stops (`closing`)."""
    yield sse("ready", {})
    last_check = last_sent = time.monotonic()
    waiting: asyncio.Task[dict[str, str]] | None = None
    try:
        while True:
            now = time.monotonic()
            if closing():
                # The service stops: the page reconnects (to another instance, or this
                # one when it is back) and reads again.
                yield sse("end", {"reason": "service stopping"})
                return
            if expires_at is not None and time.time() >= expires_at:
                yield sse("end", {"reason": "token expired"})
                return
            if now - last_check >= check_seconds:
                last_check = now
                try:
                    member = await still_member()
                except Exception as exc:
                    # Membership cannot be checked (the database is away): end rather than
                    # go on unchecked; the page polls and reconnects with backoff.
                    log.warning(
                        "live stream ended: membership not checkable", error=type(exc).__name__
                    )
                    yield sse("end", {"reason": "try again"})
                    return
                if not member:
                    yield sse("end", {"reason": "not a member"})
                    return
            if now - last_sent >= keepalive_seconds:
                last_sent = now
                yield b": keep-alive\n\n"
            if waiting is None:
                waiting = asyncio.ensure_future(listener.next())
            done, _ = await asyncio.wait({waiting}, timeout=min(check_seconds, keepalive_seconds))
            if done:
                hint = waiting.result()
                waiting = None
                last_sent = time.monotonic()
                yield sse("change", hint)
    finally:
        if waiting is not None:
            waiting.cancel()


# Any member of the organisation: what each hears is the hub's to decide (Listener.hears).
member_of_org = require_org_role("admin", "coordinator", "vcp", "volunteer")


def changes_router() -> APIRouter:
    router = APIRouter(tags=["live pages"])

    @router.get(
        "/v1/orgs/{org}/changes",
        summary="Hints that something the person's pages show changed (text/event-stream).",
        response_class=StreamingResponse,
        responses={200: {"content": {"text/event-stream": {}}}},
    )
    async def changes(
        org: str,
        request: Request,
        principal: Principal = Depends(member_of_org),
        credentials: HTTPAuthorizationCredentials | None = Depends(bearer),
    ) -> StreamingResponse:
        runtime = request.app.state.runtime
        settings = runtime.settings
        hub: ChangeHub = runtime.change_hub

        async def still_member() -> bool:
            check = runtime.membership_check
            return check is None or bool(await check(runtime, principal))

        async def body() -> AsyncIterator[bytes]:
            with hub.listen(principal, org) as listener:
                async for chunk in stream(
                    listener,
                    still_member=still_member,
                    closing=lambda: bool(getattr(runtime, "closing", False)),
                    expires_at=token_expiry(credentials.credentials) if credentials else None,
                    check_seconds=settings.live_membership_check_seconds,
                    keepalive_seconds=settings.live_keepalive_seconds,
                ):
                    yield chunk

        return StreamingResponse(
            body(),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
        )

    return router
