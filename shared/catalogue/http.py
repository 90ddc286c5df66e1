"""`GET /asyncapi` and `GET /asyncapi/schemas/{type}`, mounted on every service."""

from __future__ import annotations

from functools import cache
from typing import Any

from fastapi import APIRouter, HTTPException, status
from pydantic import BaseModel, ConfigDict

from shared.catalogue.asyncapi import asyncapi_document
from shared.catalogue.json_schemas import event_schema
from shared.events import REGISTRY, UnknownEventType
from shared.http.openapi import errors

router = APIRouter(tags=["event catalogue"])


class AsyncApiInfo(BaseModel):
    title: str
    version: str
    description: str


class AsyncApiDocument(BaseModel):
    """The AsyncAPI 3.0 document (shared/catalogue/asyncapi.py), typed to its top level so a
    generated client reads it as an object; below that it is AsyncAPI's own structure."""

    model_config = ConfigDict(extra="allow")

    asyncapi: str
    id: str
    info: AsyncApiInfo
    defaultContentType: str
    servers: dict[str, Any]
    channels: dict[str, Any]
    operations: dict[str, Any]
    components: dict[str, Any]


@cache
def _document() -> AsyncApiDocument:
    return AsyncApiDocument.model_validate(asyncapi_document(REGISTRY))


@router.get(
    "/asyncapi",
    summary="AsyncAPI 3.0 document of every SafeHands topic.",
    operation_id="readAsyncApi",
)
async def asyncapi() -> AsyncApiDocument:
    return _document()


@router.get(
    "/asyncapi/schemas/{event_type}",
    summary="JSON Schema (Draft 2020-12) of one event type's payload.",
    operation_id="readEventSchema",
    responses=errors(404),
)
async def schema(event_type: str) -> dict[str, Any]:
    try:
        return event_schema(REGISTRY.model(event_type.removesuffix(".json")))
    except UnknownEventType:
        raise HTTPException(
            status.HTTP_404_NOT_FOUND,
            f"There is no event type {event_type!r}; GET /asyncapi lists them all.",
        ) from None
