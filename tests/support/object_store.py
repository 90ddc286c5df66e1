"""An S3 object store for tests: SeaweedFS (`weed mini`) on free ports, as `safehands up`
runs it for the broker (cli/object_store.py), with what reports needs to keep attachments
in it (SAFEHANDS_ATTACHMENT_S3_*), and what a test needs to look inside."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

from cli.embedded import ChildProcess, free_port, wait_for_port
from cli.object_store import REGION, ObjectStore, local_object_store, object_store_process
from services.reports.attachment_store import ObjectStore as AttachmentObjects


@dataclass
class RunningObjectStore:
    store: ObjectStore
    child: ChildProcess
    data_dir: Path

    def attachment_env(self, bucket: str) -> dict[str, str]:
        """The settings that put reports' attachments into `bucket` of this store."""
        return {
            "SAFEHANDS_ATTACHMENT_S3_ENDPOINT": self.store.endpoint,
            "SAFEHANDS_ATTACHMENT_S3_BUCKET": bucket,
            "SAFEHANDS_ATTACHMENT_S3_ACCESS_KEY_ID": self.store.access_key_id,
            "SAFEHANDS_ATTACHMENT_S3_SECRET_ACCESS_KEY": self.store.secret_access_key,
        }

    def attachments(self, bucket: str, *, secret: str | None = None) -> AttachmentObjects:
        """reports' store of attachments on `bucket` (with another secret: one refused)."""
        return AttachmentObjects(
            endpoint=self.store.endpoint,
            bucket=bucket,
            access_key_id=self.store.access_key_id,
            secret_access_key=secret or self.store.secret_access_key,
            region=REGION,
        )


@contextlib.asynccontextmanager
async def running_object_store(root: Path) -> AsyncIterator[RunningObjectStore]:
    """`weed mini` with its data under `root`, answering S3 requests when this yields."""
    store = local_object_store(free_port(), root / "keys")
    child = object_store_process(store, root / "objects", root / "logs")
    child.start()
    try:
        wait_for_port(child, timeout=60)
        running = RunningObjectStore(store, child, root / "objects")
        await _wait_until_it_answers(running)
        yield running
    finally:
        child.stop()


async def _wait_until_it_answers(running: RunningObjectStore) -> None:
    # The S3 port opens before the filer behind it serves; the broker's bucket (made by
    # `weed mini` itself) shows when it does.
    probe = running.attachments(running.store.bucket)
    deadline = time.monotonic() + 60
    try:
        while True:
            try:
                await probe.client()
                return
            except Exception:
                if time.monotonic() > deadline:
                    raise
                await probe.close()
                await asyncio.sleep(0.3)
    finally:
        await probe.close()


async def object_keys(store: AttachmentObjects, prefix: str = "") -> list[str]:
    client = await store.client()
    keys: list[str] = []
    async for page in client.get_paginator("list_objects_v2").paginate(
        Bucket=store.bucket, Prefix=prefix
    ):
        keys += [entry["Key"] for entry in page.get("Contents", [])]
    return keys


async def object_bytes(store: AttachmentObjects) -> list[bytes]:
    """Every object of the store's bucket, as stored."""
    client = await store.client()
    found = []
    for key in await object_keys(store):
        answer = await client.get_object(Bucket=store.bucket, Key=key)
        async with answer["Body"] as body:
            found.append(await body.read())
    return found
