"""Intake's application route beside its own ceiling: `python bench/intake.py [--runs 3]`.

Starts a broker, the database, intake and policy (policy announces the organisation and its
role to intake), and the ceiling: bench/intake_baseline.py, a bare Starlette app on the same
database that validates the same body and writes the application and its outbox row in one
transaction. bench/loadgen.py, a process of its own with keep-alive connections, offers each
of them rising rates (10, 20, 35, 50, 75, 100, 150, 200 per second…) until the p99 passes
1 s. For each it prints the highest rate answered with p99 ≤ 250 ms, and intake's ratio to
the ceiling. The whole is repeated `--runs` times; the median and the spread are printed,
with the load average: the machine may be shared, and one lucky run is no result.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from admission import Platform, load_average, set_up_organisation
from loadgen import Client

from cli.embedded import ChildProcess, free_port

RATES = (10, 20, 35, 50, 75, 100, 150, 200, 300, 450, 600)
AIM_P99_MS = 250
STOP_P99_MS = 1000
HERE = Path(__file__).resolve().parent


def offer(url: str, org: str, rate: float, seconds: float) -> dict[str, Any]:
    """One step of load from a separate process; its JSON line."""
    done = subprocess.run(
        [
            sys.executable,
            str(HERE / "loadgen.py"),
            url,
            f"/v1/orgs/{org}/applications",
            "--rate",
            str(rate),
            "--seconds",
            str(seconds),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def ceiling_of(steps: list[dict[str, Any]]) -> float:
    """Answers per second at the highest offered rate whose p99 met the aim and that refused
    nothing (0 if none): intake answers a crowd beyond its lane 503 at once
    (shared/runtime/lanes.py), which must not pass for keeping up."""
    met = [
        s["ok_per_second"]
        for s in steps
        if s["p99_ms"] <= AIM_P99_MS and s["kept_up"] and set(s["statuses"]) == {"202"}
    ]
    return max(met, default=0.0)


def climb(name: str, url: str, org: str, seconds: float) -> list[dict[str, Any]]:
    steps = []
    for rate in RATES:
        step = offer(url, org, rate, seconds)
        steps.append(step)
        print(
            f"  {name:8} offered {step['offered_per_second']:6.1f}/s"
            f"{'' if step['kept_up'] else ' (the generator could not keep up)'}:"
            f" {step['ok_per_second']:6.1f} answered/s, p50 {step['p50_ms']} ms,"
            f" p99 {step['p99_ms']} ms, {step['statuses']}",
            flush=True,
        )
        if not step["p99_ms"] <= STOP_P99_MS:
            break
    return steps


def baseline_process(root: Path, mongo_uri: str) -> ChildProcess:
    port = free_port()
    return ChildProcess(
        name="intake-baseline",
        command=[
            sys.executable,
            str(HERE / "intake_baseline.py"),
            "--port",
            str(port),
            "--mongo-uri",
            mongo_uri,
            "--database",
            "bench_baseline",
        ],
        port=port,
        log_path=root / "logs" / "intake-baseline.log",
    )


async def organisation(platform: Platform, intake_url: str, policy_url: str) -> str:
    async with (
        Client(intake_url, connections=1) as intake,
        Client(policy_url, connections=1) as policy,
    ):
        return await set_up_organisation(platform, intake, policy)


def wait_ready(url: str) -> None:
    for _ in range(300):
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        asyncio.run(asyncio.sleep(0.1))
    raise TimeoutError(f"{url} not ready")


def one_run(seconds: float) -> dict[str, float]:
    """Both climbs on a platform of their own: a run that overloaded intake leaves it under
    pressure (proof of work asked, 428) and the database busy with the backlog, so the next
    run on the same platform would measure the aftermath, not the route."""
    root = Path(tempfile.mkdtemp(prefix="safehands-bench-intake-"))
    platform = Platform(root)
    try:
        platform.start_infrastructure()
        intake_url = platform.start_service("intake")
        policy_url = platform.start_service("policy")
        org = asyncio.run(organisation(platform, intake_url, policy_url))
        baseline = baseline_process(root, platform.mongo_uri)
        baseline.start()
        platform.children.append(baseline)
        baseline_url = f"http://127.0.0.1:{baseline.port}"
        wait_ready(baseline_url)
        return {
            name: ceiling_of(climb(name, url, org, seconds))
            for name, url in (("baseline", baseline_url), ("intake", intake_url))
        }
    finally:
        platform.stop()
        print(f"  logs in {root}", flush=True)


def main(runs: int, seconds: float) -> None:
    ceilings: dict[str, list[float]] = {"baseline": [], "intake": []}
    loads: list[str] = []
    for run in range(1, runs + 1):
        print(f"run {run} of {runs}", flush=True)
        for name, ceiling in one_run(seconds).items():
            ceilings[name].append(ceiling)
        loads.append(load_average())

    def summary(values: list[float]) -> str:
        return f"median {statistics.median(values):.0f}/s (runs: {', '.join(f'{v:.0f}' for v in values)}; spread {max(values) - min(values):.0f})"

    ratios = [
        i / b if b else float("nan")
        for i, b in zip(ceilings["intake"], ceilings["baseline"], strict=True)
    ]
    print(f"applications answered per second at p99 ≤ {AIM_P99_MS} ms, {runs} runs")
    print(
        f"  baseline (bare Starlette + PyMongo, one transaction): {summary(ceilings['baseline'])}"
    )
    print(f"  intake: {summary(ceilings['intake'])}")
    print(
        f"  ratio intake / baseline: median {statistics.median(ratios):.2f} "
        f"(runs: {', '.join(f'{r:.2f}' for r in ratios)}) [{'; '.join(loads)}]"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=8, help="seconds per offered rate")
    arguments = parser.parse_args()
    main(arguments.runs, arguments.seconds)
