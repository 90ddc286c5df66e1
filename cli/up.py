"""`safehands up`: the whole platform on one machine, each part its own process."""

from __future__ import annotations

import os
import signal
import time
import urllib.request
from functools import partial
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.live import Live
from rich.table import Table

from cli.embedded import (
    ChildProcess,
    broker_process,
    database_process,
    port_open,
    service_process,
    smtp_sink_process,
    wait_for_port,
)
from cli.gateway import WEB_DIST, gateway_process
from cli.memberships import remember_local_platform
from cli.object_store import attachment_store_env, local_object_store, object_store_process
from cli.services import SERVICES, definition_of, port_is_free
from cli.supervisor import STATUS_FILE, Part, write_status
from shared.auth.tokens import create_key_pair
from shared.http.body_limit import gateway_body_limit
from shared.runtime.rate_limit import create_rate_limit_secret
from shared.settings import SettingsError, load_settings

console = Console(stderr=True)


class Stop(Exception):
    pass


# Signals this close to the first are the same request: `make` passes its SIGTERM on to
# `safehands up`, which also got it as a member of make's process group.
SAME_REQUEST_SECONDS = 1.0


class Shutdown:
    """SIGINT, SIGTERM or SIGHUP stop the platform. The first one stops the children in order
    (services first, while broker and database still run). A later one hurries: it kills
    every child that still runs, and the stop still waits for each, so none is left behind.
    Should `safehands up` itself be killed, its children get a signal from the kernel
    (PR_SET_PDEATHSIG, see `ChildProcess.start`)."""

    def __init__(self, children: list[ChildProcess]) -> None:
        self.children = children
        self.requested_at: float | None = None

    def install(self) -> None:
        for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(number, self.on_signal)

    def begin(self) -> None:
        """From now on a signal hurries the stop; it never interrupts it."""
        if self.requested_at is None:
            self.requested_at = time.monotonic()

    def on_signal(self, _signum: int, _frame: object) -> None:
        if self.requested_at is None:
            self.begin()
            raise Stop
        if time.monotonic() - self.requested_at < SAME_REQUEST_SECONDS:
            return
        # No printing or waiting here: the main thread may be inside either.
        os.write(2, "Hurrying: killing what still runs…\n".encode())
        for child in self.children:
            child.kill_now()


def _service_ready(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=1) as answer:
            return bool(answer.status == 200)
    except OSError:
        return False


_COLOURS = {"ready": "green", "starting": "yellow", "not ready": "yellow"}


def _table(parts: list[Part]) -> Table:
    table = Table(title="SafeHands — embedded default (Ctrl-C stops everything)")
    for column in ("part", "listens on", "pid", "status", "restarts", "last error"):
        table.add_column(column)
    for part in parts:
        pid = str(part.child.process.pid) if part.child.process else "-"
        colour = _COLOURS.get(part.state, "red")
        table.add_row(
            part.name,
            part.where,
            pid,
            f"[{colour}]{part.state}[/{colour}]",
            str(part.restarts),
            part.last_error or "",
        )
    return table


def service_ports(overrides: list[str], named: dict[str, int | None]) -> dict[str, int]:
    """Each service's port: its default, a `--NAME-port`, or a `--port NAME=PORT` (last wins)."""
    ports = {service.name: service.default_port for service in SERVICES}
    ports.update({name: port for name, port in named.items() if port is not None})
    for override in overrides:
        name, _, port = override.partition("=")
        if name not in ports or not port.isdigit() or not 1 <= int(port) <= 65535:
            raise typer.BadParameter(
                f"{override!r} is not NAME=PORT with NAME one of {', '.join(ports)} "
                f"and PORT from 1 to 65535.",
                param_hint="--port",
            )
        ports[name] = int(port)
    return ports


