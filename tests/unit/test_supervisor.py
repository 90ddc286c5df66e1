"""`safehands up`'s supervision (cli/supervisor.py): a part that dies is started again after
a pause that doubles while it keeps failing at start; after five failed starts in a row it
is given up on, and only then."""

from __future__ import annotations

import socket
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from cli.embedded import ChildProcess, free_port
from cli.supervisor import (
    FAILED_STARTS_BEFORE_GIVING_UP,
    READY_CHECK_SECONDS,
    Part,
    describe_exit,
)


def crasher(tmp_path: Path) -> ChildProcess:
    return ChildProcess(
        name="crasher",
        command=[sys.executable, "-c", "import sys; sys.exit(3)"],
        port=free_port(),
        log_path=tmp_path / "crasher.log",
    )


def test_a_part_that_keeps_failing_at_start_is_restarted_with_backoff_then_given_up(
    tmp_path: Path,
) -> None:
    child = crasher(tmp_path)
    part = Part(child, "-", lambda: False)
    child.start()
    now = 0.0
    pauses: list[float] = []
    news: list[str] = []
    try:
        while not part.gave_up and len(news) < 40:
            assert child.process is not None
            child.process.wait(10)
            said = part.observe(now)
            if said:
                news.append(said)
            if part.restart_at is not None:
                pauses.append(part.restart_at - now)
                now = part.restart_at
                news.append(part.observe(now) or "")
    finally:
        child.stop()
    assert pauses == [2.0, 4.0, 8.0, 16.0]
    assert part.restarts == FAILED_STARTS_BEFORE_GIVING_UP - 1
    assert part.gave_up and part.state.startswith("gave up")
    assert "not starting it again" in news[-1]
    assert part.last_error is not None and "exited with 3" in part.last_error


def test_a_part_that_was_ready_is_always_started_again(tmp_path: Path) -> None:
    child = crasher(tmp_path)
    ready = [True]
    part = Part(child, "-", lambda: ready[0])
    part.was_ready = True
    child.start()
    try:
        now = 0.0
        for _ in range(FAILED_STARTS_BEFORE_GIVING_UP + 2):
            assert child.process is not None
            child.process.wait(10)
            part.was_ready = True  # it became ready before it died, each time
            said = part.observe(now)
            assert said is not None and "starting it again" in said
            assert part.restart_at is not None
            now = part.restart_at
            part.observe(now)
    finally:
        child.stop()
    assert not part.gave_up
    assert part.restarts == FAILED_STARTS_BEFORE_GIVING_UP + 2


def test_exits_are_described_in_words() -> None:
    assert describe_exit(-9) == "killed by SIGKILL"
    assert describe_exit(1) == "exited with 1"


def test_a_broker_is_started_again_only_once_its_port_is_free(tmp_path: Path) -> None:
    """A broker killed outright leaves its port held (TIME_WAIT) for up to a minute, and
    Tansu binds without SO_REUSEADDR: started at once it would die "address in use" five
    times and be given up on (seen in CI). Its restart waits for the port instead."""
    child = replace(crasher(tmp_path), rebinds_at_once=False)
    part = Part(child, "-", lambda: False, infrastructure=True)
    part.was_ready = True
    child.start()
    holder = socket.socket()
    holder.bind(("127.0.0.1", child.port))
    try:
        assert child.process is not None
        child.process.wait(10)
        assert part.observe(0.0) is not None  # it died: a restart is planned
        assert part.restart_at is not None
        due = part.restart_at
        assert part.observe(due) is None
        assert part.state == "waiting for its port" and part.restarts == 0
        assert part.failed_starts == 0  # waiting is no failed start
        holder.close()
        said = part.observe(due + 1)
        assert said is not None and "started again" in said and part.restarts == 1
    finally:
        holder.close()
        child.stop()


def leave_in_time_wait(port: int) -> None:
    """Leave `port` as a killed server leaves it: a connection whose server side closed
    first, in TIME_WAIT, which only a bind with SO_REUSEADDR passes."""
    with socket.socket() as listener:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", port))
        listener.listen()
        with socket.create_connection(("127.0.0.1", port)) as client:
            served, _ = listener.accept()
            served.close()
            client.recv(1)
    with socket.socket() as probe, pytest.raises(OSError):
        probe.bind(("127.0.0.1", port))


def test_a_database_is_started_again_at_once_though_its_port_is_in_time_wait(
    tmp_path: Path,
) -> None:
    """The database binds with SO_REUSEADDR (as the object store and the SMTP sink do): it
    need not wait for its port as the broker must. Waiting kept a killed database away for
    a minute (65 s in tests/e2e/test_up_restarts.py), every service answering 503 meanwhile."""
    child = crasher(tmp_path)
    part = Part(child, "-", lambda: False, infrastructure=True)
    part.was_ready = True
    leave_in_time_wait(child.port)
    child.start()
    try:
        assert child.process is not None
        child.process.wait(10)
        assert part.observe(0.0) is not None
        assert part.restart_at is not None
        said = part.observe(part.restart_at)
        assert said is not None and "started again" in said and part.restarts == 1
    finally:
        child.stop()


def test_a_ready_part_is_asked_again_every_few_seconds_not_every_round(tmp_path: Path) -> None:
    """A service's readiness costs it a database ping and a broker request: an idle platform
    asked each second spent a sixth of its services' work on it (issue 27)."""
    sleeper = ChildProcess(
        name="sleeper",
        command=[sys.executable, "-c", "import time; time.sleep(30)"],
        port=free_port(),
        log_path=tmp_path / "sleeper.log",
    )
    answers = iter([False, False, True, True, False, True])
    asked: list[float] = []

    def is_ready() -> bool:
        asked.append(now)
        return next(answers)

    part = Part(sleeper, "-", is_ready)
    sleeper.start()
    try:
        every = READY_CHECK_SECONDS
        rounds = [
            0.0,
            1.0,
            2.0,
            3.0,
            4.0,
            2.0 + every,
            3.0 + every,
            2.0 + 2 * every,
            3.0 + 2 * every,
        ]
        states = []
        for now in rounds:
            part.observe(now)
            states.append(part.state)
    finally:
        sleeper.stop()
    # Every round until ready; then once per READY_CHECK_SECONDS; every round while not.
    assert asked == [0.0, 1.0, 2.0, 2.0 + every, 2.0 + 2 * every, 3.0 + 2 * every]
    assert states[:5] == ["starting", "starting", "ready", "ready", "ready"]
    assert states[5:] == ["ready", "ready", "not ready", "ready"]
