"""The texts of identity's mails, in the organisation's language (Dutch by default)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

Language = Literal["nl", "en"]
DEFAULT_LANGUAGE: Language = "nl"


@dataclass(frozen=True)
class MailText:
    subject: str
    text: str


@dataclass(frozen=True)
class Mail:
    """A mail a use case decided to send, queued by the caller once its work is committed;
    `kind` names it in the logs, which never hold its text (it may carry a sign-in link)."""

    to: str
    kind: str
    content: MailText


def language_of(value: object) -> Language:
    return "en" if value == "en" else DEFAULT_LANGUAGE


def organisation_for_mail(
    found: Mapping[str, Any] | None, org_id: str | None
) -> tuple[str, Language]:
    """The organisation's name and language as a mail names it, from its stored document:
    its id and Dutch when the document or a field is missing."""
    if found is None:
        return org_id or "SafeHands", language_of(None)
    return str(found.get("name") or org_id), language_of(found.get("language"))


def sign_in_mail(language: Language, link: str, minutes: int) -> MailText:
    if language == "en":
        return MailText(
            "Your SafeHands sign-in link",
            f"Hello,\n\nSomeone (hopefully you) asked to sign in to SafeHands with this "
            f"address. Open this link within {minutes} minutes to sign in:\n\n{link}\n\n"
            f"The link works once. If you did not ask for it, you can ignore this mail.\n",
        )
    return MailText(
        "Je inloglink voor SafeHands",
        f"Hallo,\n\nIemand (hopelijk jij) wil met dit adres inloggen bij SafeHands. "
        f"Open deze link binnen {minutes} minuten om in te loggen:\n\n{link}\n\n"
        f"De link werkt één keer. Heb je hier niet om gevraagd, dan kun je deze mail negeren.\n",
    )


ROLE_NAMES: dict[Language, dict[str, str]] = {
    "en": {"admin": "administrator", "coordinator": "coordinator"},
    "nl": {"admin": "beheerder", "coordinator": "coördinator"},
}


def invitation_mail(
    language: Language,
    *,
    name: str,
    organisation: str,
    roles: tuple[str, ...],
    link: str,
    sign_in_page: str,
    days: int,
) -> MailText:
    role_list = " / ".join(ROLE_NAMES[language].get(role, role) for role in roles)
    if language == "en":
        return MailText(
            f"You are invited to {organisation} on SafeHands",
            f"Hello {name},\n\nYou have been added to {organisation} on SafeHands as "
            f"{role_list}. Open this link to sign in (it works once, for {days} days):\n\n"
            f"{link}\n\nLater, or once it has expired, ask for a new link at {sign_in_page}.\n",
        )
    return MailText(
        f"Uitnodiging voor {organisation} op SafeHands",
        f"Hallo {name},\n\nJe bent toegevoegd aan {organisation} op SafeHands als "
        f"{role_list}. Open deze link om in te loggen (hij werkt één keer, {days} dagen "
        f"lang):\n\n{link}\n\nLater, of als hij verlopen is, vraag je een nieuwe link aan "
        f"op {sign_in_page}.\n",
    )


def vcp_invitation_mail(
    language: Language,
    *,
    name: str,
    organisation: str,
    link: str,
    sign_in_page: str,
    days: int,
) -> MailText:
    """To a VCP appointed without a key: they sign in and make their key in the browser.
    Until then no report is sealed to them."""
    if language == "en":
        return MailText(
            f"You are the confidential contact person of {organisation} on SafeHands",
            f"Hello {name},\n\n{organisation} has appointed you as its confidential contact "
            f"person (VCP) on SafeHands. Reports reach you end-to-end encrypted, so first make "
            f"your own key: open this link to sign in (it works once, for {days} days), and "
            f"SafeHands will guide you:\n\n{link}\n\nYour private key never leaves your "
            f"device. Until you have made it, reports are not sealed to you.\n\nLater, or once "
            f"the link has expired, ask for a new link at {sign_in_page}.\n",
        )
    return MailText(
        f"Je bent vertrouwenscontactpersoon van {organisation} op SafeHands",
        f"Hallo {name},\n\n{organisation} heeft je aangesteld als vertrouwenscontactpersoon "
        f"(VCP) op SafeHands. Meldingen bereiken je end-to-end versleuteld, dus maak eerst je "
        f"eigen sleutel: open deze link om in te loggen (hij werkt één keer, {days} dagen "
        f"lang), SafeHands helpt je verder:\n\n{link}\n\nJe privésleutel verlaat je apparaat "
        f"nooit. Zolang je hem niet gemaakt hebt, worden meldingen niet voor jou versleuteld."
        f"\n\nLater, of als de link verlopen is, vraag je een nieuwe link aan op "
        f"{sign_in_page}.\n",
    )
