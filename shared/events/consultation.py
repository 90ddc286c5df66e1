"""Events of a consultation round on the code of conduct: the organisation's volunteers (and
members the admin adds) comment on the draft before the admin publishes it.

They carry ids, days and counts, never a comment's text nor who wrote it: a commenter may
have chosen to stay anonymous towards the admin, and an event reaches integrators too.
`invitee_ids` (volunteer ids and member ids, no addresses) are there so that notify can mail
the invitation, the reminder and the result to exactly those invited.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from shared.events.base import Event


class ConsultationOpened(Event):
    type_name: ClassVar[str] = "nl.safehands.consultation.opened.v1"
    key_field: ClassVar[str] = "consultation_id"
    consultation_id: str
    # The last day on which comments are taken (the organisation's calendar day).
    closes_on: date
    invitee_ids: list[str]


class ConsultationCommented(Event):
    type_name: ClassVar[str] = "nl.safehands.consultation.commented.v1"
    key_field: ClassVar[str] = "consultation_id"
    consultation_id: str
    comment_id: str
    # The section's slug (services/policy/domain/consultation.py), never the comment.
    section: str


class ConsultationClosingSoon(Event):
    """The reminder's event: the round closes in a few days (policy's sweep, once)."""

    type_name: ClassVar[str] = "nl.safehands.consultation.closing_soon.v1"
    key_field: ClassVar[str] = "consultation_id"
    consultation_id: str
    closes_on: date
    invitee_ids: list[str]


class ConsultationClosed(Event):
    type_name: ClassVar[str] = "nl.safehands.consultation.closed.v1"
    key_field: ClassVar[str] = "consultation_id"
    consultation_id: str
    closed_on: date
    # How many people commented, and how many comments they left.
    people: int
    comments: int
    invitee_ids: list[str]


EVENTS: tuple[type[Event], ...] = (
    ConsultationOpened,
    ConsultationCommented,
    ConsultationClosingSoon,
    ConsultationClosed,
)
