from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from shared.domain.vog import (
    VOG_EXPIRY_NOTICE_DAYS,
    RoleRequirements,
    VOGFacts,
    check_vog_handed_in,
    vog_expiring_window,
    vog_meets_role_on,
    vog_renewal_due,
    vog_valid_on,
)

HAND_IN = date(2026, 6, 15)
MINORS = RoleRequirements(works_with_minors=True)
NO_VOG_ROLE = RoleRequirements()


def vog(issued_on: date, aspects: tuple[int, ...] = (84,), recorded_on: date = HAND_IN) -> VOGFacts:
    return VOGFacts(
        issued_on=issued_on,
        screening_aspects=aspects,
        checked_by="coordinator-1",
        recorded_on=recorded_on,
    )


@pytest.mark.parametrize(
    ("minors", "vulnerable", "required"),
    [(False, False, False), (True, False, True), (False, True, True), (True, True, True)],
)
def test_a_vog_is_required_for_minors_or_vulnerable_people(
    minors: bool, vulnerable: bool, required: bool
) -> None:
    role = RoleRequirements(works_with_minors=minors, works_with_vulnerable=vulnerable)

    assert role.vog_required is required


def test_role_defaults_follow_the_contract() -> None:
    role = RoleRequirements()

    assert (role.vog_max_age_days, role.vog_renewal_years) == (180, 3)


@pytest.mark.parametrize("field", ["vog_max_age_days", "vog_renewal_years"])
@pytest.mark.parametrize("value", [0, -1])
def test_a_role_refuses_periods_below_one(field: str, value: int) -> None:
    with pytest.raises(ValidationError):
        RoleRequirements.model_validate({field: value})


# issued_on, role, problem keywords (empty = acceptable); handed in on HAND_IN
HAND_IN_TABLE = [
    ("issued on the hand-in day", date(2026, 6, 15), MINORS, []),
    ("exactly the maximum age", date(2025, 12, 17), MINORS, []),  # 180 days
    ("one day over the maximum age", date(2025, 12, 16), MINORS, ["181 days"]),
    ("one day in the future", date(2026, 6, 16), MINORS, ["future"]),
    ("far in the future", date(2027, 1, 1), MINORS, ["future"]),
    ("too old for a role without VOG need", date(2024, 1, 1), NO_VOG_ROLE, ["at most 180"]),
    (
        "custom maximum age of 60 days, 61 old",
        date(2026, 4, 15),
        RoleRequirements(works_with_minors=True, vog_max_age_days=60),
        ["61 days"],
    ),
]


@pytest.mark.parametrize(
    ("issued_on", "role", "keywords"),
    [row[1:] for row in HAND_IN_TABLE],
    ids=[row[0] for row in HAND_IN_TABLE],
)
def test_age_and_date_at_hand_in(
    issued_on: date, role: RoleRequirements, keywords: list[str]
) -> None:
    problems = check_vog_handed_in(vog(issued_on), role, HAND_IN)

    assert len(problems) == len(keywords)
    for problem, keyword in zip(problems, keywords, strict=True):
        assert keyword in problem


# aspects, role needs VOG, acceptable
ASPECT_TABLE = [
    ((84,), True, True),
    ((85,), True, True),
    ((84, 85), True, True),
    ((85, 11, 84), True, True),
    ((), True, False),
    ((11, 12, 86), True, False),
    ((), False, True),
    ((11,), False, True),
]


@pytest.mark.parametrize(("aspects", "needs_vog", "acceptable"), ASPECT_TABLE)
def test_screening_aspects(aspects: tuple[int, ...], needs_vog: bool, acceptable: bool) -> None:
    role = MINORS if needs_vog else NO_VOG_ROLE

    problems = check_vog_handed_in(vog(HAND_IN, aspects=aspects), role, HAND_IN)

    assert (problems == []) is acceptable
    if not acceptable:
        assert "84 or 85" in problems[0]


