"""`safehands up` — what `make up` runs — brings every part to ready and stops them all,
however it is stopped: Ctrl-C, Ctrl-C twice, SIGTERM to `make`'s process group (which make
passes on as well) or SIGKILL of `safehands up` itself."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx

from cli.embedded import free_port, port_open
from cli.object_store import ATTACHMENTS_BUCKET, REGION, local_object_store
from cli.services import SERVICE_NAMES
from services.reports.attachment_store import ObjectStore
from tests.support.object_store import object_keys
from tests.support.platform import REPO, eventually
from tests.support.web import ensure_web_built

# s3: the object store that the durable broker (the default) keeps its topics in.
INFRASTRUCTURE = ("gateway", "kafka", "mongo", "smtp", "s3")


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


def run_cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cli", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_up_starts_everything_and_ctrl_c_leaves_nothing_behind(tmp_path: Path) -> None:
    ensure_web_built()  # what `make up` does before `safehands up`
    ports = {name: free_port() for name in (*INFRASTRUCTURE, *SERVICE_NAMES)}
    # Infrastructure and intake by their own options, the other services by --port NAME=PORT.
    args = [
        f"--{name}-port={port}" if name in (*INFRASTRUCTURE, "intake") else f"--port={name}={port}"
        for name, port in ports.items()
    ]
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("SAFEHANDS_")},
        "SAFEHANDS_DATA_DIR": str(tmp_path / "data"),
        "SAFEHANDS_OPERATOR_EMAILS": "operator@example.org",
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
            for service in SERVICE_NAMES:
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
        assert len(spawned) == len(INFRASTRUCTURE) + len(SERVICE_NAMES), spawned
        # One address: the gateway serves the app's pages and each service under /api/.
        gateway = f"http://127.0.0.1:{ports['gateway']}"
        page = httpx.get(f"{gateway}/o/demo/report", timeout=5)
        assert page.status_code == 200 and '<div id="app">' in page.text
        assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
        for service in SERVICE_NAMES:
            answer = httpx.get(f"{gateway}/api/{service}/readyz", timeout=5)
            assert answer.status_code == 200, (service, answer.text)
        assert (tmp_path / "data" / "keys" / "jwt_public.pem").exists()
        assert (tmp_path / "data" / "db").is_dir(), "the database keeps its data on disk"
        assert (tmp_path / "data" / "objects").is_dir(), "so does the broker, by default"
        credentials = tmp_path / "data" / "keys" / "object_store.json"
        assert credentials.stat().st_mode & 0o777 == 0o600

        # Attachments' ciphertext goes to a bucket of its own on the broker's object store.
        reserved = httpx.post(
            f"{gateway}/api/reports/v1/orgs/demo/attachments",
            json={"report_id": str(uuid.uuid4()), "size": 10},
        )
        assert reserved.status_code == 201, reserved.text
        attachment = reserved.json()
        piece = httpx.put(
            f"{gateway}/api/reports/v1/orgs/demo/attachments/{attachment['attachment_id']}/pieces/0",
            content=b"0123456789",
            headers={"X-SafeHands-Upload": attachment["upload_secret"]},
        )
        assert piece.status_code == 200, piece.text
        assert [key.split("/")[:2] for key in asyncio.run(bucket_keys(ports["s3"], tmp_path))] == [
            ["demo", attachment["attachment_id"]]
        ]

        # Signing in: the link that `safehands mail show` prints leads to this gateway's
        # web app, and its code gives a token that every service verifies (identity's JWKS).
        asked = httpx.post(
            f"{gateway}/api/identity/v1/sign-in", json={"email": "operator@example.org"}
        )
        assert asked.status_code == 202
        shown = eventually(
            lambda: (
                (m := run_cli(env, "mail", "show", "1")).returncode == 0
                and "#code=" in m.stdout
                and m.stdout
            ),
            timeout=30,
        )
        link = re.search(r"(\S+)/sign-in/callback#code=([A-Za-z0-9_-]+)", shown)
        assert link and link[1] == gateway, shown
        session = httpx.post(f"{gateway}/api/identity/v1/sign-in/exchange", json={"code": link[2]})
        assert session.status_code == 200, session.text
        issued = httpx.post(
            f"{gateway}/api/identity/v1/tokens",
            json={"refresh_token": session.json()["refresh_token"], "org_id": None},
        )
        minted = run_cli(env, "token", "--role", "operator").stdout.strip()
        for token in (issued.json()["access_token"], minted):
            advice = httpx.get(
                f"{gateway}/api/policy/v1/advice-requests",
                headers={"Authorization": f"Bearer {token}"},
            )
            assert advice.status_code == 200, advice.text
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


async def bucket_keys(port: int, root: Path) -> list[str]:
    """The objects of reports' bucket on the store `safehands up` runs on `port`."""
    local = local_object_store(port, root / "data" / "keys")
    store = ObjectStore(
        endpoint=local.endpoint,
        bucket=ATTACHMENTS_BUCKET,
        access_key_id=local.access_key_id,
        secret_access_key=local.secret_access_key,
        region=REGION,
    )
    try:
        return await object_keys(store)
    finally:
        await store.close()


