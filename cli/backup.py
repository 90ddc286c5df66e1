"""`safehands backup` and `safehands restore`: one archive of what the platform needs to come
back, encrypted to an age recipient that the operator keeps.

The archive (a tar, then age-encrypted with `pyrage`) holds:
- `manifest.json`: when, from which database prefix, each collection's document count, and
  the note on the broker below;
- `db/<service>/<collection>.bson`: every document of every collection of every service's
  database, as BSON one after the other (what mongodump writes), read in ONE snapshot
  transaction across all databases, so the copy is of one moment: no service's outbox
  row without the state change it was written with, no inbox entry without its effect;
- `db/<service>/<collection>.indexes.json`: the collection's indexes;
- `keys/…`: the files of the data directory's `keys/`: identity's signing keys and the
  rate limiter's secret (and the object store's credentials).

The broker's topics are not in it. What the database does not have of them is either still
in an outbox (committed, not yet relayed: the restored relay publishes it) or already
consumed by every service that needs it (its effect and inbox entry are in the copy). What
falls between (relayed, but at that moment not yet consumed by some service) is read from
the broker when the backup is made, from each service's committed offset to the end, and
kept as `events.jsonl`; `safehands restore` publishes it again, and each consumer's inbox
skips what it had already applied.
"""

from __future__ import annotations

import asyncio
import base64
import io
import json
import tarfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import bson
import pyrage
import typer
from aiokafka import AIOKafkaConsumer, TopicPartition
from pymongo import MongoClient
from pymongo.errors import PyMongoError
from pymongo.read_concern import ReadConcern

from cli.embedded import ChildProcess, database_process, free_port, wait_for_port
from cli.memberships import local_database
from cli.services import SERVICE_NAMES
from cli.status import committed_offsets, read_status
from cli.supervisor import STATUS_FILE
from shared.private_files import write_private_file
from shared.settings import Settings, SettingsError, load_settings
from shared.storage.leases import LEASES
from shared.storage.outbox_ids import next_outbox_id
from shared.storage.unit_of_work import OUTBOX

FORMAT = 1
BROKER_NOTE = (
    "The broker's topics are not in this archive: events still in an outbox are published by "
    "the restored relays, and events that some service had not consumed yet when the backup "
    "was made are in events.jsonl, which `safehands restore` publishes again (the inboxes "
    "skip what was applied already)."
)


class BackupError(Exception):
    """Why a backup or restore cannot be done, in one sentence."""


def generate_identity(path: Path) -> str:
    """An age identity written to `path` (0600); returns its recipient (age1…)."""
    identity = pyrage.x25519.Identity.generate()
    recipient = str(identity.to_public())
    write_private_file(
        path,
        f"# recipient: {recipient}\n{identity}\n".encode(),
        overwrite=False,
    )
    return recipient


def _identity_from(path: Path) -> pyrage.x25519.Identity:
    lines = [ln.strip() for ln in path.read_text().splitlines()]
    for line in lines:
        if line.startswith("AGE-SECRET-KEY-"):
            return pyrage.x25519.Identity.from_str(line)
    raise BackupError(f"{path} holds no age identity (a line starting AGE-SECRET-KEY-).")


def service_databases(prefix: str) -> dict[str, str]:
    """Each service's database name for a database prefix."""
    return {service: f"{prefix}_{service}" for service in SERVICE_NAMES}


