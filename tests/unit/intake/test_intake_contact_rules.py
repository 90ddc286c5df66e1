"""The loose checks of an applicant's phone number and motivation (services/intake/domain/contact.py)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from services.intake.domain.contact import motivation_as_given, phone_as_given
from services.intake.use_cases.applications import Application, contact
from tests.support.fake_unit_of_work import FakeUnitOfWork


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("06 12345678", "06 12345678"),
        ("  +31 (0)6-1234 5678\t", "+31 (0)6-1234 5678"),
        ("020/123.45.67", "020/123.45.67"),
        ("", None),
        ("   ", None),
        (None, None),
    ],
)
def test_a_phone_number_is_kept_as_given_but_trimmed(typed: str | None, kept: str | None) -> None:
    assert phone_as_given(typed) == kept


@pytest.mark.parametrize(
    "typed",
    [
        "bel me maar",
        "12345",
        "06-1234-5678 toestel 12",
        "+31 6 1234 5678 9012 3456 7890 12",
        "06+1234567",
    ],
)
def test_what_cannot_be_a_phone_number_is_refused(typed: str) -> None:
    with pytest.raises(ValueError, match="must be a phone number"):
        phone_as_given(typed)


def test_a_motivation_is_trimmed_and_at_most_1000_characters() -> None:
    assert motivation_as_given("  Graag!\n") == "Graag!"
    assert motivation_as_given(" \n ") is None
    assert motivation_as_given("x" * 1000 + "   ") == "x" * 1000
    with pytest.raises(ValueError, match="at most 1000"):
        motivation_as_given("x" * 1001)


def test_the_application_names_the_field_it_refuses() -> None:
    with pytest.raises(ValidationError, match="phone"):
        Application(role_id="coach", name="Anna", email="anna@example.org", phone="abc")
    with pytest.raises(ValidationError, match="motivation"):
        Application(role_id="coach", name="Anna", email="anna@example.org", motivation="x" * 1001)


async def test_the_contact_is_what_the_application_stored() -> None:
    from datetime import UTC, datetime

    from services.intake.bootstrap import DEFINITION
    from services.intake.domain.errors import NoSuchVolunteer
    from services.intake.storage import APPLICATIONS, INDEXES

    uow = FakeUnitOfWork("club", indexes=INDEXES, publishes=DEFINITION.publishes)
    now = datetime(2026, 3, 2, tzinfo=UTC)
    await uow.collection(APPLICATIONS).insert_one(
        {
            "application_id": "a1",
            "volunteer_id": "v1",
            "role_id": "coach",
            "name": "Anna",
            "email": "anna@example.org",
            "phone": "06 12345678",
            "motivation": None,
            "applied_at": now,
        }
    )
    found = await contact(uow, "v1")
    assert (found.phone, found.motivation, found.email) == ("06 12345678", None, "anna@example.org")
    with pytest.raises(NoSuchVolunteer):
        await contact(uow, "v2")
