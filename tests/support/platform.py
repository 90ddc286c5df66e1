"""Real parts for tests: the Tansu broker and SecantusDB on free ports, SafeHands services as
separate processes and the gateway (Caddy) in front of them, started exactly as
`safehands up` starts them."""

from __future__ import annotations

import contextlib
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from pymongo import MongoClient

from cli.embedded import ChildProcess, free_port, service_process, wait_for_port
from cli.gateway import ROUTED_SERVICES, WEB_DIST, gateway_process
from cli.memberships import record_membership
from cli.services import SERVICE_NAMES
from shared.auth.tokens import MAX_TOKEN_LIFETIME, Role, create_key_pair, mint_token
from shared.http.body_limit import DEFAULT_MAX_BODY_BYTES
from shared.storage.database import Database, IndexSpec
from shared.storage.tenancy import Document

REPO = Path(__file__).resolve().parents[2]


class MintedMemberships:
    """The memberships `Infrastructure.token` minted tokens for, recorded as `safehands
    token` records them (cli/memberships.py) in every platform of the infrastructure: those
    running when the token is minted, and those started later. Every service refuses a token
    of someone who is not a member with its role, and tests mint tokens before and after
    starting their platform."""

    def __init__(self) -> None:
        self._minted: list[tuple[str, str, Role]] = []
        # (database URI, database prefix) of each running platform.
        self._platforms: set[tuple[str, str]] = set()
        self._clients: dict[str, MongoClient[Document]] = {}

    def _record(self, uri: str, prefix: str, org: str, sub: str, role: Role) -> None:
        if uri not in self._clients:
            self._clients[uri] = MongoClient(uri, tz_aware=True, serverSelectionTimeoutMS=5000)
        record_membership(self._clients[uri], prefix, org=org, sub=sub, role=role)

    def mint(self, org: str, sub: str, role: Role) -> None:
        if (org, sub, role) not in self._minted:
            self._minted.append((org, sub, role))
        for uri, prefix in sorted(self._platforms):
            self._record(uri, prefix, org, sub, role)

    def attach(self, uri: str, prefix: str) -> None:
        if (uri, prefix) in self._platforms:
            return
        self._platforms.add((uri, prefix))
        for org, sub, role in self._minted:
            self._record(uri, prefix, org, sub, role)

    def detach(self, uri: str, prefix: str) -> None:
        self._platforms.discard((uri, prefix))


@dataclass(frozen=True)
class Infrastructure:
    kafka_bootstrap: str
    mongo_uri: str
    smtp_port: int
    maildir: Path
    data_dir: Path
    log_dir: Path
    # Shared by copies (dataclasses.replace with another database keeps the same record).
    memberships: MintedMemberships = field(default_factory=MintedMemberships, compare=False)

    @property
    def jwt_private_key(self) -> Path:
        return self.data_dir / "keys" / "jwt_private.pem"

    def token(self, role: Role, org: str | None = None, sub: str | None = None) -> str:
        """A token as `safehands token` mints it, its membership recorded on every platform
        of this infrastructure (the operator needs none)."""
        create_key_pair(self.jwt_private_key, self.data_dir / "keys" / "jwt_public.pem")
        subject = sub or f"test-{role}"
        if org is not None and role != "operator":
            self.memberships.mint(org, subject, role)
        # The longest the services accept: a test module may run for many minutes.
        return mint_token(
            self.jwt_private_key, roles=[role], org=org, sub=subject, lifetime=MAX_TOKEN_LIFETIME
        )

    @contextlib.asynccontextmanager
    async def scratch_database(
        self, prefix: str, indexes: Sequence[IndexSpec] = ()
    ) -> AsyncIterator[Database]:
        """A database of its own on the test SecantusDB, with `indexes`, dropped afterwards:
        for tests of storage, handlers and sweeps without a service process."""
        database = Database(self.mongo_uri, f"{prefix}_{uuid.uuid4().hex[:8]}", "/tests")
        try:
            await database.ensure_indexes(indexes)
            yield database
        finally:
            await database.client.drop_database(database.db.name)
            await database.close()


@dataclass
class RunningService:
    name: str
    child: ChildProcess
    url: str

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=10)

    def log_text(self) -> str:
        return (
            self.child.log_path.read_text(errors="replace") if self.child.log_path.exists() else ""
        )


@dataclass
class RunningGateway:
    """Caddy with deploy/Caddyfile: the web app at `url`, each service under `url/api/<name>/`."""

    child: ChildProcess
    url: str

    @property
    def log_path(self) -> Path:
        return self.child.log_path

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


