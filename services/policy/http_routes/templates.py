"""The regional centre's starter documents, as models and filled in for one organisation."""

from __future__ import annotations

from enum import StrEnum

from fastapi import APIRouter, Depends, HTTPException, status
from fastapi.responses import Response

from services.policy.domain.starter_documents import StarterDocument, TemplateSummary
from services.policy.http_routes.organisations import registered_organisation
from services.policy.starter_library import starter_document, starter_documents
from services.policy.storage import ORGANISATIONS
from shared.auth.dependencies import require_org_role, require_role
from shared.auth.tokens import Principal
from shared.http.openapi import errors
from shared.runtime.runtime import Runtime, runtime_of

router = APIRouter(tags=["starter documents"])


class DownloadFormat(StrEnum):
    JSON = "json"
    MARKDOWN = "md"


def known_document(template_id: str) -> StarterDocument:
    document = starter_document(template_id)
    if document is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"There is no template {template_id}.")
    return document


@router.get("/v1/templates", summary="The starter documents, in Dutch and English (admin).")
async def list_templates(
    _reader: Principal = Depends(require_role("admin", "operator")),
) -> list[TemplateSummary]:
    return [document.summary() for document in starter_documents().values()]


@router.get(
    "/v1/templates/{template_id}",
    summary="One starter document with its Markdown text, placeholders as they are (admin).",
    responses=errors(404),
)
async def read_template(
    template_id: str, _reader: Principal = Depends(require_role("admin", "operator"))
) -> StarterDocument:
    return known_document(template_id)


@router.get(
    "/v1/orgs/{org}/templates/{template_id}",
    summary="A starter document with the organisation's name filled in (admin);"
    " `?format=md` downloads it as a Markdown file.",
    response_model=StarterDocument,
    responses={200: {"content": {"text/markdown": {}}}},
)
async def read_filled_in_template(
    org: str,
    template_id: str,
    format: DownloadFormat = DownloadFormat.JSON,
    _admin: Principal = Depends(require_org_role("admin")),
    runtime: Runtime = Depends(runtime_of),
) -> StarterDocument | Response:
    organisation = await registered_organisation(runtime.db.tenant_collection(org, ORGANISATIONS))
    document = known_document(template_id).filled_in(organisation["name"])
    if format is DownloadFormat.JSON:
        return document
    return Response(
        document.text,
        media_type="text/markdown; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{org}-{document.template_id}.md"'},
    )
