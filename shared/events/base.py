"""The base of every SafeHands event: frozen, versioned in its type name, keyed per aggregate."""

from __future__ import annotations

import re
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

ORG_ID_PATTERN = r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$"
TYPE_NAME = re.compile(
    r"^nl\.safehands\.(?P<aggregate>[a-z_]+)\.(?P<event>[a-z_]+)\.v(?P<version>\d+)$"
)


class Event(BaseModel):
    """An immutable fact. Subclasses declare their CloudEvents type and aggregate key field:

    class VolunteerApplied(Event):
        type_name = "nl.safehands.volunteer.applied.v1"
        key_field = "volunteer_id"
    """

    # Readers ignore fields they do not know: additive changes within a version stay readable.
    model_config = ConfigDict(frozen=True, extra="ignore")

    type_name: ClassVar[str]
    key_field: ClassVar[str]

    org_id: str = Field(pattern=ORG_ID_PATTERN)

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        if not TYPE_NAME.match(cls.type_name):
            raise TypeError(
                f"{cls.__name__}: {cls.type_name!r} is not nl.safehands.<aggregate>.<event>.vN"
            )
        if cls.key_field not in cls.model_fields:
            raise TypeError(f"{cls.__name__}: key field {cls.key_field!r} is not a field")

    @classmethod
    def aggregate(cls) -> str:
        match = TYPE_NAME.match(cls.type_name)
        assert match is not None
        return match["aggregate"]

    @classmethod
    def topic(cls) -> str:
        return f"safehands.{cls.aggregate()}"

    def aggregate_id(self) -> str:
        return str(getattr(self, self.key_field))

    def key(self) -> str:
        """Kafka key: one aggregate's events share a partition and so stay in order."""
        return f"{self.org_id}:{self.aggregate_id()}"
