"""The region's open roles (/vacatures, issue 25 item 3): which listings a visitor finds by
words and place, in which order, a page at a time.

A listing shows only while its role is listed and its organisation is findable: an
organisation that chose not to be listed (a shelter, say) never appears, nor do its roles,
whatever their own listing says. Words match as on the home page's search
(domain/directory.py): every word typed begins a word of the role's title, its
organisation's name or its text; a place matches the same way against the listing's place.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from services.policy.domain.directory import words_of

MAX_QUERY_LENGTH = 100
MAX_PAGE_SIZE = 50
# Far past any region's open roles; page times page size stays far inside any integer.
MAX_PAGE = 10_000


@dataclass(frozen=True)
class OpenRole:
    org_id: str
    organisation: str
    role_id: str
    title: str
    place: str
    hours: str
    text: str
    vog_required: bool


@dataclass(frozen=True)
class Found:
    items: list[OpenRole]
    total: int


def _begins_words(wanted: list[str], words: list[str]) -> bool:
    return all(any(word.startswith(part) for word in words) for part in wanted)


def matches(role: OpenRole, words: str, place: str) -> bool:
    """Whether `role` answers the search; an empty `words` or `place` asks nothing of it."""
    if not _begins_words(
        words_of(words), words_of(f"{role.title} {role.organisation} {role.text}")
    ):
        return False
    return _begins_words(words_of(place), words_of(role.place))


def search(roles: Iterable[OpenRole], words: str, place: str, page: int, page_size: int) -> Found:
    """The page `page` (from 1) of the roles that match, by title, organisation and id."""
    found = sorted(
        (role for role in roles if matches(role, words, place)),
        key=lambda r: (words_of(r.title), words_of(r.organisation), r.org_id, r.role_id),
    )
    start = (page - 1) * page_size
    return Found(items=found[start : start + page_size], total=len(found))
