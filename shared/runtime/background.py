"""Background work: the one way a service runs something beside its requests and events.

A service declares its tasks (`ServiceDefinition.background`, and `jobs`, which the runtime
turns into tasks); the runtime starts each `run()` once it is connected and, at stop,
cancels them all and then `close()`s each, so that claims, leases and clients are let go of
after the work that used them has ended. Nothing starts a task of its own in `__init__`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

from shared.progress import Progress, current_progress, one_round

__all__ = ["BackgroundTask", "BackgroundWork", "Progress", "current_progress", "one_round"]


class BackgroundTask(Protocol):
    """Work that runs as long as the process: `run()` until cancelled, then `close()`."""

    @property
    def name(self) -> str: ...

    def run(self) -> Awaitable[None]: ...

    def close(self) -> Awaitable[None]: ...


async def _nothing_to_close() -> None:
    return None


@dataclass(frozen=True)
class BackgroundWork:
    """A BackgroundTask made of two functions (the outbox relay, a periodic job)."""

    name: str
    run: Callable[[], Awaitable[None]]
    close: Callable[[], Awaitable[None]] = _nothing_to_close
    # How long one round may run before the task counts as stuck; None: the setting.
    lease_seconds: float | None = None
