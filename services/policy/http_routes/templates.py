"""The regional centre's starter documents, as models and filled in for one organisation
(services/policy/use_cases/templates.py)."""

from __future__ import annotations

from enum import StrEnum

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from services.policy.domain.starter_documents import StarterDocument, TemplateSummary
from services.policy.file_formats import markdown_docx, markdown_pdf
from services.policy.starter_library import starter_documents
from services.policy.use_cases.templates import filled_in_document, known_document
from shared.auth.dependencies import require_org_role, require_role
from shared.auth.tokens import Principal
from shared.http.openapi import errors
from shared.runtime.runtime import Runtime, runtime_of

router = APIRouter(tags=["starter documents"])


class DownloadFormat(StrEnum):
    JSON = "json"
    MARKDOWN = "md"
    WORD = "docx"
    PDF = "pdf"


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


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
    " `?format=md`, `docx` or `pdf` downloads it as a Markdown, Word or PDF file.",
    response_model=StarterDocument,
    responses={
        200: {"content": {"text/markdown": {}, DOCX: {}, "application/pdf": {}}},
    },
)
async def read_filled_in_template(
    org: str,
    template_id: str,
    format: DownloadFormat = DownloadFormat.JSON,
    _admin: Principal = Depends(require_org_role("admin")),
    runtime: Runtime = Depends(runtime_of),
) -> StarterDocument | Response:
    document = await runtime.transact(org, lambda uow: filled_in_document(uow, template_id))
    if format is DownloadFormat.JSON:
        return document
    # A download is a file of its own: how it is served is this route's concern.
    if format is DownloadFormat.WORD:
        body, media_type = markdown_docx(document.text), DOCX
    elif format is DownloadFormat.PDF:
        body, media_type = markdown_pdf(document.text, document.title), "application/pdf"
    else:
        body, media_type = document.text.encode("utf-8"), "text/markdown; charset=utf-8"
    name = f"{org}-{document.template_id}.{format.value}"
    return Response(
        body,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
