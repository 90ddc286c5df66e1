"""A lane's places (shared/runtime/lanes.py): held for a request's whole handling, given back
however it ends, and a request beyond them answered 503 with Retry-After at once."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import httpx
from fastapi import Depends, FastAPI

from shared.runtime.lanes import Lanes, bounded


def test_a_lane_takes_its_limit_and_no_more() -> None:
    lanes = Lanes({"applications": 2})
    assert [lanes.enter("applications") for _ in range(3)] == [True, True, False]
    assert lanes.in_flight("applications") == 2
    lanes.leave("applications")
    assert lanes.enter("applications")
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
