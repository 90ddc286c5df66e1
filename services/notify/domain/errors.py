"""What notify refuses, by kind; http_routes/__init__.py gives each its HTTP status."""

from __future__ import annotations

from shared.domain.errors import DomainError


class SubscriptionRefused(DomainError):
    """A webhook subscription that cannot be made: an unsafe target, a malformed secret,
    an unknown event type. The message says which, never quoting the secret."""


class NoSuchWebhook(DomainError):
    """The organisation has no webhook subscription of that id."""
