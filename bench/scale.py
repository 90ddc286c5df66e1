"""Policy with 1, 2 and 3 instances: `python bench/scale.py [--backlog N] [--runs R]`.

One broker, database and intake (bench/admission.py's `Platform`, on free ports), then per
run and per instance count: every policy instance stopped, a backlog of B volunteers' four
admission events put on the topic, N policy instances started together in one consumer
group, and the group's rate read from the inbox time stamps of the events it consumed (as
bench/admission.py reads it). The instance counts take turns within each run, so a noisy
moment of the shared machine falls on all of them alike; each count's median and spread over
the runs are printed beside the load average, and each count's rate beside one instance's
(the plain baseline: what scaling out is measured against).

Then the database's size per volunteer, from `dbStats` of intake's and policy's databases
after the runs, for sizing a region (README, "Sizing a province").

The embedded broker makes each topic with `SAFEHANDS_KAFKA_TOPIC_PARTITIONS` partitions
(3 here, so that each of 3 instances has one); a real cluster has the topic registry's 6.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from pymongo import MongoClient

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from admission import (
    DATABASE,
    TOPIC,
    Platform,
    backlog_events,
    inbox_rate,
    one_volunteer,
    produce,
    set_up_organisation,
    until,
)
from steady import load_average

from cli.embedded import ChildProcess, free_port, service_process

PARTITIONS = 3
WALKED = 100


class ScalePlatform(Platform):
    """bench/admission.py's platform, with policy started as N instances at once."""

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.started = 0  # groups of policy instances started, to name their logs

    def env(self) -> dict[str, str]:
        return {**super().env(), "SAFEHANDS_KAFKA_TOPIC_PARTITIONS": str(PARTITIONS)}

    def start_policies(self, count: int) -> list[ChildProcess]:
        # Started together and then awaited, so that they join the group in one rebalance
        # rather than the first taking every partition until the others arrive.
        children = []
        for number in range(count):
            child = service_process("policy", free_port(), self.env(), self.logs)
            child.log_path = self.logs / f"policy-{self.started}-{number + 1}.log"
            child.start()
            self.children.append(child)
            children.append(child)
        self.started += 1
        # A member that left uncleanly holds the group's next join until its session ends.
        deadline = time.monotonic() + 360
        waiting = list(children)
        while waiting and time.monotonic() < deadline:
            for child in list(waiting):
                if child.exit_code is not None:
                    raise RuntimeError(f"policy exited; see {child.log_path}")
                try:
                    url = f"http://127.0.0.1:{child.port}/readyz"
                    if httpx.get(url, timeout=2).status_code == 200:
                        waiting.remove(child)
                except httpx.HTTPError:
                    pass
            time.sleep(0.2)
        if waiting:
            raise TimeoutError("policy not ready; see the logs")
        return children


def assignment(children: list[ChildProcess]) -> list[set[str]]:
    """Each instance's partitions of the admission topic, as its lag metric names them (the
    broker here answers no DescribeGroups). The metric is sampled every 15 s."""
    held = []
    for child in children:
        text = httpx.get(f"http://127.0.0.1:{child.port}/metrics", timeout=5).text
        held.append(
            {
                match.group(1)
                for line in text.splitlines()
                if line.startswith("safehands_consumer_lag{") and f'topic="{TOPIC}"' in line
                if (match := re.search(r'partition="(\d+)"', line))
            }
        )
    return held


async def one_size(platform: ScalePlatform, org: str, instances: int, backlog: int) -> float:
    children = platform.start_policies(instances)
    try:
        # The backlog goes on the topic once every instance holds its partitions: the rate is
        # then that of N instances consuming, not of one consuming while the others join.
        async def all_joined() -> bool:
            held = assignment(children)
            every = set().union(*held)
            return all(held) and len(every) == PARTITIONS == sum(len(part) for part in held)

        await until(all_joined, seconds=120, interval=0.5)
        events = backlog_events(org, backlog)
        event_ids, last_ids = await produce(platform.bootstrap, events)
        return float(
            await inbox_rate(
                platform.mongo_uri, f"{DATABASE}_policy", "policy", event_ids, last_ids
            )
        )
    finally:
        for child in children:
            # Time to leave the consumer group cleanly, so the next size joins at once.
            child.stop(timeout=30)
            platform.children.remove(child)


def database_bytes(mongo_uri: str) -> dict[str, int]:
    client: MongoClient[dict[str, Any]] = MongoClient(mongo_uri)
    try:
        sizes = {}
        for service in ("intake", "policy"):
            stats = client[f"{DATABASE}_{service}"].command("dbStats")
            sizes[service] = int(stats.get("dataSize", 0)) + int(stats.get("indexSize", 0))
        return sizes
    finally:
        client.close()


def spread(values: list[float]) -> str:
    return f"median {statistics.median(values):.0f}, spread {min(values):.0f} to {max(values):.0f}"


async def main(backlog: int, runs: int, sizes: list[int]) -> None:
    root = Path(tempfile.mkdtemp(prefix="safehands-scale-"))
    platform = ScalePlatform(root)
    rates: dict[int, list[float]] = {size: [] for size in sizes}
    loads: dict[int, list[str]] = {size: [] for size in sizes}
    try:
        platform.start_infrastructure()
        intake_url = platform.start_service("intake")
        policy_url = platform.start_service("policy")
        async with (
            httpx.AsyncClient(base_url=intake_url, timeout=30) as intake,
            httpx.AsyncClient(base_url=policy_url, timeout=30) as policy,
        ):
            org = await set_up_organisation(platform, intake, policy)
            # The footprint of a volunteer as the platform stores one: walked through the
            # chain over HTTP, with every state, event and audit row it leaves.
            before = database_bytes(platform.mongo_uri)
            for _ in range(WALKED):
                await one_volunteer(platform, intake, policy, org)
            await asyncio.sleep(2)  # the outboxes empty, the audit rows are written
            footprint = {
                service: (size - before[service]) / WALKED
                for service, size in database_bytes(platform.mongo_uri).items()
            }
        platform.stop_service(policy_url)
        platform.children = [child for child in platform.children if child.exit_code is None]
        for run in range(runs):
            for size in sizes:
                rate = await one_size(platform, org, size, backlog)
                rates[size].append(rate)
                loads[size].append(load_average())
                print(
                    f"run {run + 1}, {size} policy instance(s): {rate:.0f} events/s"
                    f" [{loads[size][-1]}]",
                    flush=True,
                )
    finally:
        platform.stop()

    print(f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}; logs in {root}")
    print(
        f"policy on a backlog of {backlog} volunteers ({4 * backlog} events), {PARTITIONS}"
        f" partitions, {runs} runs:"
    )
    one = statistics.median(rates[sizes[0]])
    for size in sizes:
        median = statistics.median(rates[size])
        print(
            f"  {size} instance(s): {spread(rates[size])} events/s;"
            f" {median / one:.2f} times {sizes[0]} instance(s)  [{'; '.join(loads[size])}]"
        )
    print(
        f"database per volunteer walked through the chain over HTTP ({WALKED} volunteers),"
        " data and indexes: "
        + ", ".join(f"{service} {size:.0f} bytes" for service, size in footprint.items())
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backlog", type=int, default=1000, help="volunteers per backlog")
    parser.add_argument("--runs", type=int, default=3, help="runs of every instance count")
    parser.add_argument(
        "--instances", type=int, nargs="+", default=[1, 2, 3], help="instance counts"
    )
    arguments = parser.parse_args()
    asyncio.run(main(arguments.backlog, arguments.runs, arguments.instances))
