"""The regional centre's news: the operator writes it, the members of the organisations it
is addressed to read it, and their admins may have it mailed once a week."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel, Field
from pymongo import ReturnDocument

from services.policy.domain.errors import NoSuchNews
from services.policy.domain.news import (
    MAX_BODY_LENGTH,
    MAX_SHOWN,
    DigestWeek,
    Headline,
    audiences_of,
    digest_for,
    digest_week,
)
from services.policy.organisation_settings import settings_of
from services.policy.storage import NEWS, ORGANISATIONS
from services.policy.use_cases.organisations import registered_organisation
from shared import audit
from shared.domain.calendar import as_stored
from shared.domain.names import Name
from shared.events.region import (
    NewsAudience,
    NewsDigestDue,
    NewsEdited,
    NewsHeadline,
    NewsPublished,
    NewsWithdrawn,
)
from shared.storage.database import Database
from shared.storage.tenancy import Document
from shared.storage.unit_of_work import UnitOfWork
from shared.tenants import REGIONAL_CENTRE


class NewNewsItem(BaseModel):
    title: Name
    body: str = Field(min_length=1, max_length=MAX_BODY_LENGTH, description="Markdown.")
    audience: NewsAudience = "all"


class NewsItem(BaseModel):
    news_id: str
    title: str
    body: str
    audience: NewsAudience
    published_at: datetime
    edited_at: datetime | None = Field(
        default=None, description="When the centre last corrected it; absent if never."
    )


def _item(doc: Document) -> NewsItem:
    return NewsItem.model_validate({name: doc.get(name) for name in NewsItem.model_fields})


async def publish_news(uow: UnitOfWork, new: NewNewsItem, now: datetime) -> NewsItem:
    """Publish an item (the unit of work is the centre's own, REGIONAL_CENTRE)."""
    item = NewsItem(news_id=str(uuid.uuid4()), published_at=as_stored(now), **new.model_dump())
    await uow.collection(NEWS).insert_one(item.model_dump())
    await audit.record(uow, "news.published", "news", item.news_id)
    uow.publish(
        NewsPublished(
            org_id=uow.org_id,
            news_id=item.news_id,
            title=item.title,
            audience=item.audience,
            published_at=item.published_at,
        )
    )
    return item


async def edit_news(uow: UnitOfWork, news_id: str, new: NewNewsItem, now: datetime) -> NewsItem:
    """Correct a published item: title, text and audience; it keeps its day of publication."""
    edited_at = as_stored(now)
    doc = await uow.collection(NEWS).find_one_and_update(
        {"news_id": news_id},
        {"$set": {**new.model_dump(), "edited_at": edited_at}},
        return_document=ReturnDocument.AFTER,
    )
    if doc is None:
        raise NoSuchNews()
    item = _item(doc)
    await audit.record(uow, "news.edited", "news", news_id)
    uow.publish(
        NewsEdited(
            org_id=uow.org_id,
            news_id=news_id,
            title=item.title,
            audience=item.audience,
            edited_at=edited_at,
        )
    )
    return item


async def withdraw_news(uow: UnitOfWork, news_id: str, now: datetime) -> None:
    """Withdraw an item: gone from every organisation's page and from digests not yet sent.
    The audit log keeps that it was published and withdrawn."""
    removed = await uow.collection(NEWS).delete_one({"news_id": news_id})
    if removed.deleted_count != 1:
        raise NoSuchNews()
    await audit.record(uow, "news.withdrawn", "news", news_id)
    uow.publish(NewsWithdrawn(org_id=uow.org_id, news_id=news_id, withdrawn_at=now))


async def all_news(uow: UnitOfWork) -> list[NewsItem]:
    """Every item the centre published, newest first (the operator's list)."""
    docs = await uow.collection(NEWS).find({}, sort=[("published_at", -1)], limit=MAX_SHOWN)
    return [_item(doc) for doc in docs]


async def news_for_organisation(db: Database, org_id: str) -> list[NewsItem]:
    """The items addressed to the organisation (all, and its kind), newest first."""
    async with db.unit_of_work(org_id) as uow:
        kind = settings_of(await registered_organisation(uow)).kind
    docs = await db.tenant_collection(REGIONAL_CENTRE, NEWS).find(
        {"audience": {"$in": audiences_of(kind)}},
        sort=[("published_at", -1)],
        limit=MAX_SHOWN,
    )
    return [_item(doc) for doc in docs]


async def send_news_digests(db: Database, day: date) -> int:
    """Announce NewsDigestDue, once per ISO week, for each organisation whose admin asked for
    the digest and to which last week's news was addressed. Each organisation's week is
    marked in the same transaction as its event, conditionally, so a second run or a second
    instance finds nothing left. Returns how many digests were announced."""
    week = digest_week(day)
    news = [
        Headline(doc["news_id"], doc["title"], doc["audience"], doc["published_at"])
        for doc in await db.tenant_collection(REGIONAL_CENTRE, NEWS).find(
            {"published_at": {"$gte": week.since, "$lt": week.until}}
        )
    ]
    wanted = await (
        db.platform_collection(ORGANISATIONS)
        .find(
            {"settings.news_digest": True, "news_digest_week": {"$ne": week.label}},
            projection={"org_id": 1},
        )
        .to_list()
    )
    sent = 0
    for candidate in wanted:
        async with db.unit_of_work(candidate["org_id"]) as uow:
            sent += await _digest_one(uow, news, week)
    return sent


async def _digest_one(uow: UnitOfWork, news: list[Headline], week: DigestWeek) -> int:
    label = week.label
    organisation = await uow.collection(ORGANISATIONS).find_one({})
    if organisation is None or not settings_of(organisation).news_digest:
        return 0
    written = await uow.collection(ORGANISATIONS).update_one(
        {"news_digest_week": {"$ne": label}}, {"$set": {"news_digest_week": label}}
    )
    if written.modified_count != 1:
        return 0
    headlines = digest_for(settings_of(organisation).kind, news, week)
    if not headlines:
        return 0
    uow.publish(
        NewsDigestDue(
            org_id=uow.org_id,
            week=label,
            headlines=[NewsHeadline(news_id=h.news_id, title=h.title) for h in headlines],
        )
    )
    return 1
