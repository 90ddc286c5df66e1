"""The regional centre's news: the operator publishes, an organisation's staff reads what is
addressed to it (services/policy/use_cases/news.py decides). Never on a public route."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Depends, status

from services.policy.use_cases import news
from services.policy.use_cases.news import NewNewsItem, NewsItem
from shared.auth.dependencies import require_operator, require_org_role
from shared.auth.tokens import Principal
from shared.http.openapi import errors
from shared.runtime.runtime import Runtime, runtime_of
from shared.tenants import REGIONAL_CENTRE

router = APIRouter(tags=["news from the centre"])


@router.post(
    "/v1/news",
    status_code=status.HTTP_201_CREATED,
    summary="Publish a news item, to every organisation or to one kind (operator; audited).",
)
async def publish_news(
    body: NewNewsItem,
    _operator: Principal = Depends(require_operator()),
    runtime: Runtime = Depends(runtime_of),
) -> NewsItem:
    now = datetime.now(UTC)
    return await runtime.transact(REGIONAL_CENTRE, lambda uow: news.publish_news(uow, body, now))


@router.put(
    "/v1/news/{news_id}",
    summary="Correct a published news item: title, text, audience (operator; audited).",
    responses=errors(404),
)
async def edit_news(
    news_id: str,
    body: NewNewsItem,
    _operator: Principal = Depends(require_operator()),
    runtime: Runtime = Depends(runtime_of),
) -> NewsItem:
    now = datetime.now(UTC)
    return await runtime.transact(
        REGIONAL_CENTRE, lambda uow: news.edit_news(uow, news_id, body, now)
    )


@router.delete(
    "/v1/news/{news_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Withdraw a news item: no organisation sees it any more (operator; audited).",
    responses=errors(404),
)
async def withdraw_news(
    news_id: str,
    _operator: Principal = Depends(require_operator()),
    runtime: Runtime = Depends(runtime_of),
) -> None:
    now = datetime.now(UTC)
    await runtime.transact(REGIONAL_CENTRE, lambda uow: news.withdraw_news(uow, news_id, now))


@router.get("/v1/news", summary="The centre's news items, newest first, at most 50 (operator).")
async def list_news(
    _operator: Principal = Depends(require_operator()),
    runtime: Runtime = Depends(runtime_of),
) -> list[NewsItem]:
    return await runtime.read(REGIONAL_CENTRE, news.all_news)


@router.get(
    "/v1/orgs/{org}/news",
    summary="The centre's news addressed to the organisation (to all, or to its kind), newest"
    " first, at most 50 (admin, coordinator).",
    responses=errors(404),
)
async def organisation_news(
    org: str,
    _reader: Principal = Depends(require_org_role("admin", "coordinator")),
    runtime: Runtime = Depends(runtime_of),
) -> list[NewsItem]:
    return await news.news_for_organisation(runtime.db, org)
