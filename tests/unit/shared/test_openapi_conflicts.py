"""The OpenAPI documents list the 409 a writing route answers after losing write conflicts,
and the 503 of a database that did not answer in time, as the error handlers do."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from pydantic import BaseModel

from shared.http.openapi import document_errors


class Body(BaseModel):
    name: str


def test_writing_routes_document_409_and_api_routes_503() -> None:
    router = APIRouter(prefix="/v1/orgs/{org}")

    @router.post("/things")
    async def create(org: str, body: Body) -> dict[str, str]:
        return {"org": org, "name": body.name}

    @router.get("/things")
    async def read(org: str) -> list[str]:
        return [org]

    app = FastAPI()
    app.include_router(router)

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    document_errors(app)
    paths = app.openapi()["paths"]
    assert {"409", "413", "503"} <= set(paths["/v1/orgs/{org}/things"]["post"]["responses"])
    assert "503" in paths["/v1/orgs/{org}/things"]["get"]["responses"]
    assert "409" not in paths["/v1/orgs/{org}/things"]["get"]["responses"]
    assert not {"409", "503"} & set(paths["/healthz"]["get"]["responses"])
