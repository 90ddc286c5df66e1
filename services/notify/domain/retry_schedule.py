"""When to try a failed webhook delivery again, and when to stop.

Retries start within seconds (a receiver that blinked is back quickly) and back off
exponentially (a receiver that is down is not hammered) for up to 24 hours, as docs/api.md
promises. After the last attempt the delivery is given up: DeliveryFailed.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta

# RETRY_DELAYS[n - 1] is the wait after attempt n, counted from when attempt n was due.
RETRY_DELAYS: tuple[timedelta, ...] = (
    timedelta(seconds=5),
    timedelta(seconds=30),
    timedelta(minutes=2),
    timedelta(minutes=10),
    timedelta(hours=1),
    timedelta(hours=2),
    timedelta(hours=4),
    timedelta(hours=8),
    timedelta(hours=8),
)
MAX_DELIVERY_ATTEMPTS = len(RETRY_DELAYS) + 1
RETRY_WINDOW = timedelta(hours=24)

# Spreads out the retries of many deliveries that failed together (say, when a receiver
# went down) so that they do not all arrive at the same second when it comes back.
MAX_JITTER_FRACTION = 0.1

SUBSCRIPTION_DISABLE_AFTER_CONSECUTIVE_FAILED_DELIVERIES = 5

Jitter = Callable[[timedelta], timedelta]
"""Given the nominal wait before an attempt, return extra time in [0, 10 % of that wait]."""


def random_jitter(delay: timedelta) -> timedelta:
    """Up to MAX_JITTER_FRACTION of `delay`, at random."""
    return delay * (MAX_JITTER_FRACTION * random.random())


def no_jitter(delay: timedelta) -> timedelta:
    """No extra time, for tests and for readers who want the nominal schedule."""
    return timedelta(0)


def next_attempt_at(
    first_attempt_at: datetime,
    attempts_made: int,
    jitter: Jitter = random_jitter,
) -> datetime | None:
    """When to make attempt `attempts_made + 1`, or None when the delivery should be given up.

    Times count from the first attempt, not from the last one, so that slow attempts or a
    late worker cannot stretch the schedule past RETRY_WINDOW. A result in the past means
    "now". Jitter applies to each attempt on its own; it never accumulates.
    """
    if attempts_made < 1:
        raise ValueError(
            "attempts_made counts the attempts already made, so it is at least 1,"
            f" not {attempts_made}."
        )
    if attempts_made >= MAX_DELIVERY_ATTEMPTS:
        return None
    last_delay = RETRY_DELAYS[attempts_made - 1]
    extra = jitter(last_delay)
    jitter_bound = last_delay * MAX_JITTER_FRACTION
    if not timedelta(0) <= extra <= jitter_bound:
        # Jitter larger than the bound could reorder attempts; refuse rather than clamp so
        # that a faulty jitter function is noticed.
        raise ValueError(
            f"Jitter {extra} is outside [0, {jitter_bound}] for a wait of {last_delay}."
        )
    offset = min(sum(RETRY_DELAYS[:attempts_made], timedelta(0)) + extra, RETRY_WINDOW)
    return first_attempt_at + offset


def should_disable_subscription(consecutive_failed_deliveries: int) -> bool:
    """True when a subscription has failed so often in a row that we stop calling it."""
    if consecutive_failed_deliveries < 0:
        raise ValueError("A count of failed deliveries cannot be negative.")
    return consecutive_failed_deliveries >= SUBSCRIPTION_DISABLE_AFTER_CONSECUTIVE_FAILED_DELIVERIES