@dataclass
class Platform:
    """One isolated platform on shared infrastructure: its own databases and consumer groups."""

    infra: Infrastructure
    name: str = field(default_factory=lambda: f"t{uuid.uuid4().hex[:8]}")
    running: list[RunningService] = field(default_factory=list)
    gateways: list[RunningGateway] = field(default_factory=list)

    @property
    def database(self) -> str:
        return self.name

    def env(self, **extra: str) -> dict[str, str]:
        return {
            "SAFEHANDS_KAFKA_BOOTSTRAP_SERVERS": self.infra.kafka_bootstrap,
            "SAFEHANDS_MONGO_URI": self.infra.mongo_uri,
            "SAFEHANDS_MONGO_DATABASE": self.database,
            "SAFEHANDS_CONSUMER_GROUP_PREFIX": self.name,
            "SAFEHANDS_DATA_DIR": str(self.infra.data_dir),
            "SAFEHANDS_SMTP_PORT": str(self.infra.smtp_port),
            "SAFEHANDS_WEBHOOKS_ALLOW_PRIVATE_NETWORKS": "true",
            "SAFEHANDS_OUTBOX_POLL_SECONDS": "0.2",
            # A consumer keeps its short fetch wait however long it was quiet: a test's
            # next event comes after seconds of set-up and checks, and would otherwise reach
            # each consumer up to half a second later, hop after hop. The lengthening has
            # its own tests (test_fetch_wait, test_idle_consumer_fetches); `safehands up`'s
            # tests run it as the embedded default does.
            "SAFEHANDS_KAFKA_IDLE_FETCH_MAX_WAIT_MS": "0",
            "SAFEHANDS_HANDLER_RETRY_BASE_SECONDS": "0.05",
            "SAFEHANDS_LEASE_SECONDS": "3",
            # Each start waits half of it for the group to form (on Tansu).
            "SAFEHANDS_KAFKA_SESSION_TIMEOUT_MS": "4000",
            **extra,
        }

    def start(
        self,
        service: str,
        *,
        failpoints: Iterable[str] = (),
        module: str | None = None,
        env: dict[str, str] | None = None,
        wait: bool = True,
    ) -> RunningService:
        extra = dict(env or {})
        self.infra.memberships.attach(self.infra.mongo_uri, self.database)
        if failpoints:
            extra["SAFEHANDS_TEST_FAILPOINTS"] = ",".join(failpoints)
        port = free_port()
        suffix = f"{service}-{len(self.running)}"
        child = service_process(service, port, self.env(**extra), self.infra.log_dir / self.name)
        child.log_path = self.infra.log_dir / self.name / f"{suffix}.log"
        if module:
            child.command = [sys.executable, "-m", module]
        child.start()
        running = RunningService(service, child, f"http://127.0.0.1:{port}")
        self.running.append(running)
        if wait:
            wait_until_ready(running)
        return running

    def start_services(
        self, *, identity_env: dict[str, str] | None = None, env: dict[str, str] | None = None
    ) -> dict[str, RunningService]:
        """Every service, as under `safehands up`: identity first, then the others at once,
        verifying tokens with its JWKS; returned when all are ready."""
        identity = self.start("identity", env=identity_env)
        jwks = {**(env or {}), "SAFEHANDS_JWKS_URL": f"{identity.url}/.well-known/jwks.json"}
        others = {
            name: self.start(name, env=jwks, wait=False)
            for name in SERVICE_NAMES
            if name != "identity"
        }
        for service in others.values():
            wait_until_ready(service)
        return {"identity": identity, **others}

    def start_gateway(
        self,
        upstreams: dict[str, str] | None = None,
        *,
        port: int | None = None,
        web_root: Path = WEB_DIST,
        env: dict[str, str] | None = None,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    ) -> RunningGateway:
        """A gateway on a free port in front of this platform's running services.

        `upstreams` (name → host:port) overrides where a service is found; a routed service
        that is not running points at a closed port, so it answers 502."""
        found = {service.name: service.url.removeprefix("http://") for service in self.running}
        closed = f"127.0.0.1:{free_port()}"
        routes = {name: found.get(name, closed) for name in ROUTED_SERVICES} | (upstreams or {})
        port = port or free_port()
        log_dir = self.infra.log_dir / self.name / f"gateway-{len(self.gateways)}"
        child = gateway_process(
            port,
            routes,
            web_root,
            log_dir / "state",
            log_dir,
            max_body_bytes=max_body_bytes,
            extra_env=env,
        )
        child.start()
        gateway = RunningGateway(child, f"http://127.0.0.1:{port}")
        self.gateways.append(gateway)
        try:
            wait_for_port(child, timeout=30)
        except (RuntimeError, TimeoutError) as exc:
            raise RuntimeError(f"{exc}\n{gateway.log_text()[-3000:]}") from None
        return gateway

    def stop_all(self) -> None:
        self.infra.memberships.detach(self.infra.mongo_uri, self.database)
        for gateway in self.gateways:
            gateway.child.stop()
        self.gateways.clear()
        for service in self.running:
            service.child.stop()
        self.running.clear()


def bearer(token: str) -> dict[str, str]:
    """The Authorization header that carries `token`."""
    return {"Authorization": f"Bearer {token}"}


def wait_until_ready(service: RunningService, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if service.child.exit_code is not None:
            raise RuntimeError(
                f"{service.name} exited with {service.child.exit_code}:\n{service.log_text()[-3000:]}"
            )
        try:
            if httpx.get(f"{service.url}/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{service.name} not ready after {timeout} s:\n{service.log_text()[-3000:]}")


def wait_for_exit(service: RunningService, timeout: float = 30) -> int:
    assert service.child.process is not None
    return service.child.process.wait(timeout)


def eventually(check, timeout: float = 20, interval: float = 0.2):  # type: ignore[no-untyped-def]
    """Poll `check` until it returns a truthy value; return that value or fail."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = check()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout} s (last value: {last!r})")
