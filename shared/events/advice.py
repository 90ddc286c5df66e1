"""Events of the regional centre's advice on request.

They carry ids, the topic and times, never the question or the answer: notify only needs to
tell each side that there is something to read, and an "incident" question may hold what
belongs with a VCP. The texts stay in policy, behind the admin's and operator's tokens.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar, Literal

from shared.events.base import Event

AdviceTopic = Literal["code_of_conduct", "vcp", "admission", "incident", "other"]


class AdviceRequested(Event):
    type_name: ClassVar[str] = "nl.safehands.advice.requested.v1"
    key_field: ClassVar[str] = "request_id"
    request_id: str
    # Not `topic`: that name is the Kafka topic of every event.
    advice_topic: AdviceTopic
    requested_at: datetime


class AdviceAnswered(Event):
    type_name: ClassVar[str] = "nl.safehands.advice.answered.v1"
    key_field: ClassVar[str] = "request_id"
    request_id: str
    # Not `topic`: that name is the Kafka topic of every event.
    advice_topic: AdviceTopic
    answered_at: datetime
    # An appointment the regional centre proposes, if it answers with one.
    appointment: datetime | None = None


EVENTS: tuple[type[Event], ...] = (AdviceRequested, AdviceAnswered)
