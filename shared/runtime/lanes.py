"""Lanes: at most so many requests of one kind in flight on an instance. The next ones wait
a moment in a short queue for a place; beyond that queue, or after that moment, they are
answered 503 with Retry-After, before they reach the database.

Why. A crowd of applications faster than the database takes them (a botnet solves the
proof of work too) queued there with everything else for as long as it lasted:
`bench/crowd.py`, 400 applications a second for 10 s on the embedded database, answered
them after 4 to 44 s, and a report sent meanwhile waited in the same queue (in one run of
three, 20 of 75 reports were refused when the database did not answer within its 10 s).
A lane keeps that queue short instead: the applications taken are answered in time, the
rest are told at once to try again in a moment (the apply page says "too many
applications right now"), and a report finds the database answering (none refused with
the lane; README, "A crowd of applications, and the reports beside it"). Since the
database's stall behind its longest statement was removed it keeps up with that crowd,
and the lane still keeps a report's p99 at 192 ms rather than 414 (README, "After the
three database changes").

Why a short queue before the refusal. A lane that refused the moment it was full also
refused the applications of a burst of a few hundred milliseconds (a commit the database
took longer over, a pause of the collector) on an instance that keeps up: at 300 a second
it turned away 9 to 53 of 600. A request that waits holds no database work, only its
place in the queue, so the database's queue stays as short as the lane; what a burst costs
is the wait, at most `patience`, instead of a refusal. The queue is as long as the lane,
and first come, first served: a freed place goes to the longest waiting, never to one just
arrived.

But only for a burst. Under a crowd the queue hands every freed place straight to the next
application, so the lane never has a gap and the instance takes all its CPU allows; at 400
a second that left no room, and the taken applications waited in the kernel's queue for
up to a second and a half before the instance read them, and the reports beside them
longer too (README, "A moment's wait before the lane refuses"). Refusing at once, as
before, leaves that room. So a lane that has been full for longer than `CROWD_AFTER` is
taken for a crowd: nobody waits, until a place is free again.

Only anonymous applications have a lane: anyone can send them, in any number, and
sending one again costs the applicant nothing (the form keeps what they typed). A report
has none: a report must never be refused because of others' crowd. Staff's steps (an
interview, a VOG) come from a handful of people and are not bounded either.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Mapping

from fastapi import HTTPException, Request, status

from shared.http.openapi import answers

APPLICATIONS = "applications"
# Long enough for a crowd to thin; short enough that a person who tries again finds a place.
RETRY_AFTER_SECONDS = 2
# A lane full for longer than this is a crowd, not a burst: beyond it nobody waits.
CROWD_AFTER = 0.5


class Lanes:
    """How many requests of each lane are in flight on this instance, and who waits for a
    place. One event loop serves them, so the counts need no lock."""

    def __init__(
        self,
        limits: Mapping[str, int],
        *,
        patience: float = 0.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._limits = dict(limits)
        self._in_flight = dict.fromkeys(self._limits, 0)
        self._waiting: dict[str, deque[asyncio.Future[bool]]] = {
            lane: deque() for lane in self._limits
        }
        # Since when each lane has been full without a gap (None: it has a free place).
        self._full_since: dict[str, float | None] = dict.fromkeys(self._limits)
        self._patience = patience
        self._clock = clock

    async def take(self, lane: str) -> bool:
        """Take a place in `lane`, waiting up to the patience for one in a queue as long as
        the lane; False, taking none, when there is none in time or the queue is full."""
        if self._in_flight[lane] < self._limits[lane] and not self._waiting[lane]:
            self._in_flight[lane] += 1
            return True
        now = self._clock()
        full_since = self._full_since[lane]
        if full_since is None:
            self._full_since[lane] = full_since = now
        queue = self._waiting[lane]
        if (
            self._patience <= 0
            or len(queue) >= self._limits[lane]
            or now - full_since > CROWD_AFTER
        ):
            return False
        # A place is settled once, by whichever comes first: a place handed over (True) or
        # the patience running out (False); so neither can be lost between the two.
        loop = asyncio.get_running_loop()
        place: asyncio.Future[bool] = loop.create_future()
        queue.append(place)
        expiry = loop.call_later(self._patience, _settle, place, False)
        try:
            return await place
        except asyncio.CancelledError:
            # The client went away while waiting: a place handed to it goes on to the next.
            if place.done() and not place.cancelled() and place.result():
                self.leave(lane)
            raise
        finally:
            expiry.cancel()
            if place in queue:
                queue.remove(place)

    def leave(self, lane: str) -> None:
        """Give a place back: to the longest waiting, if any still waits, else to the lane."""
        queue = self._waiting[lane]
        while queue:
            place = queue.popleft()
            if not place.done():
                _settle(place, True)
                return
        self._in_flight[lane] -= 1
        self._full_since[lane] = None

    def in_flight(self, lane: str) -> int:
        return self._in_flight[lane]

    def waiting(self, lane: str) -> int:
        return sum(not place.done() for place in self._waiting[lane])


def _settle(place: asyncio.Future[bool], taken: bool) -> None:
    if not place.done():
        place.set_result(taken)


def bounded(lane: str) -> Callable[[Request], AsyncIterator[None]]:
    """A FastAPI dependency that holds a place in `lane` for the request's whole handling,
    and answers 503 with Retry-After when there is none. Put it before the rate limit: a
    request refused here has not counted for its client, nor spent a proof of work."""

    @answers(503)
    async def dependency(request: Request) -> AsyncIterator[None]:
        lanes: Lanes = request.app.state.runtime.lanes
        if not await lanes.take(lane):
            raise HTTPException(
                status.HTTP_503_SERVICE_UNAVAILABLE,
                "Too many people are applying at this moment; please try again in a few seconds.",
                headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
            )
        try:
            yield
        finally:
            lanes.leave(lane)

    return dependency
