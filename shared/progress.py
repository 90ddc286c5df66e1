"""Rounds of background work, so that /readyz can tell a busy task from a stuck one.

Here and not in shared/runtime: the outbox relay (shared/messaging) marks its rounds too,
and the runtime depends on messaging, not the other way round."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from contextvars import ContextVar


class Progress:
    """When the round of work a task is in began (None between rounds: waiting for work is
    not being stuck). The runtime reads it for /readyz: a round that has run longer than
    the task's lease is stuck, since another instance may already have taken its work over
    (see `Runtime.stuck_background`)."""

    def __init__(self) -> None:
        self.round_began: float | None = None

    def busy_for(self, now: float) -> float:
        return 0.0 if self.round_began is None else now - self.round_began


# The Progress of the background task this code runs in: set by the runtime when it starts
# the task, so a loop marks its rounds without being handed anything.
current_progress: ContextVar[Progress | None] = ContextVar("current_progress", default=None)


@contextlib.contextmanager
def one_round() -> Iterator[None]:
    """Mark one round of a background loop (a relay batch, a job run, a mail sent)."""
    progress = current_progress.get()
    if progress is None:
        yield
        return
    progress.round_began = time.monotonic()
    try:
        yield
    finally:
        progress.round_began = None