def up(
    gateway_port: Annotated[
        int, typer.Option(help="The gateway: the web app and every API under /api/<service>/.")
    ] = 8080,
    kafka_port: Annotated[int, typer.Option(help="Kafka-protocol broker port.")] = 9092,
    broker: Annotated[
        str | None,
        typer.Option(
            help="Where the broker keeps its topics: `durable` (in an S3 object store under "
            "the data directory; they survive a restart) or `memory` (faster; gone on a "
            "restart). Default: SAFEHANDS_EMBEDDED_BROKER, else durable.",
        ),
    ] = None,
    s3_port: Annotated[
        int,
        typer.Option(
            help="The object store (S3) that the durable broker and reports' attachments use."
        ),
    ] = 8333,
    mongo_port: Annotated[int, typer.Option(help="MongoDB-protocol database port.")] = 27017,
    smtp_port: Annotated[int, typer.Option(help="SMTP sink port.")] = 1025,
    port: Annotated[
        list[str] | None,
        typer.Option(
            "--port",
            help="A service's port as NAME=PORT, e.g. --port identity=9085 (repeatable). "
            f"Defaults: {', '.join(f'{s.name}={s.default_port}' for s in SERVICES)}.",
        ),
    ] = None,
    intake_port: Annotated[int | None, typer.Option(help="Same as --port intake=PORT.")] = None,
    policy_port: Annotated[int | None, typer.Option(help="Same as --port policy=PORT.")] = None,
    reports_port: Annotated[int | None, typer.Option(help="Same as --port reports=PORT.")] = None,
    notify_port: Annotated[int | None, typer.Option(help="Same as --port notify=PORT.")] = None,
) -> None:
    """Start the gateway, broker, database, SMTP sink and the services; stop them all on Ctrl-C."""
    try:
        settings = load_settings()
    except SettingsError as exc:
        console.print(str(exc))
        raise typer.Exit(2) from None
    if broker not in (None, "durable", "memory"):
        console.print(f"--broker is `durable` or `memory`, not {broker!r}.")
        raise typer.Exit(2)
    durable = (broker or settings.embedded_broker) == "durable"
    data_dir: Path = settings.data_dir.resolve()
    log_dir = data_dir / "logs"
    ports_by_service = service_ports(
        port or [],
        {
            "intake": intake_port,
            "policy": policy_port,
            "reports": reports_port,
            "notify": notify_port,
        },
    )
    wanted = {
        gateway_port: "the gateway",
        kafka_port: "the Kafka-protocol broker",
        mongo_port: "the MongoDB-protocol database",
        smtp_port: "the SMTP sink",
        **({s3_port: "the object store"} if durable else {}),
        **{p: f"the {name} service" for name, p in ports_by_service.items()},
    }
    if len(wanted) < 4 + durable + len(ports_by_service):
        console.print("Two parts were given the same port: give each its own.")
        raise typer.Exit(2)
    for taken, what in wanted.items():
        if not port_is_free("127.0.0.1", taken):
            console.print(
                f"Port {taken} is already in use, so {what} cannot start: stop what uses it "
                f"or pick another port (see `safehands up --help`)."
            )
            raise typer.Exit(2)

    create_key_pair(
        settings.jwt_private_key_path,
        settings.jwt_public_key_path,
        settings.jwt_next_private_key_path,
    )
    if settings.rate_limit_secret is None:
        create_rate_limit_secret(settings.rate_limit_secret_path)
    env = {
        "SAFEHANDS_KAFKA_BOOTSTRAP_SERVERS": f"127.0.0.1:{kafka_port}",
        "SAFEHANDS_MONGO_URI": f"mongodb://127.0.0.1:{mongo_port}/?directConnection=true",
        "SAFEHANDS_SMTP_PORT": str(smtp_port),
        "SAFEHANDS_DATA_DIR": str(data_dir),
        "SAFEHANDS_WEBHOOKS_ALLOW_PRIVATE_NETWORKS": "true",
        # The gateway reaches the services from loopback: its X-Forwarded-For (the client it
        # determined) is believed from there, as nobody else's is by default.
        "SAFEHANDS_TRUSTED_PROXIES": os.environ.get(
            "SAFEHANDS_TRUSTED_PROXIES", "127.0.0.1/32,::1/128"
        ),
        # Every service verifies tokens with identity's keys; identity signs with the local
        # key pair, the one `safehands token` uses, so both kinds of token are accepted.
        "SAFEHANDS_JWKS_URL": (
            f"http://127.0.0.1:{ports_by_service['identity']}/.well-known/jwks.json"
        ),
        # Sign-in links (and notify's links) lead to the web app behind this gateway,
        # unless SAFEHANDS_WEB_URL names another address.
        "SAFEHANDS_WEB_URL": (
            settings.web_url
            if "SAFEHANDS_WEB_URL" in os.environ
            else f"http://127.0.0.1:{gateway_port}"
        ),
    }
    # So that `safehands token` records the memberships it mints for in this database.
    remember_local_platform(data_dir, env["SAFEHANDS_MONGO_URI"], settings.mongo_database)
    # reports keeps attachments in a bucket of its own on the store of the broker's topics
    # (unless the environment names another store); with the in-memory broker there is no
    # store, and they stay in the database.
    attachments_env: dict[str, str] = {}
    if durable:
        store = local_object_store(s3_port, data_dir / "keys")
        if "SAFEHANDS_ATTACHMENT_S3_ENDPOINT" not in os.environ:
            attachments_env = attachment_store_env(store)
        try:
            objects = object_store_process(store, data_dir / "objects", log_dir)
        except RuntimeError as exc:  # no weed binary
            console.print(str(exc))
            raise typer.Exit(2) from None
        # First the store, then the broker that keeps its topics there.
        infrastructure = [
            objects,
            broker_process(kafka_port, log_dir, store.storage_engine, store.client_env()),
        ]
    else:
        infrastructure = [broker_process(kafka_port, log_dir)]
    infrastructure += [
        database_process(mongo_port, data_dir / "db", log_dir),
        smtp_sink_process(smtp_port, data_dir / "mail", log_dir),
    ]
    services = [
        service_process(name, p, {**env, **(attachments_env if name == "reports" else {})}, log_dir)
        for name, p in ports_by_service.items()
    ]
    upstreams = {name: f"127.0.0.1:{p}" for name, p in ports_by_service.items()}
    try:
        gateway = gateway_process(
            gateway_port,
            upstreams,
            WEB_DIST,
            data_dir / "gateway",
            log_dir,
            # The services' body limit: what none of them accepts is refused at the gateway.
            max_body_bytes=gateway_body_limit(settings.http_max_body_bytes),
        )
    except RuntimeError as exc:  # no caddy binary
        console.print(str(exc))
        raise typer.Exit(2) from None
    if not (WEB_DIST / "index.html").is_file():
        console.print(
            f"[yellow]The web app is not built ({WEB_DIST} is missing), so the gateway serves "
            "only the APIs: run `make up`, which builds it.[/yellow]"
        )
    where = {
        id(gateway): f"http://127.0.0.1:{gateway_port}/",
        **{id(c): f"127.0.0.1:{c.port}" for c in infrastructure},
        **{id(c): f"http://127.0.0.1:{c.port}  (docs: /docs)" for c in services},
    }
    started: list[ChildProcess] = []
    shutdown = Shutdown(started)
    shutdown.install()
    try:
        for child in infrastructure:
            # Listed before it starts, so a signal during its start still stops it.
            started.append(child)
            child.start()
            wait_for_port(child, timeout=60)
        started.append(gateway)
        gateway.start()
        wait_for_port(gateway, timeout=30)
        for child in services:
            started.append(child)
            child.start()
        console.print(f"Logs are in {log_dir}; data in {data_dir}.")
        parts = [
            Part(c, where[id(c)], partial(port_open, c.port), infrastructure=c is not gateway)
            for c in (gateway, *infrastructure)
        ] + [Part(c, where[id(c)], partial(_service_ready, c.port), service=True) for c in services]
        about = {
            "kafka_bootstrap": env["SAFEHANDS_KAFKA_BOOTSTRAP_SERVERS"],
            "consumer_group_prefix": settings.consumer_group_prefix,
        }
        _supervise(parts, data_dir / STATUS_FILE, about)
    except Stop:
        console.print("Stopping… (again to hurry)")
    except (RuntimeError, TimeoutError) as exc:
        console.print(str(exc))
        raise typer.Exit(1) from None
    finally:
        shutdown.begin()
        # Services first, so they finish their work while broker and database still run.
        for child in reversed(started):
            child.stop()
        console.print("Everything stopped.")


def _supervise(parts: list[Part], status_path: Path, about: dict[str, str]) -> None:
    """Watch every part (the gateway first), start again what dies, and show the table:
    live on a terminal, else printed whenever a status changes."""

    def observe() -> None:
        now = time.monotonic()
        for part in parts:
            news = part.observe(now)
            if news is not None:
                console.print(news)
        write_status(status_path, parts, **about)

    if console.is_terminal:
        with Live(_table(parts), console=console, refresh_per_second=1) as live:
            while True:
                observe()
                live.update(_table(parts))
                time.sleep(1)
    else:
        last: list[str] = []
        while True:
            observe()
            states = [part.state for part in parts]
            if states != last:
                # Wide enough for every column, addresses unbroken: a log has no width.
                Console(stderr=True, width=200).print(_table(parts))
                last = states
            time.sleep(1)


__all__ = ["definition_of", "up"]
