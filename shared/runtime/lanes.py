"""Lanes: at most so many requests of one kind in flight on an instance; the next one is
answered 503 with Retry-After at once, before it reaches the database.

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

Only anonymous applications have a lane: anyone can send them, in any number, and
sending one again costs the applicant nothing (the form keeps what they typed). A report
has none: a report must never be refused because of others' crowd. Staff's steps (an
interview, a VOG) come from a handful of people and are not bounded either.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping

from fastapi import HTTPException, Request, status

from shared.http.openapi import answers

APPLICATIONS = "applications"
# Long enough for a crowd to thin; short enough that a person who tries again finds a place.
RETRY_AFTER_SECONDS = 2


class Lanes:
    """How many requests of each lane are in flight on this instance. One event loop serves
    them, so the counts need no lock."""

    def __init__(self, limits: Mapping[str, int]) -> None:
        self._limits = dict(limits)
        self._in_flight = dict.fromkeys(self._limits, 0)

    def enter(self, lane: str) -> bool:
        """Take a place in `lane`; False, taking none, when it is full."""
        if self._in_flight[lane] >= self._limits[lane]:
            return False
        self._in_flight[lane] += 1
        return True

    def leave(self, lane: str) -> None:
        self._in_flight[lane] -= 1

    def in_flight(self, lane: str) -> int:
        return self._in_flight[lane]


def bounded(lane: str) -> Callable[[Request], AsyncIterator[None]]:
    """A FastAPI dependency that holds a place in `lane` for the request's whole handling,
    and answers 503 with Retry-After when there is none. Put it before the rate limit: a
    request refused here has not counted for its client, nor spent a proof of work."""

    @answers(503)
    async def dependency(request: Request) -> AsyncIterator[None]:
        lanes: Lanes = request.app.state.runtime.lanes
        if not lanes.enter(lane):
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
