"""Finding an organisation by a few letters of its name (services/policy/domain/directory.py)."""

from __future__ import annotations

from services.policy.domain.directory import (
    MAX_FOUND,
    ListedOrganisation,
    find_by_name,
    name_matches,
    words_of,
)


def test_words_are_lower_case_without_accents() -> None:
    assert words_of("Café DE Hoek-Zuid, Ærø") == ["cafe", "de", "hoek", "zuid", "ærø"]


def test_every_typed_word_must_begin_a_word_of_the_name() -> None:
    assert name_matches("Demo Sports Club", "spo")
    assert name_matches("Demo Sports Club", "club demo")
    assert name_matches("Café de Hoek", "CAFE")
    assert not name_matches("Demo Sports Club", "ports")
    assert not name_matches("Demo Sports Club", "demo tennis")
    assert not name_matches("Demo Sports Club", " - ")


def test_found_by_name_and_at_most_ten() -> None:
    many = [ListedOrganisation(f"club-{n:02}", f"Club {n:02}") for n in range(15, 0, -1)]
    found = find_by_name([ListedOrganisation("zwem", "Zwemclub"), *many], "club")
    assert [o.org_id for o in found] == [f"club-{n:02}" for n in range(1, MAX_FOUND + 1)]
