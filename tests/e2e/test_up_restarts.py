"""`safehands up` starts again a part that dies (compose's `restart: unless-stopped`), says
so in `safehands status`, and applications that arrive meanwhile are each decided once:
every service, the broker and the database killed in turn."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import pytest
from pymongo import MongoClient

from cli.embedded import free_port, port_open
from cli.services import SERVICE_NAMES
from tests.support.platform import REPO, bearer, eventually

INFRASTRUCTURE = ("gateway", "kafka", "mongo", "smtp", "s3")
ROLE = {"title": "Jeugdleider", "works_with_minors": True, "works_with_vulnerable": False}


def run_cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cli", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def status(env: dict[str, str]) -> dict[str, dict[str, Any]]:
    shown = run_cli(env, "status", "--json")
    assert shown.returncode == 0, shown.stderr
    return {part["part"]: part for part in json.loads(shown.stdout)}


# Its own waits bound it (each part back within 90 s, every decision within 180 s: about
# 1,100 s in all), not the suite's 300 s guard against hangs: it takes four minutes on a
# quiet machine, and more beside the other workers of `make test`.
@pytest.mark.timeout(1200)
def test_a_part_killed_under_up_comes_back_and_every_application_is_decided_once(
    tmp_path: Path,
) -> None:
    ports = {name: free_port() for name in (*INFRASTRUCTURE, *SERVICE_NAMES)}
    args = [
        f"--{name}-port={port}" if name in INFRASTRUCTURE else f"--port={name}={port}"
        for name, port in ports.items()
    ]
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("SAFEHANDS_")},
        "SAFEHANDS_DATA_DIR": str(tmp_path / "data"),
        # Many applications from this one client: no limit or proof of work in the way.
        "SAFEHANDS_RATE_LIMIT_PER_CLIENT": "10000",
        "SAFEHANDS_PROOF_OF_WORK_ABOVE_PER_MINUTE": "10000",
    }
    assert run_cli(env, "status").returncode == 1, "nothing runs yet"
    # Its output goes to a file, not a pipe: a pipe nobody reads until the end fills up
    # with the status tables it prints, and `up` would then stop in mid-write.
    up_log = tmp_path / "up.log"
    up_output = up_log.open("w")
    up = subprocess.Popen(
        [sys.executable, "-m", "cli", "up", *args],
        cwd=REPO,
        env=env,
        stdout=up_output,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output = ""
    try:

        def all_ready() -> bool:
            try:
                parts = status(env)
            except (AssertionError, ValueError, subprocess.TimeoutExpired):
                return False
            return len(parts) == len(ports) and all(p["state"] == "ready" for p in parts.values())

        eventually(all_ready, timeout=120, interval=1)
        intake = httpx.Client(base_url=f"http://127.0.0.1:{ports['intake']}", timeout=10)
        policy = httpx.Client(base_url=f"http://127.0.0.1:{ports['policy']}", timeout=10)
        operator = run_cli(env, "token", "--role", "operator").stdout.strip()
        admin = run_cli(env, "token", "--role", "admin", "--org", "demo").stdout.strip()
        registered = policy.post(
            "/v1/orgs", json={"org_id": "demo", "name": "Demo"}, headers=bearer(operator)
        )
        assert registered.status_code == 201, registered.text
        role = policy.put("/v1/orgs/demo/roles/coach", json=ROLE, headers=bearer(admin))
        assert role.status_code in (200, 201), role.text
        body = {"role_id": "coach", "name": "Anna de Vries", "email": "anna@example.org"}
        eventually(
            lambda: intake.post("/v1/orgs/demo/applications", json=body).status_code == 202,
            timeout=60,
        )

        accepted: list[str] = []
        refused: list[int] = []
        stop = threading.Event()

        def apply_until_stopped() -> None:
            with httpx.Client(base_url=intake.base_url, timeout=10) as http:
                # A steady trickle (at most 150): enough to span the kills and the restarts,
                # not a backlog that a loaded test machine needs minutes to decide. While
                # intake or the database is down an application is refused (no connection,
                # or 503), as a person's would be, and the next one tries again.
                while not stop.is_set() and len(accepted) < 150:
                    try:
                        answer = http.post("/v1/orgs/demo/applications", json=body)
                    except httpx.HTTPError:
                        answer = None
                    if answer is not None and answer.status_code == 202:
                        accepted.append(answer.json()["volunteer_id"])
                    elif answer is not None:
                        refused.append(answer.status_code)
                    time.sleep(0.5)

        applicant = threading.Thread(target=apply_until_stopped)
        applicant.start()
        try:
            # Each in turn, by SIGKILL (no goodbye): every service, the broker, the database.
            for part in (*SERVICE_NAMES, "kafka (tansu)", "mongodb (secantus)"):
                before = status(env)[part]
                os.kill(before["pid"], signal.SIGKILL)

                def back(part: str = part, before: dict[str, Any] = before) -> bool:
                    now = status(env)[part]
                    return bool(
                        now["restarts"] == before["restarts"] + 1
                        and now["state"] == "ready"
                        and now["pid"] != before["pid"]
                    )

                eventually(back, timeout=90, interval=1)
                assert "killed by SIGKILL" in status(env)[part]["last_error"]
                time.sleep(2)
        finally:
            stop.set()
            applicant.join(30)
        assert len(accepted) >= 10
        # Refused only as a person is while a part is down: never a 4xx, never a 500.
        assert {status for status in refused} <= {502, 503}, refused

        mongo = MongoClient(f"mongodb://127.0.0.1:{ports['mongo']}/?directConnection=true")
        admissions = mongo["safehands_policy"]["admissions"]

        def all_decided() -> Counter[str] | None:
            counted = Counter(row["volunteer_id"] for row in admissions.find({"org_id": "demo"}))
            return counted if set(counted) >= set(accepted) else None

        # Every application accepted meanwhile has its one admission file at policy.
        decided = eventually(all_decided, timeout=180, interval=1)
        assert {v: n for v, n in decided.items() if n != 1} == {}
        mongo.close()
    finally:
        up.send_signal(signal.SIGINT)
        up.wait(timeout=60)
        up_output.close()
        output = up_log.read_text()
    assert up.returncode == 0, output
    assert "policy killed by SIGKILL; starting it again" in output
    assert "gave up" not in output
    eventually(lambda: not any(port_open(port) for port in ports.values()), timeout=10)
