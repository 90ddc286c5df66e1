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

Each broker gets its own database and services in a temporary folder; the load average is
printed with the figures: the machine may be shared.
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
from admission import (
    DATABASE,
    TOPIC,
    Platform,
    backlog_events,
    inbox_rate,
    load_average,
    percentile,
    produce,
    set_up_organisation,
)
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

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


def summary(values: list[float]) -> str:
    return (
        f"p50 {percentile(values, 0.5) * 1000:.1f} ms, p99 {percentile(values, 0.99) * 1000:.1f}"
        f" ms, mean {statistics.fmean(values) * 1000:.1f} ms"
    )


async def measure(durable: bool, applications: int, backlog: int) -> list[str]:
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
    name = "durable (Tansu on SeaweedFS S3)" if durable else "memory (Tansu in memory)"
    return [
        f"{name}; logs in {root}",
        f"  relay latency, intake's 202 → record on the topic: {summary(relay)} [{relay_load}]",
        f"  send_and_wait, acks=all: {summary(sending)}",
        f"  throughput through policy: {rate:.0f} events/s ({len(events)} events backlog)"
        f" [{policy_load}]",
    ]


async def main(applications: int, backlog: int) -> None:
    lines = []
    for durable in (False, True):
        lines += await measure(durable, applications, backlog)
    print("\n".join(lines))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=100, help="applications timed")
    parser.add_argument("--backlog", type=int, default=500, help="volunteers in the backlog")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.applications, arguments.backlog))