def descendants_of(pid: int) -> set[int]:
    found = children_of(pid)
    for child in list(found):
        found |= descendants_of(child)
    return found


def alive(pid: int) -> bool:
    try:
        return "zombie" not in Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False


def start_up(tmp_path: Path, *, through_make: bool) -> tuple[subprocess.Popen[str], dict[str, int]]:
    """`make up` (in its own process group, as in a terminal) or `safehands up`, on free
    ports, with its data in `tmp_path`; returns once every part listens."""
    ensure_web_built()  # what `make up` does before `safehands up`
    ports = {name: free_port() for name in (*INFRASTRUCTURE, *SERVICE_NAMES)}
    args = [
        f"--{name}-port={port}" if name in INFRASTRUCTURE else f"--port={name}={port}"
        for name, port in ports.items()
    ]
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("SAFEHANDS_")},
        "SAFEHANDS_DATA_DIR": str(tmp_path / "data"),
    }
    command = (
        ["make", "--no-print-directory", "up", f"UP_ARGS={' '.join(args)}"]
        if through_make
        else [sys.executable, "-m", "cli", "up", *args]
    )
    up = subprocess.Popen(
        command,
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        eventually(lambda: all(port_open(port) for port in ports.values()), 90, interval=0.5)
    except AssertionError:
        up.kill()
        raise AssertionError(up.communicate(timeout=30)[0]) from None
    return up, ports


def assert_nothing_left(spawned: set[int], ports: dict[str, int]) -> None:
    assert len(spawned) >= len(INFRASTRUCTURE) + len(SERVICE_NAMES), spawned
    eventually(lambda: not any(alive(pid) for pid in spawned), timeout=30)
    eventually(lambda: not any(port_open(port) for port in ports.values()), timeout=10)


def test_sigterm_to_makes_process_group_leaves_nothing_behind(tmp_path: Path) -> None:
    make, ports = start_up(tmp_path, through_make=True)
    spawned = descendants_of(make.pid)
    # What a terminal's or a supervisor's SIGTERM does: every process of the group gets it,
    # and make passes its own on to `safehands up` once more.
    os.killpg(make.pid, signal.SIGTERM)
    output, _ = make.communicate(timeout=90)
    assert "Everything stopped." in output, output
    assert_nothing_left(spawned, ports)


def test_a_second_ctrl_c_hurries_the_stop_but_leaves_nothing_behind(tmp_path: Path) -> None:
    up, ports = start_up(tmp_path, through_make=False)
    spawned = descendants_of(up.pid)
    up.send_signal(signal.SIGINT)
    time.sleep(1.5)
    up.send_signal(signal.SIGINT)
    output, _ = up.communicate(timeout=60)
    assert "Hurrying" in output and "Everything stopped." in output, output
    assert_nothing_left(spawned, ports)


def test_sigkill_of_up_leaves_nothing_behind(tmp_path: Path) -> None:
    up, ports = start_up(tmp_path, through_make=False)
    spawned = descendants_of(up.pid)
    up.kill()
    up.communicate(timeout=30)
    assert_nothing_left(spawned, ports)
