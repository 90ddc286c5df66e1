"""Advice on request from the regional centre: the rules, without I/O."""

from __future__ import annotations

from shared.events.advice import AdviceTopic

MAX_QUESTION_LENGTH = 5_000
MAX_PREFERRED_TIMES_LENGTH = 1_000
MAX_ANSWER_LENGTH = 10_000

OPEN = "open"
ANSWERED = "answered"

INCIDENT_WARNING = (
    "Write no names or details of a report here: those belong with your organisation's"
    " confidential contact person (VCP). Ask only how to handle the situation in general."
)


def warning_for(topic: AdviceTopic) -> str | None:
    """What the person asking must be told about the topic; only an incident has a warning,
    because the regional centre is not the place for what a reporter confided."""
    return INCIDENT_WARNING if topic == "incident" else None
