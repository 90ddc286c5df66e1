"""The base of every domain error: a rule refused what was asked.

Use cases raise a service's own subclasses (services/<name>/domain/errors.py); they know
nothing of HTTP. Each service maps its classes to HTTP statuses in one place, the
`ERROR_STATUSES` of its http_routes/, and the app answers `{"detail": str(error)}` with that
status (shared/http/http_errors.py). So the message is one sentence for the person who asked,
and never holds anything confidential.
"""

from __future__ import annotations


class DomainError(Exception):
    """A request the rules refuse; the message says why, in one sentence."""
