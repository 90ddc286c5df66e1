"""Keeping the parts of `safehands up` running, as compose's `restart: unless-stopped` does:
a part that dies is started again, after a pause that doubles while it keeps dying quickly.
Only a part that keeps failing at start (it exits before it was ever ready, five times in a
row) is given up on, and the table says so. Each round the state of every part is written
to `<data dir>/status.json`, which `safehands status` shows."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from cli.embedded import ChildProcess, wait_for_port
from shared.private_files import write_private_file

# In the data directory, beside the logs.
STATUS_FILE = "status.json"
# Consecutive starts that end before the part was ready, after which it is given up on.
FAILED_STARTS_BEFORE_GIVING_UP = 5
FIRST_PAUSE_SECONDS = 1.0
LONGEST_PAUSE_SECONDS = 30.0
# How long a restart waits for a dead part's port to be free (see Part._port_held).
PORT_WAIT_SECONDS = 90.0
# A part that ran this long counts as having started well: its next death pauses briefly.
STABLE_AFTER_SECONDS = 60.0
# How often a part that is ready is asked again (a death is seen every round regardless). A
# service's readiness costs it a database ping and a broker metadata request: asked each
# second, that was a sixth of what the idle platform's services did (issue 27). Until
# ready, or while not, it is asked every round.
READY_CHECK_SECONDS = 5.0


def describe_exit(code: int) -> str:
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exited with {code}"


@dataclass
class Part:
    """One supervised child: its process, how it is found ready, and its restarts."""

    child: ChildProcess
    where: str
    is_ready: Callable[[], bool]
    # Started before the services (broker, database…): wait for its port when restarted.
    infrastructure: bool = False
    service: bool = False
    restarts: int = 0
    failed_starts: int = 0
    last_error: str | None = None
    gave_up: bool = False
    started_at: float = field(default_factory=time.monotonic)
    was_ready: bool = False
    restart_at: float | None = None
    died_at: float | None = None
    state: str = "starting"
    ready_checked_at: float | None = None

    @property
    def name(self) -> str:
        return self.child.name

    def observe(self, now: float) -> str | None:
        """Look at the part once; returns a sentence worth printing when something changed."""
        if self.gave_up:
            return None
        code = self.child.exit_code
        if code is None:
            checked = self.ready_checked_at
            recently = checked is not None and now - checked < READY_CHECK_SECONDS
            if self.state == "ready" and recently:
                return None
            self.ready_checked_at = now
            ready = self.is_ready()
            if ready and not self.was_ready:
                self.was_ready = True
                self.failed_starts = 0
            self.state = "ready" if ready else ("not ready" if self.was_ready else "starting")
            return None
        if self.restart_at is None:
            return self._died(code, now)
        if now >= self.restart_at and not self._port_held(now):
            self._restart(now)
            return f"{self.name}: started again (restart {self.restarts})."
        if now >= self.restart_at:
            self.state = "waiting for its port"
            return None
        self.state = f"restarting in {self.restart_at - now:.0f} s"
        return None

    def _died(self, code: int, now: float) -> str:
        self.died_at = now
        self.last_error = f"{describe_exit(code)} at {datetime.now(UTC):%H:%M:%S} UTC"
        ran = now - self.started_at
        if not self.was_ready:
            self.failed_starts += 1
        if self.failed_starts >= FAILED_STARTS_BEFORE_GIVING_UP:
            self.gave_up = True
            self.state = f"gave up: failed {self.failed_starts} starts in a row"
            return (
                f"{self.name} failed {self.failed_starts} times in a row before it was ready; "
                f"not starting it again. Its log: {self.child.log_path}"
            )
        quick = 0 if ran >= STABLE_AFTER_SECONDS else self.failed_starts
        pause = min(FIRST_PAUSE_SECONDS * 2**quick, LONGEST_PAUSE_SECONDS)
        self.restart_at = now + pause
        self.state = f"restarting in {pause:.0f} s"
        return f"{self.name} {describe_exit(code)}; starting it again in {pause:.0f} s."

    def _port_held(self, now: float) -> bool:
        """Whether the dead part's port still cannot be bound. A broker killed outright
        leaves its closed connections in TIME_WAIT for up to a minute, and Tansu binds
        without SO_REUSEADDR: started at once it dies with "address in use", five times,
        and would be given up on. So its start waits for the port (not counted as a failed
        start), for at most PORT_WAIT_SECONDS after its death. A part that binds with
        SO_REUSEADDR (the database and the rest) is not held up so: waiting for its port as
        well kept a killed database away for a minute more."""
        if not self.infrastructure or self.child.rebinds_at_once:
            return False  # the services' server binds with SO_REUSEADDR too
        if self.died_at is not None and now - self.died_at > PORT_WAIT_SECONDS:
            return False
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", self.child.port))
            except OSError:
                return True
        return False

    def _restart(self, now: float) -> None:
        self.child.stop()  # reaps it and closes its log
        self.restart_at = None
        self.restarts += 1
        self.was_ready = False
        self.started_at = now
        self.state = "starting"
        self.child.start()
        if self.infrastructure:
            # The broker or database first listens again, then the round goes on: services
            # that wait for it retry on their own meanwhile.
            # A part that does not come up is seen as a failed start in the next round.
            with contextlib.suppress(RuntimeError, TimeoutError):
                wait_for_port(self.child, timeout=30)

    def as_dict(self) -> dict[str, object]:
        process = self.child.process
        return {
            "part": self.name,
            "where": self.where,
            "pid": process.pid if process is not None and self.child.exit_code is None else None,
            "state": self.state,
            "restarts": self.restarts,
            "last_error": self.last_error,
            "log": str(self.child.log_path),
            "service": self.service,
        }


def write_status(path: Path, parts: list[Part], **about: str) -> None:
    """What `safehands status` reads: who runs `safehands up`, the state of each part, and
    `about` the platform (where its broker listens)."""
    document = {
        **about,
        "pid": os.getpid(),
        "updated_at": datetime.now(UTC).isoformat(),
        "parts": [part.as_dict() for part in parts],
    }
    write_private_file(path, json.dumps(document, indent=1).encode())
