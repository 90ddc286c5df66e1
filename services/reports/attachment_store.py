"""Where the ciphertext of attachments lives (issue 24): in reports' database, or in an
object store through its S3 API when one is configured (SAFEHANDS_ATTACHMENT_S3_ENDPOINT).

Only the bytes move. What decides stays in the database, in the transaction that decides:
the reservation and its tally (the limits hold under concurrency only there), how far an
upload got, and one document per stored piece, which names where its bytes are. So a piece
counts once its document is committed, whatever the object store holds besides.

The object store cannot join a database transaction, so its writes and deletions are made
safe around it:
- A piece's object gets a fresh name under its attachment's prefix
  (`<org>/<attachment id>/<n>.<random>`) and is written before its document. A transaction
  that then fails leaves an object that no document names: it is never read, and it goes
  with its attachment's prefix.
- Deleting an attachment (expiry, retention) removes its documents and records a purge of
  its prefix in the same transaction. `purge` later deletes every object under the prefix,
  then the record; one that fails stays recorded and is tried again on the next run, so a
  deletion is finished, never lost. The purge waits PURGE_GRACE after the deletion, so that
  a piece still being written by a request that loaded the attachment before it went has
  landed under the prefix when it is emptied.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
from collections.abc import AsyncIterator, Sequence
from datetime import datetime, timedelta
from typing import Any, Final, Protocol

from bson import Binary

from services.reports.domain.errors import FileStoreUnavailable
from services.reports.storage import ATTACHMENT_CHUNKS, ATTACHMENT_PURGES
from shared.logs import get_logger
from shared.runtime.background import BackgroundWork
from shared.runtime.runtime import Runtime
from shared.settings import Settings
from shared.storage.database import Database
from shared.storage.tenancy import Document
from shared.storage.unit_of_work import UnitOfWork

log = get_logger(__name__)

EXTENSION: Final = "attachment_store"
# Far longer than a request that loaded an attachment may still be writing one of its pieces
# (the object store's and the database's timeouts are seconds).
PURGE_GRACE: Final = timedelta(minutes=5)
PURGE_BATCH: Final = 200
# How long a failed connection to the object store waits before the next try.
RETRY_SECONDS: Final = 5.0


class AttachmentStore(Protocol):
    """The port: where a piece's bytes go and come from, and how they are let go of."""

    async def put(self, uow: UnitOfWork, attachment_id: str, n: int, data: bytes) -> None:
        """Store piece `n`, its document in `uow`'s transaction."""

    async def get(self, chunk: Document) -> bytes:
        """The bytes of a piece, given its document."""

    async def discard(self, uow: UnitOfWork, attachment_ids: Sequence[str], now: datetime) -> None:
        """In `uow`'s transaction: the pieces of these attachments are gone for good."""

    async def purge(self, db: Database, now: datetime) -> int:
        """Finish deletions that could not be part of a transaction; returns how many."""


class DatabaseStore:
    """The pieces in reports' database, one document each: nothing outside the transaction."""

    async def put(self, uow: UnitOfWork, attachment_id: str, n: int, data: bytes) -> None:
        await uow.collection(ATTACHMENT_CHUNKS).insert_one(
            {"attachment_id": attachment_id, "n": n, "data": Binary(data)}
        )

    async def get(self, chunk: Document) -> bytes:
        if "data" not in chunk:
            raise RuntimeError(
                "This attachment's pieces are in the object store, which is not configured "
                "(SAFEHANDS_ATTACHMENT_S3_ENDPOINT)."
            )
        return bytes(chunk["data"])

    async def discard(self, uow: UnitOfWork, attachment_ids: Sequence[str], now: datetime) -> None:
        await uow.collection(ATTACHMENT_CHUNKS).delete_many(
            {"attachment_id": {"$in": list(attachment_ids)}}
        )

    async def purge(self, db: Database, now: datetime) -> int:
        return 0


