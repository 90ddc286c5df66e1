"""The consultation round's rules (services/policy/domain/consultation.py), without I/O."""

from __future__ import annotations

from datetime import UTC, date, datetime

from services.policy.domain.consultation import (
    COMMENTS_PER_HOUR,
    GENERAL,
    as_the_admin_sees,
    by_section,
    closing_day_problem,
    consulted,
    is_due_to_close,
    may_comment,
    reminder_day,
    section_title,
    sections_of,
    slug_of,
    takes_comments,
)

DRAFT = """# Gedragscode De Esch

Intro text.

## 1. Respect & trust

We treat each other well.

```
# not a heading inside a fence
```

Safety first
------------

## 1. Respect & trust

### Één ding
"""


def test_a_section_is_a_heading_outside_code_fences_with_its_own_slug() -> None:
    sections = sections_of(DRAFT)
    assert [(s.slug, s.title, s.level) for s in sections] == [
        ("gedragscode-de-esch", "Gedragscode De Esch", 1),
        ("1-respect-trust", "1. Respect & trust", 2),
        ("safety-first", "Safety first", 2),
        ("1-respect-trust-2", "1. Respect & trust", 2),
        ("een-ding", "Één ding", 3),
    ]
    assert GENERAL not in {s.slug for s in sections}


def test_a_thematic_break_after_a_blank_line_is_no_heading() -> None:
    assert sections_of("Text\n\n---\n\nMore") == []
    assert slug_of("!!!") == "section"


def test_section_titles_are_the_drafts_and_general_is_always_there() -> None:
    assert section_title(DRAFT, "safety-first") == "Safety first"
    assert section_title(DRAFT, GENERAL) == ""
    assert section_title(DRAFT, "gone") is None


def test_the_closing_day_lies_ahead_within_ninety_days() -> None:
    today = date(2026, 12, 5)
    assert closing_day_problem(date(2026, 12, 5), today) is not None
    assert closing_day_problem(date(2026, 12, 6), today) is None
    assert closing_day_problem(date(2027, 3, 5), today) is None
    assert closing_day_problem(date(2027, 3, 6), today) is not None


def test_the_reminder_is_three_days_before_closing_unless_the_round_is_shorter() -> None:
    assert reminder_day(date(2026, 12, 20), date(2026, 12, 5)) == date(2026, 12, 17)
    assert reminder_day(date(2026, 12, 8), date(2026, 12, 5)) is None


def test_comments_are_taken_through_the_closing_day_and_then_it_closes() -> None:
    closes = date(2026, 12, 20)
    assert takes_comments("open", closes, closes)
    assert not takes_comments("open", closes, date(2026, 12, 21))
    assert not takes_comments("closed", closes, date(2026, 12, 10))
    assert not is_due_to_close("open", closes, closes)
    assert is_due_to_close("open", closes, date(2026, 12, 21))


def test_one_person_comments_a_limited_number_of_times_an_hour() -> None:
    assert may_comment(COMMENTS_PER_HOUR - 1)
    assert not may_comment(COMMENTS_PER_HOUR)


def test_consulted_counts_people_once() -> None:
    counts = consulted(["a", "b", "a"])
    assert (counts.people, counts.comments) == (2, 3)


def comment(section: str, *, named: bool, title: str = "") -> dict[str, object]:
    return {
        "comment_id": f"c-{section}-{named}",
        "section": section,
        "section_title": title,
        "text": "Why?",
        "named": named,
        "author_id": "volunteer-secret",
        "author_name": "Anna" if named else None,
        "commented_at": datetime(2026, 12, 5, tzinfo=UTC),
    }


def test_the_admin_sees_a_name_only_when_given_and_never_the_author_id() -> None:
    named = as_the_admin_sees(comment("safety-first", named=True))
    anonymous = as_the_admin_sees({**comment("safety-first", named=False), "author_name": "X"})
    assert named["author_name"] == "Anna"
    assert anonymous["author_name"] is None
    assert "volunteer-secret" not in repr(named) + repr(anonymous)


def test_comments_group_per_section_with_old_headings_last() -> None:
    groups = by_section(
        DRAFT,
        [
            comment("safety-first", named=True),
            comment(GENERAL, named=False),
            comment("old-heading", named=False, title="Old heading"),
        ],
    )
    assert [g.slug for g in groups][:3] == [GENERAL, "gedragscode-de-esch", "1-respect-trust"]
    assert [len(g.comments) for g in groups if g.slug == "safety-first"] == [1]
    assert (groups[-1].slug, groups[-1].title, groups[-1].in_draft) == (
        "old-heading",
        "Old heading",
        False,
    )
