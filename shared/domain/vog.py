"""Rules for the VOG (Verklaring Omtrent het Gedrag, the Dutch certificate of conduct).

A VOG has no legal expiry. The organisation decides per role how old a VOG may be when it is
handed in and how often it is renewed; these rules apply those choices. Intake uses
`check_vog_handed_in` to refuse a record with 422, policy uses `vog_meets_role_on` to decide
admission, so both services agree on what an acceptable VOG is.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

DEFAULT_VOG_MAX_AGE_DAYS = 180
DEFAULT_VOG_RENEWAL_YEARS = 3

# Justis risk area 08 "Personen": 84 is care for minors, 85 care for people in need of help.
# The public contract accepts either one for any role that needs a VOG.
VULNERABLE_PEOPLE_ASPECTS: frozenset[int] = frozenset({84, 85})

VOG_EXPIRY_NOTICE_DAYS = 30


class RoleRequirements(BaseModel):
    """The risk profile of a role, as far as the VOG is concerned."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    works_with_minors: bool = False
    works_with_vulnerable: bool = False
    # At least one day / one year: zero would make every VOG unacceptable or never valid,
    # which is a misconfiguration rather than a policy.
    vog_max_age_days: int = Field(default=DEFAULT_VOG_MAX_AGE_DAYS, ge=1)
    vog_renewal_years: int = Field(default=DEFAULT_VOG_RENEWAL_YEARS, ge=1)

    @classmethod
    def from_document(cls, document: Mapping[str, Any]) -> RoleRequirements:
        """From a stored role, which holds more than the requirements (its title, its id)."""
        return cls(**{name: document[name] for name in cls.model_fields})

    @property
    def vog_required(self) -> bool:
        return self.works_with_minors or self.works_with_vulnerable


class VOGFacts(BaseModel):
    """What the organisation keeps of a VOG: the facts, never a copy of the certificate."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    issued_on: date
    screening_aspects: tuple[int, ...]
    checked_by: str
    recorded_on: date

    @field_validator("screening_aspects", mode="after")
    @classmethod
    def _canonical_order(cls, aspects: tuple[int, ...]) -> tuple[int, ...]:
        # The order in which a coordinator typed the aspects means nothing; a canonical
        # order keeps equal facts equal (and hashable values comparable).
        return tuple(sorted(set(aspects)))


class VOGExpiryWindow(BaseModel):
    """The days on which a VOG is about to need renewal: notice opens, renewal falls due."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    opens_on: date
    renewal_due: date

    def contains(self, day: date) -> bool:
        return self.opens_on <= day <= self.renewal_due


def check_vog_handed_in(vog: VOGFacts, role: RoleRequirements, today: date) -> list[str]:
    """Problems that make `vog` unacceptable for `role` when handed in on `today`.

    An empty list means acceptable. `today` is the hand-in day: intake passes the current date,
    policy re-checks an earlier hand-in by passing `vog.recorded_on`. All problems are reported
    at once so that the coordinator can fix everything in one go.
    """
    problems: list[str] = []
    if vog.issued_on > today:
        problems.append(
            f"The VOG's issue date {vog.issued_on.isoformat()} is in the future "
            f"(it was handed in on {today.isoformat()})."
        )
    else:
        age_days = (today - vog.issued_on).days
        if age_days > role.vog_max_age_days:
            problems.append(
                f"The VOG was issued on {vog.issued_on.isoformat()}, {age_days} days before it "
                f"was handed in; this role accepts a VOG of at most {role.vog_max_age_days} "
                "days old."
            )
    if role.vog_required and not VULNERABLE_PEOPLE_ASPECTS.intersection(vog.screening_aspects):
        screened = ", ".join(str(a) for a in vog.screening_aspects) or "none"
        problems.append(
            "This role works with minors or vulnerable people, so the VOG must be screened on "
            f"aspect 84 or 85 (risk area 08 'Personen'); it was screened on: {screened}."
        )
    return problems


def vog_renewal_due(vog: VOGFacts, role: RoleRequirements) -> date:
    """The date by which a new VOG must be in place: issue date plus the role's renewal years."""
    return _add_years(vog.issued_on, role.vog_renewal_years)


def vog_valid_on(vog: VOGFacts, role: RoleRequirements, day: date) -> bool:
    """Whether `day` lies within the VOG's renewal period.

    The renewal date itself still counts: the contract sends a volunteer back to pending when
    the VOG is *past* its renewal date, and a renewal handed in on the due date is on time.
    """
    return vog.issued_on <= day <= vog_renewal_due(vog, role)


def vog_meets_role_on(vog: VOGFacts, role: RoleRequirements, day: date) -> bool:
    """Whether `vog` satisfies `role` on `day`: it was acceptable when handed in, and still valid.

    Judged against the role's *current* requirements: if a role is made stricter (e.g. it now
    works with minors), a VOG that no longer meets it counts as missing — if in doubt, don't
    admit.
    """
    acceptable_at_hand_in = not check_vog_handed_in(vog, role, vog.recorded_on)
    return acceptable_at_hand_in and vog_valid_on(vog, role, day)


def vog_expiring_window(
    vog: VOGFacts, role: RoleRequirements, notice_days: int = VOG_EXPIRY_NOTICE_DAYS
) -> VOGExpiryWindow:
    """The window in which the volunteer and organisation are told a renewal is coming.

    It opens `notice_days` before the renewal date and ends on it (inclusive, like
    `vog_valid_on`); storing `opens_on` lets a scheduler find due notices with one query.
    """
    if notice_days < 0:
        raise ValueError("notice_days must not be negative")
    due = vog_renewal_due(vog, role)
    return VOGExpiryWindow(opens_on=due - timedelta(days=notice_days), renewal_due=due)


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        # 29 February in a year without one: fall back to 28 February rather than 1 March,
        # so that a renewal period never runs a day longer than the organisation chose.
        return day.replace(year=day.year + years, day=28)
