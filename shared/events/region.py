"""Events of the regional centre's offer to the organisations it serves (issue 25, items 3
and 4): open roles listed on the regional page, and the centre's news.

A listing is public on /vacatures anyway; the events still carry only what a consumer needs
to know that it changed. News events carry titles, never the text: the text stays in policy,
behind a member's token.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.events.base import Event

# To whom the centre addresses a news item: every organisation, or those of one kind (an
# organisation's settings name its kind).
NewsAudience = Literal["all", "sport", "youth", "care"]


class RoleListingChanged(Event):
    """An admin listed a role as open on the regional page, changed its listing, or took it
    off (`listed` false)."""

    type_name: ClassVar[str] = "nl.safehands.role.listing_changed.v1"
    key_field: ClassVar[str] = "role_id"
    role_id: str
    listed: bool


class NewsPublished(Event):
    """The regional centre published a news item (org_id: the centre's own tenant)."""

    type_name: ClassVar[str] = "nl.safehands.news.published.v1"
    key_field: ClassVar[str] = "news_id"
    news_id: str
    title: str
    audience: NewsAudience
    published_at: datetime


class NewsEdited(Event):
    """The centre corrected a published item: its title, text or audience (it keeps its day
    of publication, so a weekly digest not yet sent carries the corrected title)."""

    type_name: ClassVar[str] = "nl.safehands.news.edited.v1"
    key_field: ClassVar[str] = "news_id"
    news_id: str
    title: str
    audience: NewsAudience
    edited_at: datetime


class NewsWithdrawn(Event):
    """The centre withdrew an item: no organisation sees it any more, no digest names it."""

    type_name: ClassVar[str] = "nl.safehands.news.withdrawn.v1"
    key_field: ClassVar[str] = "news_id"
    news_id: str
    withdrawn_at: datetime


class NewsHeadline(BaseModel):
    model_config = ConfigDict(frozen=True)

    news_id: str
    title: str


class NewsDigestDue(Event):
    """The weekly digest of the centre's news for one organisation whose admin asked for it:
    notify mails its admins the titles and where to read them."""

    type_name: ClassVar[str] = "nl.safehands.news.digest_due.v1"
    key_field: ClassVar[str] = "week"
    # The ISO week the digest is sent in ("2026-W49"); it holds the previous week's news.
    week: str
    headlines: list[NewsHeadline] = Field(min_length=1)


EVENTS: tuple[type[Event], ...] = (
    RoleListingChanged,
    NewsPublished,
    NewsEdited,
    NewsWithdrawn,
    NewsDigestDue,
)
