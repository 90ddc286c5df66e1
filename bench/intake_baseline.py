"""The ceiling for intake's application route: a bare Starlette app, no SafeHands code.

`python bench/intake_baseline.py --port P --mongo-uri URI --database NAME`

Per request it does what intake's POST /v1/orgs/{org}/applications must do at the least:
validate the same body (role id, a name, an e-mail address, an optional motivation), insert
the application and one outbox row in one transaction, and answer 202 with the ids. No
authentication, rate limiting, proof of work, reads of roles or codes, logging, metrics or
relay: whatever intake spends beyond this is the price of those.
"""

from __future__ import annotations

import argparse
import json
import uuid
from datetime import UTC, datetime

import uvicorn
from bson import ObjectId
from pydantic import BaseModel, EmailStr, Field, ValidationError
from pymongo import AsyncMongoClient
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route


class Application(BaseModel):
    role_id: str = Field(min_length=1, max_length=100)
    name: str = Field(min_length=1, max_length=200)
    email: EmailStr
    motivation: str | None = Field(default=None, max_length=5000)


def build(mongo_uri: str, database: str) -> Starlette:
    client: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(mongo_uri, tz_aware=True)
    db = client[database]

    async def apply(request: Request) -> JSONResponse:
        org = request.path_params["org"]
        try:
            body = Application.model_validate_json(await request.body())
        except ValidationError:
            return JSONResponse({"detail": "invalid"}, status_code=422)
        now = datetime.now(UTC)
        application_id, volunteer_id = uuid.uuid4().hex, uuid.uuid4().hex
        event = {
            "type": "nl.safehands.volunteer.applied.v1",
            "org_id": org,
            "volunteer_id": volunteer_id,
            "role_id": body.role_id,
            "name": body.name,
            "email": str(body.email),
            "applied_at": now.isoformat(),
        }
        async with client.start_session() as session, await session.start_transaction():
            await db.applications.insert_one(
                {
                    "org_id": org,
                    "application_id": application_id,
                    "volunteer_id": volunteer_id,
                    **body.model_dump(),
                    "applied_at": now,
                },
                session=session,
            )
            await db.outbox.insert_one(
                {
                    "_id": ObjectId(),
                    "event_id": uuid.uuid4().hex,
                    "org_id": org,
                    "topic": "nl.safehands.admission",
                    "key": volunteer_id.encode(),
                    "value": json.dumps(event).encode(),
                    "headers": [],
                    "created_at": now,
                },
                session=session,
            )
        return JSONResponse(
            {"application_id": application_id, "volunteer_id": volunteer_id}, status_code=202
        )

    async def ready(_request: Request) -> JSONResponse:
        return JSONResponse({"status": "ready"})

    return Starlette(
        routes=[
            Route("/v1/orgs/{org}/applications", apply, methods=["POST"]),
            Route("/readyz", ready),
        ]
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--mongo-uri", required=True)
    parser.add_argument("--database", required=True)
    arguments = parser.parse_args()
    uvicorn.run(
        build(arguments.mongo_uri, arguments.database),
        host="127.0.0.1",
        port=arguments.port,
        log_level="warning",
        access_log=False,
    )
