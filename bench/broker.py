"""What the durable embedded broker costs: `python bench/broker.py [--applications N]
[--backlog B]`.

Runs, in one go, the same measurements on both brokers that `safehands up` can start: Tansu
with its topics in memory (`--broker=memory`) and Tansu on SeaweedFS's S3 (the default):

1. relay latency — N applications go to intake over HTTP, one at a time; for each, the
   time from intake's 202 (the event committed to the outbox) until a consumer that tails
   the topic holds the record: the relay's poll, its publish and one fetch;
2. produce latency — `send_and_wait` of one record with acks=all, N times;
3. throughput through policy — as in bench/admission.py: a backlog of B volunteers' events
   (4 each) is put on the topic while policy is stopped, and policy's rate is read from the
   inbox timestamps of the first and last event it consumed.

Each broker gets its own database and services in a temporary folder, `--runs` times (3);
each figure is printed as the median with every run's value and the spread, beside the load
averages: the machine may be shared, and one lucky run is no result.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from admission import (
    DATABASE,
    TOPIC,
    Platform,
    backlog_events,
    inbox_rate,
    produce,
    set_up_organisation,
)
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from loadgen import percentile
from steady import load_average, loads, steady

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cli.embedded import broker_process, free_port, wait_for_port
from cli.object_store import local_object_store, object_store_process


class BrokerPlatform(Platform):
    """bench/admission.py's platform, on the memory broker or the durable one."""

    def __init__(self, root: Path, durable: bool) -> None:
        super().__init__(root)
        self.store = None
        if durable:
            store = local_object_store(free_port(), root / "data" / "keys")
            self.store = object_store_process(store, root / "objects", self.logs)
            self.kafka = broker_process(
                self.kafka.port, self.logs, store.storage_engine, store.client_env()
            )

    def start_infrastructure(self) -> None:
        if self.store is not None:
            self.store.start()
            self.children.append(self.store)
            wait_for_port(self.store, timeout=60)
        super().start_infrastructure()


async def relay_latency(
    platform: Platform, intake: httpx.AsyncClient, org: str, count: int
) -> list[float]:
    tail = AIOKafkaConsumer(bootstrap_servers=platform.bootstrap, fetch_max_wait_ms=50)
    await tail.start()
    try:
        partitions = [TopicPartition(TOPIC, p) for p in tail.partitions_for_topic(TOPIC) or []]
        if not partitions:
            await tail._client.force_metadata_update()
            partitions = [TopicPartition(TOPIC, p) for p in tail.partitions_for_topic(TOPIC) or []]
        tail.assign(partitions)
        await tail.seek_to_end(*partitions)
        body = {"role_id": "leader", "name": "Anna", "email": "anna@example.org"}
        latencies = []
        for _ in range(count):
            answer = await intake.post(f"/v1/orgs/{org}/applications", json=body)
            assert answer.status_code == 202, answer.text
            answered = time.perf_counter()
            volunteer = answer.json()["volunteer_id"]
            seen = False
            while not seen:
                for records in (await tail.getmany(timeout_ms=1000)).values():
                    seen = seen or any(
                        json.loads(r.value).get("volunteer_id") == volunteer for r in records
                    )
                if time.perf_counter() - answered > 30:
                    raise TimeoutError("an application never reached the topic")
            latencies.append(time.perf_counter() - answered)
        return latencies
    finally:
        await tail.stop()


async def produce_latency(bootstrap: str, count: int) -> list[float]:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        latencies = []
        for i in range(count):
            started = time.perf_counter()
            await producer.send_and_wait("bench.produce", f"record {i}".encode())
            latencies.append(time.perf_counter() - started)
        return latencies
    finally:
        await producer.stop()


async def measure(durable: bool, applications: int, backlog: int) -> dict[str, Any]:
    """One run on one broker: its figures, the load averages after them, the logs' folder."""
    root = Path(tempfile.mkdtemp(prefix="safehands-bench-broker-"))
    platform = BrokerPlatform(root, durable)
    try:
        platform.start_infrastructure()
        intake_url = platform.start_service("intake")
        policy_url = platform.start_service("policy")
        async with (
            httpx.AsyncClient(base_url=intake_url, timeout=30) as intake,
            httpx.AsyncClient(base_url=policy_url, timeout=30) as policy,
        ):
            org = await set_up_organisation(platform, intake, policy)
            relay = await relay_latency(platform, intake, org, applications)
        relay_load = load_average()
        sending = await produce_latency(platform.bootstrap, applications)
        platform.stop_service(policy_url)
        events = backlog_events(org, backlog)
        event_ids, last_ids = await produce(platform.bootstrap, events)
        platform.start_service("policy")
        rate = await inbox_rate(
            platform.mongo_uri, f"{DATABASE}_policy", "policy", event_ids, last_ids
        )
        policy_load = load_average()
    finally:
        platform.stop()
    return {
        "relay_p50": percentile(relay, 0.5) * 1000,
        "relay_p99": percentile(relay, 0.99) * 1000,
        "send_p50": percentile(sending, 0.5) * 1000,
        "send_p99": percentile(sending, 0.99) * 1000,
        "policy": rate,
        "relay_load": relay_load,
        "policy_load": policy_load,
        "root": str(root),
    }


async def main(applications: int, backlog: int, runs: int) -> None:
    lines = []
    for durable in (False, True):
        results = []
        for run in range(1, runs + 1):
            print(f"{'durable' if durable else 'memory'} broker, run {run} of {runs}", flush=True)
            results.append(await measure(durable, applications, backlog))

        def of(name: str, results: list[dict[str, Any]] = results) -> list[float]:
            return [float(result[name]) for result in results]

        def load(name: str, results: list[dict[str, Any]] = results) -> str:
            return loads([str(result[name]) for result in results])

        name = "durable (Tansu on SeaweedFS S3)" if durable else "memory (Tansu in memory)"
        lines += [
            f"{name}; {runs} runs; logs in {', '.join(str(r['root']) for r in results)}",
            f"  relay latency, intake's 202 → record on the topic: p50 "
            f"{steady(of('relay_p50'), ' ms', 1)}, p99 {steady(of('relay_p99'), ' ms', 1)}"
            f" {load('relay_load')}",
            f"  send_and_wait, acks=all: p50 {steady(of('send_p50'), ' ms', 1)}, "
            f"p99 {steady(of('send_p99'), ' ms', 1)}",
            f"  throughput through policy: {steady(of('policy'), ' events/s')} "
            f"({backlog * 4} events backlog) {load('policy_load')}",
        ]
    print("\n".join(lines))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=100, help="applications timed")
    parser.add_argument("--backlog", type=int, default=500, help="volunteers in the backlog")
    parser.add_argument("--runs", type=int, default=3, help="runs of every figure")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.applications, arguments.backlog, arguments.runs))
