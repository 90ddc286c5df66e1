"""The two deadlines of a confidential report's case (DESIGN.md, "Case deadlines"): reports
keeps them, notify mails about them. On the wire, in ReportDeadlineApproaching, they are the
same two strings."""

from __future__ import annotations

from enum import StrEnum


class Deadline(StrEnum):
    """The two case deadlines a VCP works against."""

    ACKNOWLEDGE = "acknowledge"
    FEEDBACK = "feedback"
