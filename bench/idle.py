"""What the platform costs while nothing happens: `python bench/idle.py [--seconds 60]`.

Starts the whole embedded platform as `make up` does (`safehands up` on free ports, with a
data directory of its own), waits until every service is ready and a further settling
period has passed, then reads the CPU time of every process `safehands up` started
(/proc/PID/stat: user + system) at the start and the end of the window. It prints each
part's share of one core and the total, three windows with median and spread, beside the
load average: the machine may be shared. The aim (issue 27): 10 % of one core in all.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cli.embedded import free_port
from cli.services import SERVICE_NAMES

TICKS = os.sysconf("SC_CLK_TCK")
REPO = Path(__file__).resolve().parents[1]


def descendants(pid: int) -> dict[int, str]:
    """Every process below `pid`, with a short name for the part it is."""
    parents: dict[int, int] = {}
    names: dict[int, str] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            cmdline = (stat.parent / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        child = int(stat.parent.name)
        parents[child] = int(fields[1])
        words = [w.decode(errors="replace") for w in cmdline if w]
        names[child] = part_name(words)
    found: dict[int, str] = {}
    frontier = [pid]
    while frontier:
        current = frontier.pop()
        for child, parent in parents.items():
            if parent == current and child not in found:
                found[child] = names.get(child, "?")
                frontier.append(child)
    return found


def part_name(words: list[str]) -> str:
    if "serve" in words:
        return words[words.index("serve") + 1]
    joined = " ".join(words)
    for marker, name in (
        ("tansu", "broker"),
        ("embedded_database", "database"),
        ("weed", "object store"),
        ("caddy", "gateway"),
        ("smtp_sink", "mail sink"),
    ):
        if marker in joined:
            return name
    return Path(words[0]).name if words else "?"


def cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


def window(up_pid: int, seconds: float) -> dict[str, float]:
    parts = descendants(up_pid)
    before = {pid: cpu_seconds(pid) for pid in parts}
    time.sleep(seconds)
    shares: dict[str, float] = {}
    for pid, name in parts.items():
        used = cpu_seconds(pid) - before[pid]
        shares[name] = shares.get(name, 0.0) + used / seconds * 100
    return shares


def main(seconds: float, settle: float, windows: int) -> None:
    root = Path(tempfile.mkdtemp(prefix="safehands-bench-idle-"))
    ports = {name: free_port() for name in ("gateway", "kafka", "mongo", "smtp", *SERVICE_NAMES)}
    args = [
        f"--{name}-port={port}"
        if name in ("gateway", "kafka", "mongo", "smtp", "intake")
        else f"--port={name}={port}"
        for name, port in ports.items()
    ]
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("SAFEHANDS_")},
        "SAFEHANDS_DATA_DIR": str(root / "data"),
    }
    log = (root / "up.log").open("w")
    up = subprocess.Popen(
        [sys.executable, "-m", "cli", "up", *args],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 120
        for service in SERVICE_NAMES:
            while True:
                try:
                    url = f"http://127.0.0.1:{ports[service]}/readyz"
                    if httpx.get(url, timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline or up.poll() is not None:
                    raise RuntimeError(f"{service} did not get ready; see {root / 'up.log'}")
                time.sleep(0.5)
        time.sleep(settle)
        runs = [window(up.pid, seconds) for _ in range(windows)]
        load = os.getloadavg()
    finally:
        up.terminate()
        up.wait(60)
        log.close()
    totals = [sum(run.values()) for run in runs]
    print(
        f"idle platform, {windows} windows of {seconds:.0f} s after {settle:.0f} s settling"
        f" [load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}]:"
    )
    for name in sorted(runs[0], key=lambda n: -statistics.median(r.get(n, 0) for r in runs)):
        values = [r.get(name, 0.0) for r in runs]
        print(
            f"  {name:14} {statistics.median(values):5.1f} % of one core"
            f" (spread {max(values) - min(values):.1f})"
        )
    print(
        f"  {'all parts':14} {statistics.median(totals):5.1f} % of one core"
        f" (runs: {', '.join(f'{t:.1f}' for t in totals)}; aim ≤ 10)"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--settle", type=float, default=15)
    parser.add_argument("--windows", type=int, default=3)
    a = parser.parse_args()
    main(a.seconds, a.settle, a.windows)
