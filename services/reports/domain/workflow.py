"""The case workflow: received → acknowledged → in_progress → closed.

A case only moves forward. It may be closed straight after acknowledgement (a report that
needs no further follow-up), but never before it was acknowledged: the reporter is owed
an acknowledgement first.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Final

from shared.domain.errors import DomainError


class CaseStatus(StrEnum):
    RECEIVED = "received"
    ACKNOWLEDGED = "acknowledged"
    IN_PROGRESS = "in_progress"
    CLOSED = "closed"


ALLOWED_TRANSITIONS: Final[Mapping[CaseStatus, frozenset[CaseStatus]]] = {
    CaseStatus.RECEIVED: frozenset({CaseStatus.ACKNOWLEDGED}),
    CaseStatus.ACKNOWLEDGED: frozenset({CaseStatus.IN_PROGRESS, CaseStatus.CLOSED}),
    CaseStatus.IN_PROGRESS: frozenset({CaseStatus.CLOSED}),
    CaseStatus.CLOSED: frozenset(),
}


class InvalidTransition(DomainError, ValueError):
    """The case cannot move to the asked status from where it is; the message says why."""


def check_transition(current: CaseStatus, target: CaseStatus) -> None:
    """Raise InvalidTransition unless a case at `current` may move to `target`."""
    if target in ALLOWED_TRANSITIONS[current]:
        return
    if target == current:
        raise InvalidTransition(f"The report is already {current.value}.")
    if current == CaseStatus.CLOSED:
        raise InvalidTransition("The report is closed; its status can no longer change.")
    if target == CaseStatus.RECEIVED:
        raise InvalidTransition("A report cannot go back to received.")
    if current == CaseStatus.RECEIVED:
        raise InvalidTransition(f"The report must be acknowledged before it can be {target.value}.")
    raise InvalidTransition(f"A report that is {current.value} cannot go back to {target.value}.")


def accepts_messages(status: CaseStatus) -> bool:
    """Whether the conversation is open: once a case is closed, nobody adds to it."""
    return status != CaseStatus.CLOSED
