"""What intake refuses, by kind; http_routes/__init__.py gives each its HTTP status."""

from __future__ import annotations

from shared.domain.errors import DomainError


class UnknownOrganisation(DomainError):
    """intake has not heard of the organisation (policy registers them)."""


class NoSuchVolunteer(DomainError):
    """The organisation has no volunteer of that id."""


class NoReportRecipient(DomainError):
    """The organisation has no VCP with a key, so nobody could open a report."""


class UnknownRole(DomainError):
    """The role applied for is not one of the organisation's."""


class InvalidSubmission(DomainError):
    """What was handed in breaks a rule: a VOG that does not do, a wrongly sealed report."""


class AlreadyRecorded(DomainError):
    """This was handed in before, and is not taken twice."""


class NotTheCurrentCode(DomainError):
    """A signature for no code, another version, or another text than the current code."""
