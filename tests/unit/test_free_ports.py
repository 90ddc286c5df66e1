"""free_port() never hands one port to two processes: the test workers of `pytest -n` each
start brokers, databases and services on ports they pick, and a port is free to every other
process from the pick until the child binds it."""

from __future__ import annotations

import json
import multiprocessing
import time
from pathlib import Path

import pytest

from cli import embedded

PROCESSES = 4
PICKS = 60


def pick_many(connection: multiprocessing.connection.Connection) -> None:
    connection.send([embedded.free_port() for _ in range(PICKS)])
    connection.close()


def test_processes_picking_at_once_never_get_the_same_port(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A narrow range: independent picks of 240 ports out of 400 all but surely meet.
    monkeypatch.setattr(embedded, "_QUIET_PORTS", range(21000, 21400))
    monkeypatch.setattr(embedded, "_RESERVATIONS", tmp_path / "ports.json")
    context = multiprocessing.get_context("fork")  # the children keep the patched module
    pipes = [context.Pipe(duplex=False) for _ in range(PROCESSES)]
    workers = [context.Process(target=pick_many, args=(sender,)) for _, sender in pipes]
    for worker in workers:
        worker.start()
    picked = [port for receiver, _ in pipes for port in receiver.recv()]
    for worker in workers:
        worker.join(10)
    assert len(picked) == PROCESSES * PICKS
    assert len(set(picked)) == len(picked), "a port went to two processes"


def test_a_reservation_expires(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embedded, "_QUIET_PORTS", range(21400, 21402))
    monkeypatch.setattr(embedded, "_RESERVATIONS", tmp_path / "ports.json")
    monkeypatch.setattr(embedded, "_handed_out", set())
    long_ago = time.time() - embedded._RESERVED_SECONDS - 1
    (tmp_path / "ports.json").write_text(json.dumps({"21400": time.time(), "21401": long_ago}))
    assert embedded.free_port() == 21401


def test_an_unreadable_record_is_started_anew(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(embedded, "_QUIET_PORTS", range(21500, 21501))
    monkeypatch.setattr(embedded, "_RESERVATIONS", tmp_path / "ports.json")
    monkeypatch.setattr(embedded, "_handed_out", set())
    (tmp_path / "ports.json").write_text('{"215')  # a process died mid-write
    assert embedded.free_port() == 21500
    assert set(json.loads((tmp_path / "ports.json").read_text())) == {"21500"}
