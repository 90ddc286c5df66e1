"""An open-loop load generator, run as its own process so that it does not share an event
loop (or a core's time slices) with what it measures.

`python bench/loadgen.py URL PATH --rate R --seconds S [--connections C]` POSTs a fresh
application body (its e-mail address numbered) every 1/R seconds for S seconds over
HTTP/1.1 keep-alive connections opened once, whatever the answers take (open loop: a slow
server gets the same arrivals, as people arriving after a campaign mail would). It prints
one JSON line: what it offered, what it got, and the latencies' percentiles in ms.
`offered_per_second` is what it really sent; `kept_up` is false when that fell more than 5 %
short of R, or when sending ran late by more than 50 ms (then the machine, not the server,
limited the figure).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time

import httpx

BODY = '{{"role_id":"leader","name":"Anna de Vries","email":"anna-{n}@example.org"}}'


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def run(
    url: str, path: str, rate: float, seconds: float, connections: int
) -> dict[str, object]:
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    late: list[float] = []
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=30) as client:
        # Open the connections before the clock starts.
        await asyncio.gather(*(client.get("/readyz") for _ in range(connections)))

        async def one(n: int) -> None:
            started = time.perf_counter()
            try:
                answer = await client.post(
                    path, content=BODY.format(n=n), headers={"content-type": "application/json"}
                )
                key = str(answer.status_code)
            except httpx.HTTPError as exc:
                key = type(exc).__name__
            if key == "202":
                latencies.append((time.perf_counter() - started) * 1000)
            statuses[key] = statuses.get(key, 0) + 1

        total = int(rate * seconds)
        tasks = []
        t0 = time.perf_counter()
        for n in range(total):
            due = t0 + n / rate
            wait = due - time.perf_counter()
            if wait > 0:
                await asyncio.sleep(wait)
            else:
                late.append(-wait)
            tasks.append(asyncio.create_task(one(n)))
        sent_for = time.perf_counter() - t0
        await asyncio.gather(*tasks)
    offered = total / sent_for if sent_for > 0 else 0.0
    worst_late = max(late, default=0.0) * 1000
    return {
        "rate": rate,
        "offered_per_second": round(offered, 1),
        "kept_up": offered >= 0.95 * rate and worst_late <= 50,
        "worst_send_delay_ms": round(worst_late, 1),
        "statuses": statuses,
        "ok_per_second": round(len(latencies) / sent_for, 1) if sent_for else 0.0,
        "p50_ms": round(percentile(latencies, 0.5), 1),
        "p99_ms": round(percentile(latencies, 0.99), 1),
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("path")
    parser.add_argument("--rate", type=float, required=True)
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--connections", type=int, default=64)
    a = parser.parse_args()
    print(json.dumps(asyncio.run(run(a.url, a.path, a.rate, a.seconds, a.connections))))
