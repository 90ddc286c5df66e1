"""What identity refuses, by kind; http_routes/__init__.py gives each its HTTP status."""

from __future__ import annotations

from shared.domain.errors import DomainError


class NoSuchOrganisation(DomainError):
    """identity has not heard of the organisation (policy registers them)."""


class NoSuchMember(DomainError):
    """The organisation has no member of that id."""


class NotRemovableHere(DomainError):
    """A VCP's or a volunteer's membership follows reports or intake; it ends there."""


class LastAdmin(DomainError):
    """Removing this member would leave the organisation without an admin."""


class UnusableCode(DomainError):
    """A sign-in code that is unknown, used, expired, or of a person who is no member now."""


class SessionEnded(DomainError):
    """A refresh token that is unknown, used, revoked or expired: the person signs in again."""


class NotAMemberThere(DomainError):
    """The person holds no membership (any more) in the organisation a token is asked for."""


class PasskeyRefused(DomainError):
    """A passkey sign-in that cannot be accepted: an unknown or removed passkey, a foreign
    origin, a counter that went back, a used or expired challenge, a bad signature."""


class PasskeyNotRegistered(DomainError):
    """A passkey registration whose answer does not verify (or whose request has expired)."""


class NoSuchPasskey(DomainError):
    """The person has no passkey of that id."""


class NoSuchSession(DomainError):
    """The person has no signed-in session (device) of that id."""


class LastOperator(DomainError):
    """Removing this operator would leave the platform without one, or it is oneself."""


class NoSuchOperator(DomainError):
    """There is no operator of that id."""
