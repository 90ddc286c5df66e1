"""`safehands up` — what `make up` runs — brings every part to ready and stops them all."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from cli.embedded import free_port, port_open
from tests.support.platform import REPO, eventually
from tests.support.web import ensure_web_built


def children_of(pid: int) -> set[int]:
    found: set[int] = set()
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(
                line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line
            )
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(pid):
            found.add(int(status.parent.name))
    return found


def test_up_starts_everything_and_ctrl_c_leaves_nothing_behind(tmp_path: Path) -> None:
    ensure_web_built()  # what `make up` does before `safehands up`
    ports = {
        name: free_port()
        for name in ("gateway", "kafka", "mongo", "smtp", "intake", "policy", "reports", "notify")
    }
    args = [f"--{name}-port={port}" for name, port in ports.items()]
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("SAFEHANDS_")},
        "SAFEHANDS_DATA_DIR": str(tmp_path / "data"),
    }
    up = subprocess.Popen(
        [sys.executable, "-m", "cli", "up", *args],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:

        def all_ready() -> bool:
            for service in ("intake", "policy", "reports", "notify"):
                try:
                    if (
                        httpx.get(
                            f"http://127.0.0.1:{ports[service]}/readyz", timeout=1
                        ).status_code
                        != 200
                    ):
                        return False
                except httpx.HTTPError:
                    return False
            return True

        eventually(all_ready, timeout=90, interval=0.5)
        spawned = children_of(up.pid)
        assert len(spawned) == 8, spawned
        # One address: the gateway serves the app's pages and each service under /api/.
        gateway = f"http://127.0.0.1:{ports['gateway']}"
        page = httpx.get(f"{gateway}/o/demo/report", timeout=5)
        assert page.status_code == 200 and '<div id="app">' in page.text
        assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
        for service in ("intake", "policy", "reports", "notify"):
            answer = httpx.get(f"{gateway}/api/{service}/readyz", timeout=5)
            assert answer.status_code == 200, (service, answer.text)
        assert (tmp_path / "data" / "keys" / "jwt_public.pem").exists()
        assert (tmp_path / "data" / "db").is_dir(), "the database keeps its data on disk"
    finally:
        up.send_signal(signal.SIGINT)
        output, _ = up.communicate(timeout=60)
    assert up.returncode == 0, output
    assert "ready" in output and "Everything stopped." in output
    # The status table names the gateway first, with the address people open.
    table = output[output.index("SafeHands — embedded default") :]
    assert table.index("gateway") < table.index("kafka")
    assert f"http://127.0.0.1:{ports['gateway']}/" in table
    for pid in spawned:
        assert (
            not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text()
        )
    time.sleep(0.5)
    assert not any(port_open(port) for port in ports.values())
