"""The plaintext report and message bodies of API.md, as clients build and read them."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from shared.crypto import CATEGORIES, MessageBody, ReportBody


def test_categories_are_those_of_api_md() -> None:
    assert CATEGORIES == (
        "bullying",
        "discrimination",
        "sexual_intimidation",
        "aggression",
        "other",
    )


def test_a_report_body_leaves_out_what_was_not_given() -> None:
    body = ReportBody(category="other", description="Iets", wants_contact=False)
    assert body.to_body() == {"category": "other", "description": "Iets", "wants_contact": False}
    full = ReportBody(
        category="aggression",
        description="Geduwd",
        occurred_on=date(2026, 3, 14),
        location="Kantine",
        people_involved="Twee spelers",
        wants_contact=True,
        contact="06-12345678",
    )
    assert full.to_body()["occurred_on"] == "2026-03-14"
    assert ReportBody.model_validate(full.to_body()) == full


@pytest.mark.parametrize(
    "fields",
    [
        {"category": "gossip", "description": "x", "wants_contact": False},
        {"category": "other", "description": "", "wants_contact": False},
        {"category": "other", "description": "x"},
        {"category": "other", "description": "x", "wants_contact": False, "contact": "me"},
    ],
)
def test_incomplete_or_contradictory_reports_are_refused(fields: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        ReportBody.model_validate(fields)


def test_readers_ignore_fields_a_newer_client_added() -> None:
    body = ReportBody.model_validate(
        {"category": "other", "description": "x", "wants_contact": False, "mood": "sad"}
    )
    assert body.description == "x"
    assert MessageBody.model_validate({"text": "hoi", "lang": "nl"}).to_body() == {"text": "hoi"}
