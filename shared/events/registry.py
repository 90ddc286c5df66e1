"""One registry from CloudEvents type name to event model, with upcasting of old versions."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from shared.events import (
    admission,
    advice,
    audit,
    consultation,
    identity,
    notifications,
    region,
    reports,
    trainings,
)
from shared.events.base import Event

# An upcaster turns the data of an old type into (newer type name, newer data).
Upcaster = Callable[[dict[str, Any]], tuple[str, dict[str, Any]]]


class UnknownEventType(LookupError):
    pass


class EventRegistry:
    def __init__(
        self, events: Iterable[type[Event]], upcasters: Mapping[str, Upcaster] | None = None
    ) -> None:
        self._by_type: dict[str, type[Event]] = {}
        for event in events:
            if event.type_name in self._by_type:
                raise ValueError(f"Event type {event.type_name} is registered twice")
            self._by_type[event.type_name] = event
        self._upcasters = dict(upcasters or {})

    def __contains__(self, type_name: object) -> bool:
        return type_name in self._by_type or type_name in self._upcasters

    def __iter__(self) -> Any:
        return iter(self._by_type.values())

    def current_model(self, type_name: str) -> type[Event] | None:
        """The model of a current type name; None for unknown or old (upcast) names."""
        return self._by_type.get(type_name)

    def model(self, type_name: str) -> type[Event]:
        try:
            return self._by_type[type_name]
        except KeyError:
            raise UnknownEventType(f"unknown event type {type_name!r}") from None

    def decode(self, type_name: str, data: dict[str, Any]) -> Event:
        """Validate data as its current model, upcasting old versions first.

        Handlers therefore only ever see current versions.
        """
        seen: set[str] = set()
        while type_name not in self._by_type and type_name in self._upcasters:
            if type_name in seen:
                raise ValueError(f"upcasters loop at {type_name}")
            seen.add(type_name)
            type_name, data = self._upcasters[type_name](data)
        return self.model(type_name).model_validate(data)

    def topics(self) -> list[str]:
        return sorted({event.topic() for event in self._by_type.values()})


# Old event versions are upcast here when a v2 is introduced, e.g.
# UPCASTERS = {"nl.safehands.volunteer.applied.v1": volunteer_applied_v1_to_v2}.
UPCASTERS: dict[str, Upcaster] = {}

REGISTRY = EventRegistry(
    (
        *admission.EVENTS,
        *reports.EVENTS,
        *notifications.EVENTS,
        *identity.EVENTS,
        *advice.EVENTS,
        *audit.EVENTS,
        *trainings.EVENTS,
        *consultation.EVENTS,
        *region.EVENTS,
    ),
    upcasters=UPCASTERS,
)
