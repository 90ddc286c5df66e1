"""Where an application's time goes in intake: `python bench/request_profile.py [--rate R] [--seconds S]`.

Starts a broker, the database, intake and policy as bench/intake.py does, offers intake's
application route R requests a second for S seconds from bench/loadgen.py (its own process),
and meanwhile samples intake's process with py-spy (100 samples a second, only while it runs
on a core). It prints the share of the samples by the part of the stack they were in — the
innermost frame that belongs to a known part: the database driver, the broker client, pydantic,
the HTTP server and framework, SafeHands' own code, the event loop — and writes the collapsed
stacks (`intake.folded`, for flamegraph.pl or speedscope.app) beside the logs. Also how much of one core intake used. The load average is printed beside: the machine
may be shared, and what other processes take shows up as fewer samples.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from admission import Platform
from idle import cpu_seconds
from intake import offer, organisation
from steady import load_average

# Low enough for py-spy to keep up on a busy two-core machine.
SAMPLES_PER_SECOND = 50
# (part, what its frames' file paths contain), innermost match wins, in this order.
PARTS = (
    ("database driver (pymongo, bson)", ("pymongo/", "bson/")),
    ("broker client (aiokafka, faststream)", ("aiokafka/", "faststream/")),
    ("validation and JSON (pydantic, json)", ("pydantic/", "pydantic_core/", "json/")),
    (
        "HTTP server and framework (uvicorn, h11, starlette, fastapi)",
        ("uvicorn/", "h11/", "httptools/", "starlette/", "fastapi/", "anyio/"),
    ),
    ("metrics and logs", ("prometheus_client/", "structlog/", "logging/")),
    ("SafeHands code (services/, shared/)", ("services/", "shared/")),
    ("event loop (asyncio)", ("asyncio/", "selectors.py")),
)


# Innermost frames where a thread waits rather than runs: py-spy cannot always tell them idle
# (it samples without pausing the process, --nonblocking), so they are set apart.
WAITING = ("EpollSelector.select (", "Condition.wait (", "Queue.get (")
IDLE = "waiting (epoll, idle worker threads)"


def part_of(stack: str) -> str:
    # A frame reads `function (path/to/file.py:line)`, the path from its package.
    frames = stack.split(";")
    if frames[-1].startswith(WAITING):
        return IDLE
    for frame in reversed(frames):
        where = frame.rpartition(" (")[2]
        for part, markers in PARTS:
            if any(where.startswith(marker) for marker in markers):
                return part
    return "other"


def shares(folded: Path) -> tuple[Counter[str], int]:
    counts: Counter[str] = Counter()
    total = 0
    for line in folded.read_text().splitlines():
        stack, _, number = line.rpartition(" ")
        if not number.isdigit():
            continue
        counts[part_of(stack)] += int(number)
        total += int(number)
    return counts, total


def main(rate: float, seconds: float) -> None:
    py_spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    root = Path(tempfile.mkdtemp(prefix="safehands-bench-profile-"))
    platform = Platform(root)
    try:
        platform.start_infrastructure()
        intake_url = platform.start_service("intake")
        policy_url = platform.start_service("policy")
        org = asyncio.run(organisation(platform, intake_url, policy_url))
        port = int(intake_url.rsplit(":", 1)[1])
        [intake] = [child for child in platform.children if child.port == port]
        assert intake.process is not None
        folded = root / "intake.folded"
        record = [py_spy, "record", "--pid", str(intake.process.pid), "--rate"]
        record += [str(SAMPLES_PER_SECOND), "--duration", str(int(seconds)), "--nonblocking"]
        raw = subprocess.Popen(
            [*record, "--format", "raw", "--output", str(folded)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(0.5)
        # What the process used, from /proc (py-spy's samples below estimate the same, coarser).
        cpu_before = cpu_seconds(intake.process.pid)
        step = offer(intake_url, org, rate, seconds)
        cpu_used = cpu_seconds(intake.process.pid) - cpu_before
        raw.wait(timeout=seconds + 60)
        load = load_average()
    finally:
        platform.stop()
    counts, total = shares(folded)
    print(
        f"intake under {step['offered_per_second']}/s applications for {seconds:.0f} s: "
        f"{step['ok_per_second']}/s answered, p50 {step['p50_ms']} ms, p99 {step['p99_ms']} ms"
        f" [{load}]"
    )
    running = total - counts[IDLE]
    answered = max(1.0, float(step["ok_per_second"]) * seconds)
    print(
        f"  {running} samples running ({SAMPLES_PER_SECOND}/s): about "
        f"{100 * running / (SAMPLES_PER_SECOND * seconds):.0f} % of one core, "
        f"{1000 * running / SAMPLES_PER_SECOND / answered:.1f} ms of CPU per application; "
        f"from /proc: {1000 * cpu_used / answered:.2f} ms per application"
    )
    for part, count in counts.most_common():
        if part != IDLE:
            print(f"  {100 * count / max(running, 1):5.1f} %  {part}")
    hot = Counter[str]()
    for line in folded.read_text().splitlines():
        stack, _, number = line.rpartition(" ")
        if number.isdigit() and part_of(stack) != IDLE:
            hot[stack.split(";")[-1]] += int(number)
    print("  hottest innermost frames:")
    for frame, count in hot.most_common(6):
        print(f"  {100 * count / max(running, 1):5.1f} %  {frame}")
    print(f"  collapsed stacks (for flamegraph.pl or speedscope): {folded}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=30, help="applications per second")
    parser.add_argument("--seconds", type=float, default=20)
    arguments = parser.parse_args()
    main(arguments.rate, arguments.seconds)