def test_a_vulnerable_people_role_also_needs_aspect_84_or_85() -> None:
    role = RoleRequirements(works_with_vulnerable=True)

    assert check_vog_handed_in(vog(HAND_IN, aspects=(11,)), role, HAND_IN) != []


def test_all_problems_are_reported_together() -> None:
    problems = check_vog_handed_in(vog(date(2020, 1, 1), aspects=(11,)), MINORS, HAND_IN)

    assert len(problems) == 2


def test_aspects_are_kept_in_canonical_order() -> None:
    assert vog(HAND_IN, aspects=(85, 84, 85)).screening_aspects == (84, 85)
    assert vog(HAND_IN, aspects=(85, 84)) == vog(HAND_IN, aspects=(84, 85))


# issued_on, renewal years, renewal due
RENEWAL_TABLE = [
    (date(2026, 6, 15), 3, date(2029, 6, 15)),
    (date(2026, 6, 15), 5, date(2031, 6, 15)),
    (date(2024, 2, 29), 3, date(2027, 2, 28)),  # no 29 February: a day early, never late
    (date(2024, 2, 29), 4, date(2028, 2, 29)),
    (date(2024, 2, 29), 1, date(2025, 2, 28)),
    (date(2023, 12, 31), 1, date(2024, 12, 31)),
]


@pytest.mark.parametrize(("issued_on", "years", "due"), RENEWAL_TABLE)
def test_renewal_due(issued_on: date, years: int, due: date) -> None:
    role = RoleRequirements(works_with_minors=True, vog_renewal_years=years)

    assert vog_renewal_due(vog(issued_on, recorded_on=issued_on), role) == due


# day, valid — for a VOG issued 2023-06-15 and renewed every 3 years (due 2026-06-15)
VALIDITY_TABLE = [
    (date(2023, 6, 14), False),  # before it was issued
    (date(2023, 6, 15), True),
    (date(2026, 6, 14), True),
    (date(2026, 6, 15), True),  # on the renewal date it still counts
    (date(2026, 6, 16), False),  # past the renewal date
]


@pytest.mark.parametrize(("day", "valid"), VALIDITY_TABLE)
def test_valid_within_the_renewal_period(day: date, valid: bool) -> None:
    facts = vog(date(2023, 6, 15), recorded_on=date(2023, 7, 1))

    assert vog_valid_on(facts, MINORS, day) is valid


def test_meets_role_needs_acceptable_hand_in_and_validity() -> None:
    good = vog(date(2026, 1, 1), recorded_on=date(2026, 2, 1))
    too_old_at_hand_in = vog(date(2025, 1, 1), recorded_on=date(2026, 2, 1))

    assert vog_meets_role_on(good, MINORS, HAND_IN)
    assert not vog_meets_role_on(good, MINORS, date(2029, 1, 2))
    assert not vog_meets_role_on(too_old_at_hand_in, MINORS, HAND_IN)


def test_expiring_window_opens_thirty_days_before_renewal() -> None:
    facts = vog(date(2023, 6, 15), recorded_on=date(2023, 7, 1))

    window = vog_expiring_window(facts, MINORS)

    assert VOG_EXPIRY_NOTICE_DAYS == 30
    assert window.renewal_due == date(2026, 6, 15)
    assert window.opens_on == date(2026, 5, 16)
    assert not window.contains(date(2026, 5, 15))
    assert window.contains(date(2026, 5, 16))
    assert window.contains(date(2026, 6, 15))
    assert not window.contains(date(2026, 6, 16))


def test_expiring_window_with_other_notice() -> None:
    facts = vog(date(2023, 6, 15), recorded_on=date(2023, 7, 1))

    assert vog_expiring_window(facts, MINORS, notice_days=7).opens_on == date(2026, 6, 8)
    with pytest.raises(ValueError, match="negative"):
        vog_expiring_window(facts, MINORS, notice_days=-1)
