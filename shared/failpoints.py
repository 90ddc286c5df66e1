"""Fault injection for crash tests: `SAFEHANDS_TEST_FAILPOINTS=name,name` kills the process there.

Crash-consistency can only be proven by dying at the exact worst moment; a failpoint is the
conventional way (etcd's gofail, FoundationDB) to reach that moment deterministically.
The variable is read from the raw environment on purpose: it is not a setting operators use.
"""

from __future__ import annotations

import os
import signal

FAILPOINTS_ENV = "TEST_FAILPOINTS"


def _armed() -> frozenset[str]:
    raw = os.environ.get("SAFEHANDS_" + FAILPOINTS_ENV, "")
    return frozenset(name.strip() for name in raw.split(",") if name.strip())


ARMED = _armed()


def failpoint(name: str) -> None:
    if name in ARMED:
        os.kill(os.getpid(), signal.SIGKILL)
