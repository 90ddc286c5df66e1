"""What policy refuses, by kind; http_routes/__init__.py gives each its HTTP status."""

from __future__ import annotations

from shared.domain.errors import DomainError


class UnregisteredOrganisation(DomainError):
    """The organisation was never registered (the operator registers organisations)."""

    def __init__(self, org_id: str) -> None:
        super().__init__(f"Organisation {org_id} is not registered.")


class OrganisationExists(DomainError):
    """An organisation of that id is registered already."""

    def __init__(self, org_id: str) -> None:
        super().__init__(f"Organisation {org_id} already exists.")


class NoSuchVolunteer(DomainError):
    """The organisation has no volunteer of that id, or none with a decision yet."""

    def __init__(self) -> None:
        super().__init__("There is no such volunteer.")


class NoCodePublished(DomainError):
    """The organisation has not published a code of conduct yet."""

    def __init__(self) -> None:
        super().__init__("This organisation has not published a code of conduct.")


class PublishedMeanwhile(DomainError):
    """Another version of the code was published by a concurrent request; nothing was saved."""

    def __init__(self) -> None:
        super().__init__(
            "Another version was published at the same moment; check the current code and"
            " try again."
        )


class SameAsCurrentCode(DomainError):
    """The text is the current version's, character for character: a new version of it would
    only make every volunteer sign the same text again."""

    def __init__(self, version: int) -> None:
        super().__init__(
            f"This text is the same as version {version}, the current version; change it"
            " before publishing."
        )


class NoSuchDraft(DomainError):
    """The organisation has no draft code of conduct."""

    def __init__(self) -> None:
        super().__init__("There is no draft code of conduct.")


class DraftExists(DomainError):
    """A model is adopted only as the first draft: the one there is must go first."""

    def __init__(self) -> None:
        super().__init__(
            "There is a draft already: edit it, publish it, or delete it before adopting a model."
        )


class NoSuchTemplate(DomainError):
    """The regional centre ships no starter document of that id."""

    def __init__(self, template_id: str) -> None:
        super().__init__(f"There is no template {template_id}.")


class NotAModelCode(DomainError):
    """Only a model code of conduct can become the draft of the organisation's code."""

    def __init__(self, template_id: str) -> None:
        super().__init__(
            f"Template {template_id} is not a code of conduct; only a model code can"
            " become the draft of your code."
        )


class NoSuchAdviceRequest(DomainError):
    """No organisation has an advice request of that id."""

    def __init__(self) -> None:
        super().__init__("There is no such advice request.")


class AlreadyAnswered(DomainError):
    """An advice request takes one answer: of two operators answering at once, one wins."""

    def __init__(self) -> None:
        super().__init__("This advice request has been answered already.")


class TrainingRuleBroken(DomainError):
    """A training that cannot be published as given; the message is the sentence to show."""


class NoSuchNews(DomainError):
    """The regional centre published no news item of that id (or withdrew it)."""

    def __init__(self) -> None:
        super().__init__("There is no such news item.")


class NoSuchTraining(DomainError):
    """The regional centre published no training of that id."""

    def __init__(self) -> None:
        super().__init__("There is no such training.")


class NoSuchRegistration(DomainError):
    """No registration of that id here (another organisation's answers the same)."""

    def __init__(self) -> None:
        super().__init__("There is no such registration.")


class AlreadyRegistered(DomainError):
    """A member registers once for a training (with a seat or on the waiting list)."""

    def __init__(self) -> None:
        super().__init__("You are registered for this training already.")


class TrainingStarted(DomainError):
    """Registering and cancelling end when the training starts."""

    def __init__(self) -> None:
        super().__init__("This training has started; registrations can no longer change.")


class TrainingCancelledByCentre(DomainError):
    """A training the centre cancelled takes no registrations and is not cancelled twice."""

    def __init__(self) -> None:
        super().__init__("This training was cancelled by the regional centre.")


class FewerSeatsThanTaken(DomainError):
    """A change leaves every seat taken with its holder: nobody is bumped off by a lower
    number; they cancel, or the training keeps its seats."""

    def __init__(self, taken: int) -> None:
        super().__init__(
            f"{taken} seats of this training are taken, so it needs at least {taken} seats."
            " Nobody loses their seat through a change: keep the number, or ask people to"
            " cancel first."
        )


class TrainingChangedMeanwhile(DomainError):
    """Someone registered, cancelled or saved another change while this one was saved."""

    def __init__(self) -> None:
        super().__init__(
            "The training changed while you saved (a registration, or another change);"
            " look at it again and save once more."
        )


class NoSeatHeld(DomainError):
    """Attendance is marked only for a registration with a seat."""

    def __init__(self) -> None:
        super().__init__("Only a registration with a seat can be marked as attended.")


class NoSuchConsultation(DomainError):
    """The organisation has no consultation round on its draft (none open, none closed and
    not yet published)."""

    def __init__(self) -> None:
        super().__init__("There is no consultation on the draft code of conduct.")


class ConsultationRunning(DomainError):
    """One round at a time: a draft under consultation is not opened a second time."""

    def __init__(self) -> None:
        super().__init__("The draft is open for consultation already; close that round first.")


class ConsultationClosed(DomainError):
    """The round's closing day has passed, or the admin closed it."""

    def __init__(self) -> None:
        super().__init__("The consultation is closed; comments are no longer taken.")


class NotInvited(DomainError):
    """Only the organisation's volunteers and the members the admin added may comment."""

    def __init__(self) -> None:
        super().__init__("You are not invited to comment on this draft.")


class TooManyComments(DomainError):
    """One person's comments per hour are limited (domain/consultation.py)."""

    def __init__(self) -> None:
        super().__init__("You have commented a lot in the last hour; please try again later.")


class BadClosingDay(DomainError):
    def __init__(self, why: str) -> None:
        super().__init__(why)


class UnknownSection(DomainError):
    """A comment names a section the draft does not have."""

    def __init__(self) -> None:
        super().__init__("The draft has no such section; reload the draft and try again.")


class NotAMember(DomainError):
    """The admin adds current members of the organisation only."""

    def __init__(self) -> None:
        super().__init__("Only current members of the organisation can be added.")


class NoSuchComment(DomainError):
    def __init__(self) -> None:
        super().__init__("There is no such comment.")


class NoSuchRole(DomainError):
    """The organisation has no role of that id."""

    def __init__(self, role_id: str) -> None:
        super().__init__(f"There is no role {role_id}.")
