"""Finding an organisation by its name, for the platform's home page: a parent or a player
who wants to report a concern knows their club's name, not its address.

A name matches when every word typed begins a word of the name, ignoring case and accents
("sport", "Demo spo" and "cafe" find "Demo Sports Club" and "Café de Hoek"), so a few
letters find a club whatever its name's spelling of capitals and accents.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

MIN_QUERY_LENGTH = 2
MAX_QUERY_LENGTH = 100
# A list to choose from, not a directory to page through.
MAX_FOUND = 10

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class ListedOrganisation:
    org_id: str
    name: str


def words_of(text: str) -> list[str]:
    """The words of `text`, lower-case and without accents."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _WORD.findall(plain.casefold())


def name_matches(name: str, query: str) -> bool:
    wanted = words_of(query)
    if not wanted:
        return False
    words = words_of(name)
    return all(any(word.startswith(part) for word in words) for part in wanted)


def find_by_name(
    organisations: Iterable[ListedOrganisation], query: str
) -> list[ListedOrganisation]:
    """The organisations whose name matches `query`, by name, at most MAX_FOUND."""
    found = [o for o in organisations if name_matches(o.name, query)]
    return sorted(found, key=lambda o: (words_of(o.name), o.org_id))[:MAX_FOUND]
