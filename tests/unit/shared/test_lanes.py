"""A lane's places (shared/runtime/lanes.py): held for a request's whole handling, given back
however it ends; a request beyond them waits a moment in a queue as long as the lane, first
come first served, and is answered 503 with Retry-After when no place frees in time."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import httpx
import pytest
from fastapi import Depends, FastAPI

from shared.runtime.lanes import CROWD_AFTER, Lanes, bounded


async def test_a_lane_takes_its_limit_and_no_more() -> None:
    lanes = Lanes({"applications": 2})
    assert [await lanes.take("applications") for _ in range(3)] == [True, True, False]
    assert lanes.in_flight("applications") == 2
    lanes.leave("applications")
    assert await lanes.take("applications")
    assert lanes.in_flight("applications") == 2


async def test_a_request_beyond_the_lane_waits_for_a_place_that_frees_in_time() -> None:
    lanes = Lanes({"applications": 1}, patience=5)
    assert await lanes.take("applications")
    waiting = asyncio.create_task(lanes.take("applications"))
    await asyncio.sleep(0.01)
    assert not waiting.done(), "it waits instead of being refused"
    assert lanes.waiting("applications") == 1
    lanes.leave("applications")
    assert await waiting, "the place freed went to the one waiting"
    assert lanes.in_flight("applications") == 1
    assert lanes.waiting("applications") == 0


async def test_places_go_to_the_longest_waiting_and_never_to_one_just_arrived() -> None:
    lanes = Lanes({"applications": 1}, patience=5)
    assert await lanes.take("applications")
    first = asyncio.create_task(lanes.take("applications"))
    await asyncio.sleep(0.01)
    lanes.leave("applications")
    # One arriving right after the place was handed over does not take it.
    barging = asyncio.create_task(lanes.take("applications"))
    assert await first
    await asyncio.sleep(0.01)
    assert not barging.done(), "the newcomer waits behind"
    lanes.leave("applications")
    assert await barging
    assert lanes.in_flight("applications") == 1


async def test_no_place_in_time_is_a_refusal_and_leaves_nothing_behind() -> None:
    lanes = Lanes({"applications": 1}, patience=0.05)
    assert await lanes.take("applications")
    assert not await lanes.take("applications")
    assert lanes.waiting("applications") == 0
    assert lanes.in_flight("applications") == 1
    # The place given back now goes to the lane, not to the one who stopped waiting.
    lanes.leave("applications")
    assert lanes.in_flight("applications") == 0


async def test_the_queue_is_as_long_as_the_lane_and_beyond_it_a_refusal_comes_at_once() -> None:
    lanes = Lanes({"applications": 2}, patience=5)
    assert await lanes.take("applications")
    assert await lanes.take("applications")
    queued = [asyncio.create_task(lanes.take("applications")) for _ in range(2)]
    await asyncio.sleep(0.01)
    assert lanes.waiting("applications") == 2
    assert not await asyncio.wait_for(lanes.take("applications"), 1), "refused, not queued"
    lanes.leave("applications")
    lanes.leave("applications")
    assert await asyncio.gather(*queued) == [True, True]


async def test_a_waiter_that_goes_away_passes_a_place_handed_to_it_on() -> None:
    lanes = Lanes({"applications": 2}, patience=5)
    assert await lanes.take("applications")
    assert await lanes.take("applications")
    leaving = asyncio.create_task(lanes.take("applications"))
    staying = asyncio.create_task(lanes.take("applications"))
    await asyncio.sleep(0.01)
    # The place is handed to the first waiter in the same moment as its client goes away.
    lanes.leave("applications")
    leaving.cancel()
    with pytest.raises(asyncio.CancelledError):
        await leaving
    assert await staying, "the place went on to the next, not lost"
    assert lanes.in_flight("applications") == 2


async def test_a_request_holds_its_place_until_it_is_answered() -> None:
    lanes = Lanes({"applications": 1})
    release = asyncio.Event()
    app = FastAPI()
    app.state.runtime = SimpleNamespace(lanes=lanes)

    @app.post("/apply", dependencies=[Depends(bounded("applications"))])
    async def apply(fail: bool = False) -> dict[str, str]:
        await release.wait()
        if fail:
            raise RuntimeError("the handler failed")
        return {"ok": "yes"}

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://lane") as http:
        first = asyncio.create_task(http.post("/apply"))
        while lanes.in_flight("applications") == 0:
            await asyncio.sleep(0.001)
        refused = await http.post("/apply")
        assert refused.status_code == 503
        assert refused.headers["Retry-After"] == "2"
        assert "try again" in refused.json()["detail"]
        assert lanes.in_flight("applications") == 1, "a refused request took no place"
        release.set()
        assert (await first).status_code == 200
        assert lanes.in_flight("applications") == 0
        # A request that fails gives its place back too.
        assert (await http.post("/apply", params={"fail": True})).status_code == 500
        assert lanes.in_flight("applications") == 0
        assert (await http.post("/apply")).status_code == 200


async def test_a_request_that_finds_the_lane_full_is_taken_when_a_place_frees_in_time() -> None:
    lanes = Lanes({"applications": 1}, patience=5)
    release = asyncio.Event()
    app = FastAPI()
    app.state.runtime = SimpleNamespace(lanes=lanes)

    @app.post("/apply", dependencies=[Depends(bounded("applications"))])
    async def apply() -> dict[str, str]:
        await release.wait()
        return {"ok": "yes"}

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://lane") as http:
        first = asyncio.create_task(http.post("/apply"))
        while lanes.in_flight("applications") == 0:
            await asyncio.sleep(0.001)
        second = asyncio.create_task(http.post("/apply"))
        while lanes.waiting("applications") == 0:
            await asyncio.sleep(0.001)
        release.set()
        assert [(await first).status_code, (await second).status_code] == [200, 200]
    assert lanes.in_flight("applications") == 0
    assert lanes.waiting("applications") == 0


async def test_a_lane_full_for_longer_than_a_burst_is_a_crowd_and_nobody_waits() -> None:
    now = [100.0]
    lanes = Lanes({"applications": 2}, patience=5, clock=lambda: now[0])
    assert await lanes.take("applications")
    assert await lanes.take("applications")
    waiting = asyncio.create_task(lanes.take("applications"))  # full since 100.0: a burst
    await asyncio.sleep(0.01)
    assert lanes.waiting("applications") == 1
    now[0] += CROWD_AFTER + 0.1
    assert not await asyncio.wait_for(lanes.take("applications"), 1), "a crowd: refused at once"
    # The place freed still goes to the one who waited, and the lane stays full.
    lanes.leave("applications")
    assert await waiting
    assert not await asyncio.wait_for(lanes.take("applications"), 1)
    # Once a place is free again the lane is no crowd any more: the next one full waits.
    lanes.leave("applications")
    assert lanes.in_flight("applications") == 1
    assert await lanes.take("applications")
    now[0] += 10
    again = asyncio.create_task(lanes.take("applications"))
    await asyncio.sleep(0.01)
    assert lanes.waiting("applications") == 1, "full again only since now: a burst"
    lanes.leave("applications")
    assert await again
