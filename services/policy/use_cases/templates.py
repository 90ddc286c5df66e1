"""The regional centre's starter documents, as models and filled in for one organisation."""

from __future__ import annotations

from services.policy.domain.errors import NoSuchTemplate
from services.policy.domain.starter_documents import StarterDocument
from services.policy.starter_library import starter_document
from services.policy.use_cases.organisations import registered_organisation
from shared.storage.unit_of_work import UnitOfWork


def known_document(template_id: str) -> StarterDocument:
    """The starter document of that id; NoSuchTemplate when there is none."""
    document = starter_document(template_id)
    if document is None:
        raise NoSuchTemplate(template_id)
    return document


async def filled_in_document(uow: UnitOfWork, template_id: str) -> StarterDocument:
    """The starter document with the organisation's name filled in."""
    organisation = await registered_organisation(uow)
    return known_document(template_id).filled_in(organisation["name"])