def _add(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(time.time())
    info.mode = 0o600
    archive.addfile(info, io.BytesIO(data))


def _snapshot(client: MongoClient[Any], prefix: str) -> Iterator[tuple[str, str, bytes, Any]]:
    """(service, collection, BSON documents, indexes) of every collection, all read in one
    transaction with read concern "snapshot": one moment across every database."""
    existing = set(client.list_database_names())
    # Collections and indexes first: MongoDB lists neither inside a transaction.
    listed = [
        (service, collection, list(client[name][collection].list_indexes()))
        for service, name in service_databases(prefix).items()
        if name in existing
        for collection in sorted(client[name].list_collection_names())
        # Leases say which running instance does a job now: none of them runs after a
        # restore, and a restored lease would only hold the work up until it expired.
        if collection != LEASES
    ]
    with (
        client.start_session() as session,
        session.start_transaction(read_concern=ReadConcern("snapshot")),
    ):
        for service, collection, indexes in listed:
            found = client[f"{prefix}_{service}"][collection].find({}, session=session)
            documents = b"".join(bson.encode(document) for document in found.sort("_id", 1))
            yield service, collection, documents, indexes


async def _in_flight(bootstrap: str, group_prefix: str) -> list[dict[str, Any]]:
    """Records that some service's consumer group has not committed yet: from its committed
    offset to the end of each partition (each record once, whoever still needs it). A
    partition of a topic the group reads (it committed on another of its partitions) where
    it has committed nothing yet is read from its beginning."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        await consumer.topics()  # the metadata of every topic, for partitions_for_topic
        start: dict[TopicPartition, int] = {}
        for service in SERVICE_NAMES:
            committed = await committed_offsets(bootstrap, f"{group_prefix}-{service}")
            read = {partition.topic for partition in committed}
            for topic in read:
                for number in consumer.partitions_for_topic(topic) or ():
                    partition = TopicPartition(topic, number)
                    if partition not in committed:
                        first = (await consumer.beginning_offsets([partition]))[partition]
                        committed[partition] = first
            for partition, offset in committed.items():
                start[partition] = min(start.get(partition, offset), offset)
        if not start:
            return []
        end = await consumer.end_offsets(list(start))
        wanted = {tp: offset for tp, offset in start.items() if end[tp] > offset}
        if not wanted:
            return []
        consumer.assign(list(wanted))
        for partition, offset in wanted.items():
            consumer.seek(partition, offset)
        found: list[dict[str, Any]] = []
        remaining = set(wanted)
        deadline = time.monotonic() + 60
        while remaining and time.monotonic() < deadline:
            batch = await consumer.getmany(timeout_ms=500)
            for partition, records in batch.items():
                for record in records:
                    if record.offset < end[partition]:
                        found.append(
                            {
                                "topic": record.topic,
                                "key": base64.b64encode(record.key or b"").decode(),
                                "value": base64.b64encode(record.value or b"").decode(),
                                "headers": [
                                    [n, base64.b64encode(v).decode()] for n, v in record.headers
                                ],
                            }
                        )
            remaining = {tp for tp in remaining if await consumer.position(tp) < end[tp]}
        if remaining:
            raise BackupError("The broker did not hand over the unconsumed events in time.")
        return found
    finally:
        await consumer.stop()


def write_backup(
    mongo_uri: str,
    prefix: str,
    keys_dir: Path,
    recipient: str,
    *,
    kafka_bootstrap: str | None = None,
    consumer_group_prefix: str = "safehands",
) -> bytes:
    """The encrypted archive of the platform whose databases start with `prefix`."""
    try:
        to = pyrage.x25519.Recipient.from_str(recipient)
    except pyrage.RecipientError:
        raise BackupError(f"{recipient!r} is not an age recipient (age1…).") from None
    # The broker's unconsumed records first: whatever is consumed after this moment is in
    # the snapshot's inboxes too, and the restore's consumers skip it.
    events = (
        asyncio.run(_in_flight(kafka_bootstrap, consumer_group_prefix)) if kafka_bootstrap else []
    )
    counts: dict[str, dict[str, int]] = {}
    buffer = io.BytesIO()
    client: MongoClient[Any]
    with (
        MongoClient(mongo_uri, tz_aware=True, serverSelectionTimeoutMS=5000) as client,
        tarfile.open(fileobj=buffer, mode="w") as archive,
    ):
        for service, collection, documents, indexes in _snapshot(client, prefix):
            counts.setdefault(service, {})[collection] = len(bson.decode_all(documents))
            _add(archive, f"db/{service}/{collection}.bson", documents)
            _add(
                archive,
                f"db/{service}/{collection}.indexes.json",
                json.dumps([dict(index) for index in indexes], default=str).encode(),
            )
        if not counts:
            raise BackupError(f"No database of the platform {prefix!r} was found at {mongo_uri}.")
        for path in sorted(keys_dir.iterdir()) if keys_dir.is_dir() else ():
            if path.is_file() and not path.name.startswith("."):
                _add(archive, f"keys/{path.name}", path.read_bytes())
        _add(archive, "events.jsonl", "".join(json.dumps(e) + "\n" for e in events).encode())
        manifest = {
            "format": FORMAT,
            "created_at": datetime.now(UTC).isoformat(),
            "database_prefix": prefix,
            "collections": counts,
            "unconsumed_events": len(events),
            "broker": BROKER_NOTE,
        }
        _add(archive, "manifest.json", json.dumps(manifest, indent=1).encode())
    return bytes(pyrage.encrypt(buffer.getvalue(), [to]))


def _index_options(index: dict[str, Any]) -> dict[str, Any]:
    kept = ("unique", "sparse", "partialFilterExpression", "expireAfterSeconds", "collation")
    return {name: index[name] for name in kept if name in index}


def restore_backup(
    encrypted: bytes,
    identity_file: Path,
    mongo_uri: str,
    prefix: str,
    keys_dir: Path,
) -> dict[str, Any]:
    """Bring an archive back into an empty platform: none of its databases exists and its
    keys directory holds no key. Returns the archive's manifest."""
    try:
        plain = pyrage.decrypt(encrypted, [_identity_from(identity_file)])
    except pyrage.DecryptError:
        raise BackupError("This identity does not open the archive.") from None
    with tarfile.open(fileobj=io.BytesIO(plain), mode="r") as archive:
        files = {
            member.name: archive.extractfile(member).read()  # type: ignore[union-attr]
            for member in archive.getmembers()
            if member.isfile()
        }
    manifest: dict[str, Any] = json.loads(files["manifest.json"])
    if manifest.get("format") != FORMAT:
        raise BackupError("This archive was written by another version of safehands.")
    targets = service_databases(prefix)
    existing_keys = [p.name for p in keys_dir.iterdir()] if keys_dir.is_dir() else []
    if existing_keys:
        raise BackupError(
            f"{keys_dir} already holds keys ({', '.join(sorted(existing_keys))}): restore "
            "into an empty platform."
        )
    client: MongoClient[Any]
    with MongoClient(mongo_uri, tz_aware=True, serverSelectionTimeoutMS=5000) as client:
        taken = sorted(set(targets.values()) & set(client.list_database_names()))
        if taken:
            raise BackupError(
                f"The database {taken[0]} already exists: restore into an empty platform "
                "(before its first start)."
            )
        for name, data in sorted(files.items()):
            if not (name.startswith("db/") and name.endswith(".bson")):
                continue
            service, collection = name.removeprefix("db/").removesuffix(".bson").split("/", 1)
            database: Any = client[targets[service]]
            documents = bson.decode_all(data)
            target = database[collection]
            for index in json.loads(files[f"db/{service}/{collection}.indexes.json"]):
                if index["name"] == "_id_":
                    continue
                target.create_index(
                    list(index["key"].items()), name=index["name"], **_index_options(index)
                )
            if documents:
                target.insert_many(documents, ordered=True)
            else:
                database.create_collection(collection, check_exists=False)
        events = [json.loads(line) for line in files["events.jsonl"].decode().splitlines() if line]
        _into_outboxes(client, targets, events)
    for name, data in files.items():
        if name.startswith("keys/"):
            write_private_file(keys_dir / name.removeprefix("keys/"), data, overwrite=False)
    return manifest


def _into_outboxes(
    client: MongoClient[Any], targets: dict[str, str], events: list[dict[str, Any]]
) -> None:
    """The unconsumed events, back in the outbox of the service that published them (by
    their `ce_source`): its relay publishes them when it starts, on topics it creates with
    the platform's partitions, in their order; the inboxes skip what was applied already."""
    rows: dict[str, list[dict[str, Any]]] = {}
    for event in events:
        headers = [[n, base64.b64decode(v)] for n, v in event["headers"]]
        found = {n: bytes(v).decode(errors="replace") for n, v in headers}
        service = found.get("ce_source", "").strip("/")
        value = base64.b64decode(event["value"])
        try:
            org_id = json.loads(value).get("org_id")
        except ValueError:
            org_id = None
        rows.setdefault(service if service in targets else "intake", []).append(
            {
                "_id": next_outbox_id(),
                "event_id": found.get("ce_id"),
                "org_id": org_id,
                "topic": event["topic"],
                "key": base64.b64decode(event["key"]),
                "value": value,
                "headers": headers,
                "created_at": datetime.now(UTC),
            }
        )
    for service, outbox_rows in rows.items():
        client[targets[service]][OUTBOX].insert_many(outbox_rows, ordered=True)


# The command line: `safehands backup`, `safehands restore`, `safehands backup-key`.


def _fail(message: str, code: int = 2) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(code)


def _settings() -> Settings:
    try:
        return load_settings()
    except SettingsError as exc:
        raise _fail(str(exc)) from None


def backup_key_command(
    identity_file: Annotated[
        Path, typer.Option(help="Where the age identity is written (mode 0600); keep it safe.")
    ],
) -> None:
    """Make an age key pair for backups: prints the recipient to give `safehands backup`."""
    try:
        typer.echo(generate_identity(identity_file))
    except FileExistsError:
        raise _fail(
            f"{identity_file} exists already: it may be the key to earlier backups."
        ) from None


def backup_command(
    recipient: Annotated[
        str, typer.Option(help="The age recipient (age1…) the archive is encrypted to.")
    ],
    output: Annotated[
        Path | None, typer.Option(help="The archive; default safehands-<UTC time>.backup.age.")
    ] = None,
) -> None:
    """Write one encrypted archive of the platform: every service's database, consistent to
    one moment, its signing and rate-limit keys, and the events not yet consumed."""
    settings = _settings()
    mongo_uri, prefix = local_database(settings)
    data_dir = settings.data_dir.resolve()
    running = read_status(data_dir / STATUS_FILE)
    bootstrap = (
        running.get("kafka_bootstrap")
        if running
        else (
            settings.kafka_bootstrap_servers
            if "kafka_bootstrap_servers" in settings.model_fields_set
            else None
        )
    )
    target = output or Path(f"safehands-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.backup.age")
    try:
        archive = write_backup(
            mongo_uri,
            prefix,
            data_dir / "keys",
            recipient,
            kafka_bootstrap=bootstrap,
            consumer_group_prefix=settings.consumer_group_prefix,
        )
    except BackupError as exc:
        raise _fail(str(exc)) from None
    except PyMongoError as exc:
        raise _fail(
            f"The database at {mongo_uri} could not be read: {type(exc).__name__}.", 1
        ) from None
    write_private_file(target, archive, overwrite=False)
    if bootstrap is None:
        typer.echo(
            "No broker was running: events not yet consumed are not in the archive.", err=True
        )
    typer.echo(str(target))


def restore_command(
    archive: Annotated[Path, typer.Argument(help="The archive `safehands backup` wrote.")],
    identity_file: Annotated[Path, typer.Option(help="The age identity that opens it.")],
) -> None:
    """Bring an archive back into an empty platform (before its first `safehands up`, or
    into the empty database SAFEHANDS_MONGO_URI names)."""
    settings = _settings()
    data_dir = settings.data_dir.resolve()
    if read_status(data_dir / STATUS_FILE) is not None:
        raise _fail("safehands up is running: restore into an empty platform, not this one.")
    try:
        encrypted = archive.read_bytes()
    except OSError:
        raise _fail(f"{archive} cannot be read.") from None
    database: ChildProcess | None = None
    if "mongo_uri" in settings.model_fields_set:
        mongo_uri = settings.mongo_uri
    else:
        # The embedded database, on the data directory `safehands up` will use.
        database = database_process(free_port(), data_dir / "db", data_dir / "logs")
        database.start()
        wait_for_port(database, timeout=60)
        mongo_uri = f"mongodb://127.0.0.1:{database.port}/?directConnection=true"
    try:
        manifest = restore_backup(
            encrypted, identity_file, mongo_uri, settings.mongo_database, data_dir / "keys"
        )
    except BackupError as exc:
        raise _fail(str(exc)) from None
    finally:
        if database is not None:
            database.stop()
    total = sum(sum(c.values()) for c in manifest["collections"].values())
    typer.echo(
        f"Restored {total} documents of {manifest['created_at']}, the keys, and "
        f"{manifest['unconsumed_events']} events for the relays to publish again."
    )
