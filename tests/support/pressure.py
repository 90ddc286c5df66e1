"""Floods that put an organisation under pressure, timed so that they count as one.

Pressure is counted per clock minute (shared/runtime/rate_limit.py): a flood that straddles
a minute's end may count half in one and half in the next, neither above the threshold. On
a busy machine a flood takes seconds, so a test starts it with at least 20 s of the minute
left."""

from __future__ import annotations

import time

from shared.runtime.rate_limit import PRESSURE_WINDOW_SECONDS

FLOOD_SECONDS = 20


def wait_before_a_flood() -> float:
    """Seconds to wait so that a flood starts with FLOOD_SECONDS of its minute left."""
    left = PRESSURE_WINDOW_SECONDS - time.time() % PRESSURE_WINDOW_SECONDS
    return left + 0.1 if left < FLOOD_SECONDS else 0.0
