"""What reports refuses, by kind; http_routes/__init__.py gives each its HTTP status. The
workflow's own refusal, InvalidTransition, is in domain/workflow.py."""

from __future__ import annotations

from shared.domain.errors import DomainError

CHANGED_MEANWHILE = "The report changed while this request ran; fetch it again and retry."


class NoSuchReport(DomainError):
    """The organisation has no report of that id, or no report behind a mailbox secret."""


class CaseClosed(DomainError):
    """Nobody adds to the conversation of a closed case."""


class ChangedMeanwhile(DomainError):
    """A concurrent request changed the report first; nothing was saved."""

    def __init__(self) -> None:
        super().__init__(CHANGED_MEANWHILE)


class AlreadyExists(DomainError):
    """A message of that id was stored before."""


class HandOverNotPossible(DomainError):
    """The case cannot go to that VCP now: they have no key yet, or the hand-over is stale."""


class InvalidSealing(DomainError):
    """An envelope or a sealed key that does not fit the case: suite, recipients, key ids."""


class QuarterNotStarted(DomainError):
    """Counts are released for a quarter that has begun, never ahead of it."""


class NotInThisCase(DomainError):
    """A VCP or a message the request names is not part of the organisation or the case."""


class NoSuchVCP(DomainError):
    """The organisation has no VCP of that id (appointed, with a key or awaiting one)."""


class AlreadyAppointed(DomainError):
    """A VCP of that id is appointed already."""


class IdNotReusable(DomainError):
    """The id belonged to a dismissed VCP: ids are never used again."""


class KeyConflict(DomainError):
    """A public key another VCP has, or of another suite than the organisation's keys."""


class DismissalRefused(DomainError):
    """Dismissing the VCP would leave reporters, or open cases, with nobody to read them."""


class NotAccepted(DomainError):
    """A centre VCP who has not accepted the organisation's request yet, or who did already."""


class NoSuchCentreVCP(DomainError):
    """The regional centre has no VCP of that id."""


class AttachmentTooLarge(DomainError):
    """An attachment, or a report's attachments together, past the configured limit."""


class InvalidAttachment(DomainError):
    """An attachment or a piece of it that breaks the upload's rules (count, order, size)."""


class UploadOutOfOrder(DomainError):
    """A piece of an upload that is not the next one, or one for a finished upload."""


class NoSuchAttachment(DomainError):
    """No attachment of that id here, or not with that upload secret, or not in full."""


class FileStoreUnavailable(DomainError):
    """The object store that keeps attachments' ciphertext did not answer; nothing was kept."""