class ObjectStore:
    """The pieces as objects in an S3 bucket; their documents name them (module docstring).

    The client (aiobotocore) is made on first use and kept; the bucket is created then if it
    does not exist yet."""

    def __init__(
        self,
        *,
        endpoint: str,
        bucket: str,
        access_key_id: str,
        secret_access_key: str,
        region: str,
    ) -> None:
        self.bucket = bucket
        self._endpoint = endpoint
        self._credentials = (access_key_id, secret_access_key)
        self._region = region
        self._exit = contextlib.AsyncExitStack()
        self._client: Any = None
        self._opening = asyncio.Lock()

    async def client(self) -> Any:
        if self._client is not None:
            return self._client
        async with self._opening:
            if self._client is None:
                self._client = await self._open()
        return self._client

    async def _open(self) -> Any:
        # Imported here: a service without an object store never loads aiobotocore.
        from aiobotocore.config import AioConfig
        from aiobotocore.session import get_session
        from botocore.exceptions import ClientError

        access_key_id, secret_access_key = self._credentials
        client = await self._exit.enter_async_context(
            get_session().create_client(
                "s3",
                endpoint_url=self._endpoint,
                region_name=self._region,
                aws_access_key_id=access_key_id,
                aws_secret_access_key=secret_access_key,
                config=AioConfig(
                    connect_timeout=5,
                    read_timeout=30,
                    retries={"max_attempts": 3, "mode": "standard"},
                    # Path-style addresses work with every S3 store (SeaweedFS, MinIO, a
                    # name without DNS of its own, as in compose).
                    s3={"addressing_style": "path"},
                    request_checksum_calculation="when_required",
                    response_checksum_validation="when_required",
                ),
            )
        )
        try:
            await self._ensure_bucket(client, ClientError)
        except BaseException:
            await self._exit.aclose()
            raise
        return client

    async def _ensure_bucket(self, client: Any, client_error: type[Exception]) -> None:
        try:
            await client.head_bucket(Bucket=self.bucket)
            return
        except client_error as exc:
            code = getattr(exc, "response", {}).get("Error", {}).get("Code")
            if code not in ("404", "NoSuchBucket"):
                raise
        with contextlib.suppress(client.exceptions.BucketAlreadyOwnedByYou):
            await client.create_bucket(Bucket=self.bucket)

    async def close(self) -> None:
        self._client = None
        await self._exit.aclose()

    async def keep_open(self) -> None:
        """The background task: connect at start (so the first upload does not wait), and
        try again until the store answers."""
        while True:
            try:
                await self.client()
                break
            except Exception as exc:
                log.warning(
                    "object store for attachments not reachable yet",
                    error=type(exc).__name__,
                    retry_seconds=RETRY_SECONDS,
                )
                await asyncio.sleep(RETRY_SECONDS)
        await asyncio.Event().wait()

    async def put(self, uow: UnitOfWork, attachment_id: str, n: int, data: bytes) -> None:
        key = f"{_prefix(uow.org_id, attachment_id)}{n}.{secrets.token_hex(8)}"
        async with _answered("kept"):
            client = await self.client()
            await client.put_object(
                Bucket=self.bucket, Key=key, Body=data, ContentType="application/octet-stream"
            )
        await uow.collection(ATTACHMENT_CHUNKS).insert_one(
            {"attachment_id": attachment_id, "n": n, "object": key}
        )

    async def get(self, chunk: Document) -> bytes:
        if "object" not in chunk:  # stored before the object store was configured
            return bytes(chunk["data"])
        async with _answered("read"):
            client = await self.client()
            answer = await client.get_object(Bucket=self.bucket, Key=chunk["object"])
            async with answer["Body"] as body:
                data: bytes = await body.read()
        return data

    async def discard(self, uow: UnitOfWork, attachment_ids: Sequence[str], now: datetime) -> None:
        if not attachment_ids:
            return
        await uow.collection(ATTACHMENT_CHUNKS).delete_many(
            {"attachment_id": {"$in": list(attachment_ids)}}
        )
        purges = uow.collection(ATTACHMENT_PURGES)
        for attachment_id in attachment_ids:
            await purges.update_one(
                {"attachment_id": attachment_id},
                {"$set": {"purge_after": now + PURGE_GRACE}},
                upsert=True,
            )

    async def purge(self, db: Database, now: datetime) -> int:
        due = (
            await db.platform_collection(ATTACHMENT_PURGES)
            .find(
                {"purge_after": {"$lte": now}},
                projection={"org_id": 1, "attachment_id": 1},
                limit=PURGE_BATCH,
            )
            .to_list()
        )
        done = 0
        for record in due:
            org, attachment_id = record["org_id"], record["attachment_id"]
            try:
                await self.delete_prefix(_prefix(org, attachment_id))
            except Exception as exc:
                # Kept: the next run tries again.
                log.warning(
                    "attachment objects not deleted yet",
                    attachment_id=attachment_id,
                    error=type(exc).__name__,
                )
                continue
            await db.tenant_collection(org, ATTACHMENT_PURGES).delete_one(
                {"attachment_id": attachment_id}
            )
            done += 1
        return done

    async def delete_prefix(self, prefix: str) -> None:
        client = await self.client()
        pages = client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix)
        async for page in pages:
            keys = [{"Key": entry["Key"]} for entry in page.get("Contents", [])]
            if not keys:
                continue
            answer = await client.delete_objects(
                Bucket=self.bucket, Delete={"Objects": keys, "Quiet": True}
            )
            if answer.get("Errors"):
                raise RuntimeError(f"{len(answer['Errors'])} objects were not deleted")


@contextlib.asynccontextmanager
async def _answered(what: str) -> AsyncIterator[None]:
    """A store that is away or refuses is the platform's trouble, not the client's: 503 with
    a sentence (and the cause in the log, without the bytes or a key)."""
    try:
        yield
    except (FileStoreUnavailable, asyncio.CancelledError):
        raise
    except Exception as exc:
        log.warning("object store for attachments failed", error=type(exc).__name__)
        raise FileStoreUnavailable(
            f"The store of attachments did not answer, so the piece was not {what}; "
            "try again in a moment."
        ) from None


def _prefix(org: str, attachment_id: str) -> str:
    return f"{org}/{attachment_id}/"


def store_from_settings(settings: Settings) -> AttachmentStore:
    """The object store when an endpoint is set, the database otherwise."""
    login = settings.attachment_s3_login
    if settings.attachment_s3_endpoint is None or login is None:
        return DatabaseStore()
    return ObjectStore(
        endpoint=settings.attachment_s3_endpoint,
        bucket=settings.attachment_s3_bucket,
        access_key_id=login[0],
        secret_access_key=login[1],
        region=settings.attachment_s3_region,
    )


def attachment_extensions(runtime: Runtime) -> dict[str, Any]:
    return {EXTENSION: store_from_settings(runtime.settings)}


def attachment_background(runtime: Runtime) -> Sequence[BackgroundWork]:
    store = runtime.extensions[EXTENSION]
    if not isinstance(store, ObjectStore):
        return ()
    return (BackgroundWork("attachment-object-store", store.keep_open, store.close),)


def attachment_store_of(runtime: Runtime) -> AttachmentStore | None:
    """The store, once the runtime attached it (at start, before jobs run)."""
    store: AttachmentStore | None = runtime.extensions.get(EXTENSION)
    return store
