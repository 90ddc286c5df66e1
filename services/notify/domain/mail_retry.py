"""When to try a mail again after the SMTP server did not take it.

A mail is never given up for a temporary failure (server down, 4xx): the wait doubles from
5 seconds up to 15 minutes and stays there until the server is back. A permanent refusal
(5xx, e.g. an address that does not exist) ends the attempts: retrying would not help.
"""

from __future__ import annotations

from datetime import timedelta

FIRST_RETRY_DELAY = timedelta(seconds=5)
MAX_RETRY_DELAY = timedelta(minutes=15)


def mail_retry_delay(attempts_made: int, scale: float = 1.0) -> timedelta:
    """The wait after `attempts_made` failed attempts; `scale` shortens it in tests."""
    if attempts_made < 1:
        raise ValueError(
            f"attempts_made counts failed attempts, so it is at least 1, not {attempts_made}."
        )
    doublings = min(attempts_made - 1, 16)
    return min(FIRST_RETRY_DELAY * 2**doublings, MAX_RETRY_DELAY) * scale


def is_permanent_smtp_refusal(code: int | None) -> bool:
    """True for a 5xx reply: the server refuses for good. Connection trouble has no code."""
    return code is not None and 500 <= code < 600
