"""The starter documents shipped inside the policy package (`services/policy/templates`).

They are read once, when policy starts: a malformed document is a bug in the repository and
stops the service at once rather than answering 500 later.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from services.policy.domain.starter_documents import (
    DocumentKind,
    StarterDocument,
    parse_starter_document,
)

TEMPLATES_PACKAGE = "services.policy"
TEMPLATES_FOLDER = "templates"


@cache
def starter_documents() -> dict[str, StarterDocument]:
    """Every starter document by template id, in kind order, Dutch before English."""
    folder = files(TEMPLATES_PACKAGE).joinpath(TEMPLATES_FOLDER)
    documents = [
        parse_starter_document(entry.read_text(encoding="utf-8"))
        for entry in folder.iterdir()
        if entry.name.endswith(".md")
    ]
    kinds = list(DocumentKind)
    documents.sort(key=lambda d: (kinds.index(d.kind), d.language != "nl"))
    return {document.template_id: document for document in documents}


def starter_document(template_id: str) -> StarterDocument | None:
    return starter_documents().get(template_id)
