"""Event contracts: one module per domain lists every event type of that domain."""

from shared.events.base import Event
from shared.events.registry import REGISTRY, EventRegistry, UnknownEventType

__all__ = ["REGISTRY", "Event", "EventRegistry", "UnknownEventType"]
