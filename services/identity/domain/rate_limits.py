"""Fixed-window rate limits: which window a moment falls in, and when it may be retried."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Window:
    index: int
    ends_at: float

    @classmethod
    def containing(cls, now: float, seconds: int) -> Window:
        index = math.floor(now / seconds)
        return cls(index=index, ends_at=(index + 1) * seconds)


def retry_after_seconds(window: Window, now: float) -> int:
    """The `Retry-After` value: whole seconds, at least one."""
    return max(1, math.ceil(window.ends_at - now))
