"""The base of every SafeHands event: frozen, versioned in its type name, keyed per aggregate."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Any, ClassVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

ORG_ID_PATTERN = r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$"
TYPE_NAME = re.compile(
    r"^nl\.safehands\.(?P<aggregate>[a-z_]+)\.(?P<event>[a-z_]+)\.v(?P<version>\d+)$"
)
REPORT_EVENT_PREFIX = "nl.safehands.report."


def to_the_day(moment: datetime) -> datetime:
    """Midnight UTC of the moment's UTC day. Report times leave reports no finer than this:
    matched against who was where and when, an exact time points to the reporter (issue 19).
    A naive moment is taken as UTC."""
    utc = moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    return utc.replace(hour=0, minute=0, second=0, microsecond=0)


Day = Annotated[datetime, AfterValidator(to_the_day)]
"""A report's or message's time as events carry it: a date-time at T00:00:00Z, whatever
moment the publisher gives (the JSON Schema stays `date-time`, so v1 readers read it)."""


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

    def tells_of_a_report(self) -> bool:
        """Whether the event's moment is a report's or a message's moment: then its CloudEvents
        time is given to the day (cloudevents.encode), and notify forwards it to webhooks only
        when the organisation's VCPs turned that on. Every report event; other events say so
        themselves (a mail about a new report, the delivery of a report event)."""
        return self.type_name.startswith(REPORT_EVENT_PREFIX)
