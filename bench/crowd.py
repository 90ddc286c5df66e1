"""A crowd of applications beside reports: `python bench/crowd.py [--rate R] [--seconds S] [--runs N]`.

Intake answers applications beyond its lane (`SAFEHANDS_MAX_APPLICATIONS_IN_FLIGHT`, 32 on an
instance) 503 after a short wait in a queue as long as the lane
(`SAFEHANDS_APPLICATION_WAIT_MS`, 100), before they reach the database
(shared/runtime/lanes.py). This bench offers applications at R a second for S seconds — by
default 400, beyond what intake takes at p99 ≤ 250 ms on this machine (bench/intake.py) —
from a separate load-generator process (bench/loadgen.py), and meanwhile sends a report
every 0.2 s, as a reporter would while the crowd lasts. Beside it, in the same run, the same crowd with a lane that refuses at once
(no wait), and the baseline: the same crowd with no lane (the limit set beyond reach). Each
on a fresh platform (broker, database, intake and policy).

It prints, for each side, what became of the applications (how many were taken and
refused, the taken ones' p50 and p99) and of the reports (refused, p50 and p99), each figure
from `--runs` runs with the median and the spread beside the load averages (bench/steady.py).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from admission import Platform, until
from intake import organisation
from loadgen import percentile
from steady import load_average, loads, steady

from shared.crypto import PrivateKey
from tests.support.vcps import announce_vcp, sealed_report

HERE = Path(__file__).resolve().parent
REPORT_EVERY_SECONDS = 0.2
# The baseline's lane: beyond any crowd this bench sends.
NO_LANE = "1000000"
SIDES: tuple[tuple[str, dict[str, str]], ...] = (
    ("lane", {}),
    ("lane, no wait", {"SAFEHANDS_APPLICATION_WAIT_MS": "0"}),
    ("no lane", {"SAFEHANDS_MAX_APPLICATIONS_IN_FLIGHT": NO_LANE}),
)


async def crowd(
    intake_url: str, org: str, key: PrivateKey, rate: float, seconds: float
) -> dict[str, float]:
    async with httpx.AsyncClient(base_url=intake_url, timeout=60) as http:

        async def submit() -> httpx.Response:
            return await http.post(
                f"/v1/orgs/{org}/reports", json=sealed_report(org, key, "tijdens de drukte")
            )

        async def accepted() -> bool:
            return (await submit()).status_code == 202

        await until(accepted, seconds=60, interval=0.1)  # intake knows the VCP's key
        generator = await asyncio.create_subprocess_exec(
            sys.executable,
            str(HERE / "loadgen.py"),
            intake_url,
            f"/v1/orgs/{org}/applications",
            "--rate",
            str(rate),
            "--seconds",
            str(seconds),
            stdout=asyncio.subprocess.PIPE,
        )
        latencies: list[float] = []
        refused = 0

        async def report() -> None:
            nonlocal refused
            started = time.perf_counter()
            answer = await submit()
            if answer.status_code == 202:
                latencies.append((time.perf_counter() - started) * 1000)
            else:
                refused += 1

        reports = []
        started = time.perf_counter()
        # The reports go on for a few seconds after the crowd: what it left behind counts.
        while time.perf_counter() - started < seconds + 5:
            reports.append(asyncio.create_task(report()))
            await asyncio.sleep(REPORT_EVERY_SECONDS)
        out, _ = await generator.communicate()
        await asyncio.gather(*reports)
    applications = json.loads(out.decode().strip().splitlines()[-1])
    statuses: dict[str, int] = applications["statuses"]
    return {
        "offered/s": applications["offered_per_second"],
        "applications taken": float(statuses.get("202", 0)),
        "applications refused": float(sum(n for s, n in statuses.items() if s != "202")),
        "applications p50 ms": applications["p50_ms"],
        "applications p99 ms": applications["p99_ms"],
        "reports refused": float(refused),
        "reports p50 ms": statistics.median(latencies) if latencies else float("nan"),
        "reports p99 ms": percentile(latencies, 0.99),
    }


def one_side(env: dict[str, str], rate: float, seconds: float) -> dict[str, float]:
    root = Path(tempfile.mkdtemp(prefix="safehands-bench-crowd-"))
    platform = Platform(root)
    try:
        platform.start_infrastructure()
        intake_url = platform.start_service("intake", env)
        policy_url = platform.start_service("policy")

        async def run() -> dict[str, float]:
            org = await organisation(platform, intake_url, policy_url)
            # A VCP as reports announces one: intake takes no report without a key.
            key = await announce_vcp(platform.bootstrap, org)
            return await crowd(intake_url, org, key, rate, seconds)

        return asyncio.run(run())
    finally:
        platform.stop()


def main(rate: float, seconds: float, runs: int) -> None:
    figures: dict[str, dict[str, list[float]]] = {name: {} for name, _ in SIDES}
    runs_loads: list[str] = []
    for run in range(1, runs + 1):
        # The sides take turns, the first side rotating: none always meets a cooler or a
        # warmer machine.
        shift = (run - 1) % len(SIDES)
        for name, env in SIDES[shift:] + SIDES[:shift]:
            found = one_side(env, rate, seconds)
            print(f"run {run}, {name}: {found}", flush=True)
            for figure, value in found.items():
                figures[name].setdefault(figure, []).append(value)
        runs_loads.append(load_average())
    print(
        f"a crowd of {rate:g} applications/s for {seconds:g} s, a report every "
        f"{REPORT_EVERY_SECONDS} s meanwhile; {runs} runs {loads(runs_loads)}"
    )
    for name, _ in SIDES:
        print(f"  {name}:")
        for figure, values in figures[name].items():
            print(f"    {figure}: {steady(values)}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=400, help="applications per second")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--runs", type=int, default=3)
    arguments = parser.parse_args()
    main(arguments.rate, arguments.seconds, arguments.runs)
