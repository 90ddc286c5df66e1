"""The rules of a fallback contact (services/policy/domain/fallback_contacts.py)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from services.policy.domain.fallback_contacts import MAX_CONTACTS, FallbackContact, FallbackContacts

LINE = {"name": "Veilig Thuis", "kind": "national_line", "phone": "0800-2000", "hours": "24/7"}


def test_a_contact_with_a_phone_or_an_https_address_is_taken_trimmed() -> None:
    contact = FallbackContact.model_validate({**LINE, "phone": " 0800-2000 ", "hours": " 24/7 "})
    assert (contact.phone, contact.hours) == ("0800-2000", "24/7")
    web_only = FallbackContact.model_validate(
        {**LINE, "phone": None, "url": "https://www.veiligthuis.nl"}
    )
    # Kept as written, not normalised (no slash added).
    assert web_only.url == "https://www.veiligthuis.nl"


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"phone": None}, "phone number or a web address"),
        ({"phone": None, "url": "http://www.veiligthuis.nl"}, "https://"),
        ({"hours": "ma\ndi"}, "one line"),
        ({"kind": "hotline"}, "kind"),
        ({"name": ""}, "name"),
    ],
)
def test_a_contact_nobody_can_reach_or_that_breaks_a_page_is_refused(
    change: dict[str, object], why: str
) -> None:
    with pytest.raises(ValidationError, match=why):
        FallbackContact.model_validate({**LINE, **change})


def test_the_list_is_bounded() -> None:
    with pytest.raises(ValidationError):
        FallbackContacts.model_validate({"contacts": [LINE] * (MAX_CONTACTS + 1)})
    assert len(FallbackContacts.model_validate({"contacts": [LINE] * MAX_CONTACTS}).contacts) == 20
