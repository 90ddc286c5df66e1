"""Names and titles refuse control characters (issue 19, item 5): an organisation registered
as "Sportclub\nNieuw" put a line break into a mail subject. Every model that takes a name
people type uses shared/domain/names.Name."""

from __future__ import annotations

import re
from typing import Any

import pytest
from pydantic import BaseModel, TypeAdapter, ValidationError

from services.identity.use_cases.members import Invitation
from services.intake.use_cases.applications import Application
from services.policy.use_cases.organisations import NewOrganisation
from services.policy.use_cases.roles import RoleDefinition
from services.reports.use_cases.vcps import NewVCP
from shared.domain.names import ONE_LINE_PATTERN, Name, has_control_characters

MODELS: list[tuple[type[BaseModel], str, dict[str, Any]]] = [
    (NewOrganisation, "name", {"org_id": "sportclub"}),
    (RoleDefinition, "title", {"works_with_minors": True, "works_with_vulnerable": False}),
    (Invitation, "name", {"email": "ada@example.org", "roles": ["admin"]}),
    (NewVCP, "name", {"vcp_id": "vera", "email": "vera@example.org"}),
    (Application, "name", {"role_id": "coach", "email": "anna@example.org"}),
]
BAD = ["Sportclub\nNieuw", "tab\there", "cr\rlf", "nul\x00", "del\x7f", "c1\x85", "ls\u2028",
       "rlo\u202eevil", "isolate\u2066"]  # fmt: skip
GOOD = ["Sportclub Nieuw", "Vereniging 't Hoekje", "Zoë & Anaïs", "合唱団", "👩‍👧 club", "x"]


@pytest.mark.parametrize(
    ("model", "field", "rest"), MODELS, ids=lambda v: getattr(v, "__name__", "")
)
@pytest.mark.parametrize("bad", BAD)
def test_a_name_with_a_control_character_is_refused(
    model: type[BaseModel], field: str, rest: dict[str, Any], bad: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        model.model_validate({**rest, field: bad})
    [error] = refused.value.errors()
    assert error["loc"] == (field,)
    assert "control characters" in error["msg"]


@pytest.mark.parametrize(
    ("model", "field", "rest"), MODELS, ids=lambda v: getattr(v, "__name__", "")
)
@pytest.mark.parametrize("good", GOOD)
def test_ordinary_names_pass(
    model: type[BaseModel], field: str, rest: dict[str, Any], good: str
) -> None:
    assert getattr(model.model_validate({**rest, field: good}), field) == good


def test_empty_and_overlong_names_are_still_refused() -> None:
    for name in ("", "x" * 201):
        with pytest.raises(ValidationError):
            NewOrganisation.model_validate({"org_id": "sportclub", "name": name})
    assert not has_control_characters("Zoë")


def test_the_contracts_pattern_says_the_same_rule() -> None:
    # The fuzzer generates names from the contract's pattern: every character the rule
    # refuses must be outside it, every other inside (issue 20's passkey label was refused
    # as schema-valid input before the contract carried the rule).
    pattern = re.compile(ONE_LINE_PATTERN)
    for code in range(0x3000):
        char = chr(code)
        assert (pattern.fullmatch(char) is None) == has_control_characters(char), hex(code)
    schema = TypeAdapter(Name).json_schema()
    assert schema["pattern"] == ONE_LINE_PATTERN
    assert all(pattern.fullmatch(good) for good in GOOD)
