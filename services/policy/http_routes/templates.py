"""The regional centre's starter documents, as models and filled in for one organisation
(services/policy/use_cases/templates.py)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from fastapi import APIRouter, Depends, Query
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


# Each download is an operation of its own that declares the one type it answers: a
# generated client reads an answer by its declared type, and one operation answering JSON or
# Markdown by a query parameter makes it parse Markdown as JSON.
BINARY = {"schema": {"type": "string", "format": "binary"}}
DOWNLOADS: dict[DownloadFormat, tuple[str, dict[str, Any]]] = {
    DownloadFormat.MARKDOWN: ("text/markdown", {"schema": {"type": "string"}}),
    DownloadFormat.WORD: (DOCX, BINARY),
    DownloadFormat.PDF: ("application/pdf", BINARY),
}


async def _download(
    runtime: Runtime, org: str, template_id: str, format: DownloadFormat
) -> Response:
    """A filled-in document as a file of its own: how it is served is this route's concern."""
    document = await runtime.read(org, lambda uow: filled_in_document(uow, template_id))
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


def _download_route(format: DownloadFormat, what: str, operation: str) -> None:
    media_type, content = DOWNLOADS[format]

    # Before the JSON route, whose {template_id} would take "code.md" as an id.
    @router.get(
        f"/v1/orgs/{{org}}/templates/{{template_id}}.{format.value}",
        summary=f"A starter document with the organisation's name filled in, as a {what} file"
        " (admin).",
        operation_id=operation,
        response_class=Response,
        responses={200: {"description": f"The {what} file.", "content": {media_type: content}}},
    )
    async def download(
        org: str,
        template_id: str,
        _admin: Principal = Depends(require_org_role("admin")),
        runtime: Runtime = Depends(runtime_of),
    ) -> Response:
        return await _download(runtime, org, template_id, format)


_download_route(DownloadFormat.MARKDOWN, "Markdown", "downloadFilledInTemplateMarkdown")
_download_route(DownloadFormat.WORD, "Word", "downloadFilledInTemplateWord")
_download_route(DownloadFormat.PDF, "PDF", "downloadFilledInTemplatePdf")


@router.get(
    "/v1/orgs/{org}/templates/{template_id}",
    summary="A starter document with the organisation's name filled in (admin); as a file:"
    " `….md`, `….docx` or `….pdf`.",
    response_model=StarterDocument,
)
async def read_filled_in_template(
    org: str,
    template_id: str,
    # Kept for the clients written before the downloads had routes of their own, and left
    # out of the document: there this operation answers JSON only.
    format: DownloadFormat = Query(DownloadFormat.JSON, include_in_schema=False),
    _admin: Principal = Depends(require_org_role("admin")),
    runtime: Runtime = Depends(runtime_of),
) -> StarterDocument | Response:
    if format is not DownloadFormat.JSON:
        return await _download(runtime, org, template_id, format)
    return await runtime.read(org, lambda uow: filled_in_document(uow, template_id))
