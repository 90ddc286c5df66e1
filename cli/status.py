"""`safehands status`: each part of the running `safehands up`, its restarts, its last error,
and each service's consumer lag (records on its topics that it has not consumed yet)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from aiokafka import AIOKafkaConsumer, TopicPartition
from rich.console import Console
from rich.table import Table

from cli.supervisor import STATUS_FILE
from shared.settings import SettingsError, load_settings

# The status file is rewritten every second: older than this, `safehands up` has stopped.
STALE_SECONDS = 15
# Lag is a nicety: a broker that does not answer within this leaves it out.
LAG_SECONDS = 5


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def read_status(path: Path) -> dict[str, Any] | None:
    """The state `safehands up` last wrote, or None when it does not run."""
    try:
        document: dict[str, Any] = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    updated = datetime.fromisoformat(document["updated_at"])
    if not _running(int(document["pid"])):
        return None
    if (datetime.now(UTC) - updated).total_seconds() > STALE_SECONDS:
        return None
    return document


async def committed_offsets(bootstrap: str, group: str) -> dict[TopicPartition, int]:
    """The offsets `group` has committed, on every partition of every topic. Asked the way a
    consumer asks (OffsetFetch, without joining the group): Tansu answers the admin
    client's newer form of the request with bytes aiokafka cannot parse."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False
    )
    await consumer.start()
    try:
        found: dict[TopicPartition, int] = {}
        for topic in await consumer.topics():
            for partition in consumer.partitions_for_topic(topic) or ():
                tp = TopicPartition(topic, partition)
                offset = await consumer.committed(tp)
                if offset is not None and offset >= 0:
                    found[tp] = offset
        return found
    finally:
        await consumer.stop()


def consumer_lag(bootstrap: str, groups: list[str]) -> dict[str, int]:
    """Per consumer group, the records on its partitions past its committed offsets; empty
    when the broker does not answer within LAG_SECONDS. In a thread of its own that this
    process does not wait for: a client that asks a broker which is restarting can hang in
    its own clean-up, and `safehands status` must answer anyway."""
    found: dict[str, int] = {}

    def measure_in_thread() -> None:
        with contextlib.suppress(Exception):
            found.update(asyncio.run(_consumer_lag(bootstrap, groups)))

    thread = threading.Thread(target=measure_in_thread, daemon=True)
    thread.start()
    thread.join(LAG_SECONDS + 1)
    return dict(found) if not thread.is_alive() else {}


async def _consumer_lag(bootstrap: str, groups: list[str]) -> dict[str, int]:

    async def measure() -> dict[str, int]:
        consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap)
        await consumer.start()
        try:
            lag: dict[str, int] = {}
            for group in groups:
                committed = await committed_offsets(bootstrap, group)
                ends = await consumer.end_offsets(list(committed)) if committed else {}
                lag[group] = sum(max(0, ends[tp] - offset) for tp, offset in committed.items())
            return lag
        finally:
            await consumer.stop()

    # Not asyncio.wait_for, which on Python 3.11 can lose a cancellation
    # (shared/cancellation.py).
    with contextlib.suppress(Exception):
        async with asyncio.timeout(LAG_SECONDS):
            return await measure()
    return {}


def status(
    as_json: Annotated[bool, typer.Option("--json", help="The state as JSON.")] = False,
) -> None:
    """Show each part of the running `safehands up`: state, restarts, last error, lag."""
    try:
        settings = load_settings()
    except SettingsError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None
    document = read_status(settings.data_dir.resolve() / STATUS_FILE)
    if document is None:
        typer.echo("safehands up is not running (for this data directory).", err=True)
        raise typer.Exit(1)
    kafka = document.get("kafka_bootstrap")
    services = {part["part"] for part in document["parts"] if part.get("service")}
    prefix = document.get("consumer_group_prefix", "safehands")
    lag = consumer_lag(kafka, [f"{prefix}-{s}" for s in services]) if kafka else {}
    for part in document["parts"]:
        measured = lag.get(f"{prefix}-{part['part']}")
        part["lag"] = measured if part.get("service") else None
    if as_json:
        typer.echo(json.dumps(document["parts"], indent=1))
        return
    table = Table(title=f"SafeHands — as of {document['updated_at'][11:19]} UTC")
    for column in ("part", "listens on", "pid", "status", "restarts", "lag", "last error"):
        table.add_column(column)
    for part in document["parts"]:
        table.add_row(
            part["part"],
            part["where"],
            str(part["pid"] or "-"),
            part["state"],
            str(part["restarts"]),
            "-" if part["lag"] is None else str(part["lag"]),
            part["last_error"] or "",
        )
    Console().print(table)
