"""What the admin is told about a webhook attempt: "refused", "timed out" or "status N".

Nothing more: the internal error (connection refused or reset, DNS failures, the address a
name resolved to) would turn the deliveries log into a probe of what the platform can
reach — a port scanner with the platform's network position. Operators find the details in
the log.
"""

from __future__ import annotations

import re

REFUSED = "refused"
TIMED_OUT = "timed out"

_STATUS = re.compile(r"(?:status|HTTP) ([1-5][0-9][0-9])")


def status_error(code: int) -> str | None:
    """The error of an attempt answered with HTTP status `code`; None when delivered."""
    return None if 200 <= code < 300 else f"status {code}"


def shown_error(recorded: str | None) -> str | None:
    """A recorded error as the admin may see it. Records made before the vocabulary was
    fixed hold internal texts; those read as "refused" (and "HTTP N" as "status N")."""
    if recorded is None or recorded in (REFUSED, TIMED_OUT):
        return recorded
    status = _STATUS.fullmatch(recorded)
    return f"status {status.group(1)}" if status else REFUSED
