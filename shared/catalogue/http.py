"""`GET /asyncapi` and `GET /asyncapi/schemas/{type}`, mounted on every service."""

from __future__ import annotations

from functools import cache
from typing import Any

from fastapi import APIRouter, HTTPException, status

from shared.catalogue.asyncapi import asyncapi_document
from shared.catalogue.json_schemas import event_schema
from shared.events import REGISTRY, UnknownEventType
from shared.http.openapi import errors

router = APIRouter(tags=["event catalogue"])


@cache
def _document() -> dict[str, Any]:
    return asyncapi_document(REGISTRY)


@router.get("/asyncapi", summary="AsyncAPI 3.0 document of every SafeHands topic.")
async def asyncapi() -> dict[str, Any]:
    return _document()


@router.get(
    "/asyncapi/schemas/{event_type}",
    summary="JSON Schema (Draft 2020-12) of one event type's payload.",
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
