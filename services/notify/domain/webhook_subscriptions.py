"""Vetting a new webhook subscription: a safe target, a well-formed secret, known types."""

from __future__ import annotations

from collections.abc import Container, Sequence

from services.notify.domain.errors import SubscriptionRefused
from services.notify.domain.webhook_signature import parse_secret
from services.notify.domain.webhook_targets import (
    Resolver,
    UnsafeWebhookTarget,
    check_target_url,
    resolve_host_addresses,
)


def vet_subscription(
    url: str,
    event_types: Sequence[str],
    secret: str,
    *,
    known_types: Container[str],
    allow_private_networks: bool,
    resolve: Resolver = resolve_host_addresses,
) -> list[str]:
    """Return the event types without duplicates, or raise SubscriptionRefused."""
    try:
        parse_secret(secret)
    except ValueError as exc:
        # parse_secret's messages describe the format, never the secret itself.
        raise SubscriptionRefused(str(exc)) from None
    unknown = sorted({name for name in event_types if name not in known_types})
    if unknown:
        raise SubscriptionRefused(
            f"Unknown event type(s) {', '.join(unknown)}: GET /asyncapi lists the event types."
        )
    try:
        check_target_url(url, allow_private_networks, resolve)
    except UnsafeWebhookTarget as exc:
        raise SubscriptionRefused(exc.reason) from None
    return list(dict.fromkeys(event_types))
