"""A consultation round on the draft code of conduct, as rules without I/O: what a section
is, when a round may open and close, when its reminder is due, how often one person may
comment, and what the admin sees of a comment.

A section is a Markdown heading with the text under it, up to the next heading: the same
headings markdown-it renders (ATX `#`…`######` and setext `===`/`---` underlines), outside
fenced code blocks. Comments name their section by its slug, which stays the same while the
heading's words do; a comment on the code as a whole names GENERAL.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

# The slug of comments on the code as a whole (and of text before the first heading).
GENERAL = "general"
# A round runs at least until tomorrow and at most this long: long enough for a club that
# meets once a month, short enough that the draft is still the one being discussed.
MAX_ROUND_DAYS = 90
# The reminder goes out this many days before the closing day.
REMINDER_DAYS_BEFORE = 3
# One person's comments per hour: plenty for a careful reader, too few to flood the admin.
COMMENTS_PER_HOUR = 20
MAX_COMMENT_LENGTH = 4000
MAX_ANSWER_LENGTH = 4000

_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(```+|~~~+)")


class ConsultationStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    level: int


def slug_of(title: str) -> str:
    """Lower-case letters and digits joined by hyphens ("1. Respect & trust" →
    "1-respect-trust"); accents dropped so that the slug is plain ASCII."""
    plain = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")
    return slug or "section"


def sections_of(text: str) -> list[Section]:
    """The draft's sections in order, each heading once; a heading that repeats another's
    words gets "-2", "-3" so that every section has its own slug. GENERAL is never one."""
    found: list[tuple[str, int]] = []
    fence: str | None = None
    previous = ""
    for line in text.splitlines():
        opening = _FENCE.match(line)
        if fence is not None:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = None
            previous = ""
            continue
        if opening:
            fence = opening.group(1)
            previous = ""
            continue
        atx = _ATX.match(line)
        setext = _SETEXT.match(line)
        if atx:
            found.append(((atx.group(2) or "").strip(), len(atx.group(1))))
            previous = ""
            continue
        if setext and previous.strip() and not _ATX.match(previous):
            found.append((previous.strip(), 1 if setext.group(1)[0] == "=" else 2))
            previous = ""
            continue
        previous = line
    sections: list[Section] = []
    seen: dict[str, int] = {GENERAL: 1}
    for title, level in found:
        if not title:
            continue
        base = slug_of(title)
        seen[base] = seen.get(base, 0) + 1
        slug = base if seen[base] == 1 else f"{base}-{seen[base]}"
        sections.append(Section(slug, title, level))
    return sections


def section_title(text: str, slug: str) -> str | None:
    """The title of the draft's section `slug`; "" for GENERAL; None when there is none."""
    if slug == GENERAL:
        return ""
    return next((s.title for s in sections_of(text) if s.slug == slug), None)


def closing_day_problem(closes_on: date, today: date) -> str | None:
    """Why a round cannot close on `closes_on`, or None when it can."""
    if closes_on <= today:
        return "The closing date must be after today."
    if closes_on > today + timedelta(days=MAX_ROUND_DAYS):
        return f"A consultation runs at most {MAX_ROUND_DAYS} days."
    return None


def reminder_day(closes_on: date, opened_on: date) -> date | None:
    """The day the reminder goes out; None for a round too short to need one (it would be
    due on the day it opens, or before)."""
    day = closes_on - timedelta(days=REMINDER_DAYS_BEFORE)
    return day if day > opened_on else None


def takes_comments(status: str, closes_on: date, today: date) -> bool:
    return status == ConsultationStatus.OPEN and today <= closes_on


def is_due_to_close(status: str, closes_on: date, today: date) -> bool:
    return status == ConsultationStatus.OPEN and today > closes_on


def may_comment(comments_in_last_hour: int) -> bool:
    return comments_in_last_hour < COMMENTS_PER_HOUR


@dataclass(frozen=True)
class Consulted:
    """What a published version records of its round."""

    people: int
    comments: int


def consulted(author_ids: Iterable[str]) -> Consulted:
    """How many people left how many comments (one author id per comment)."""
    authors = list(author_ids)
    return Consulted(people=len(set(authors)), comments=len(authors))


def as_the_admin_sees(comment: Mapping[str, Any]) -> dict[str, Any]:
    """A stored comment as the admin's pages and exports show it: the author's name only when
    they chose to be named; never the author id (which would name them by other routes)."""
    named = bool(comment.get("named"))
    return {
        "comment_id": comment["comment_id"],
        "section": comment["section"],
        "text": comment["text"],
        "named": named,
        "author_name": (comment.get("author_name") or None) if named else None,
        "commented_at": comment["commented_at"],
        "answer": comment.get("answer"),
    }


@dataclass(frozen=True)
class SectionComments:
    slug: str
    title: str
    # Whether the current draft still has this section (a heading reworded or removed since
    # the comment was made leaves it under its old title).
    in_draft: bool
    comments: tuple[Mapping[str, Any], ...]


def by_section(text: str, comments: Sequence[Mapping[str, Any]]) -> list[SectionComments]:
    """The comments per section: GENERAL first, then the draft's sections in order (with or
    without comments), then sections no longer in the draft that have comments."""
    sections = sections_of(text)
    grouped: dict[str, list[Mapping[str, Any]]] = {}
    old_titles: dict[str, str] = {}
    for comment in comments:
        grouped.setdefault(comment["section"], []).append(comment)
        old_titles.setdefault(comment["section"], comment.get("section_title") or "")
    result = [SectionComments(GENERAL, "", True, tuple(grouped.pop(GENERAL, ())))]
    for section in sections:
        result.append(
            SectionComments(section.slug, section.title, True, tuple(grouped.pop(section.slug, ())))
        )
    for slug, rest in grouped.items():
        result.append(SectionComments(slug, old_titles[slug], False, tuple(rest)))
    return result
