"""The built web app for tests: web/dist, rebuilt through the Makefile when it is stale."""

from __future__ import annotations

import fcntl
import hashlib
import shutil
import subprocess
import tempfile
from pathlib import Path

from cli.gateway import WEB_DIST
from tests.support.platform import REPO

WEB = REPO / "web"
AXE_SCRIPT = WEB / "node_modules" / "axe-core" / "axe.min.js"
# One build at a time per repository: each test worker of `pytest -n` asks for the app in its
# own session, and two `npm run build`s at once would write web/dist over each other while a
# third worker's gateway serves it. The lock lives outside the repository.
BUILD_LOCK = (
    Path(tempfile.gettempdir())
    / f"safehands-web-build-{hashlib.sha256(str(REPO).encode()).hexdigest()[:12]}.lock"
)


def ensure_web_built() -> None:
    """Build web/dist when it is missing or older than its sources (`make web` decides).

    Fails with a sentence, never skips: without the app there is nothing to test."""
    if shutil.which("make") is None:
        raise RuntimeError("Building the web app for the tests needs `make`: install it.")
    with BUILD_LOCK.open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        result = subprocess.run(
            ["make", "--no-print-directory", "web"],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    if result.returncode != 0 or not (WEB_DIST / "index.html").is_file():
        raise RuntimeError(
            "The web app could not be built for the tests (`make web` in the repository "
            f"failed; it needs Node.js 20.19+ and npm):\n{result.stdout[-3000:]}"
            f"{result.stderr[-3000:]}"
        )
