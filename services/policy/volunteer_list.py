"""The coordinator's list of volunteers as the database filters, sorts and pages it.

Each volunteer's entry in VOLUNTEER_NAMES holds their name (kept apart from the admission
file, which holds no personal data) and a copy of the file's fields the list filters on:
stage, status, role, signed code version and VOG renewal date. `decide_and_store` writes that
copy in the same transaction as the file, so the two never disagree; the list route then asks
the database for one page of entries (with the indexes in storage.py) instead of loading every
volunteer of the organisation.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta

from services.policy.domain.admission import AdmissionStatus
from services.policy.domain.admission_file import AdmissionFile
from services.policy.domain.pipeline import Stage, folded_name, pipeline_stage, search_words
from services.policy.storage import VOLUNTEER_NAMES
from shared.storage.tenancy import Document
from shared.storage.unit_of_work import UnitOfWork

BY_NAME: Sequence[tuple[str, int]] = (("name_key", 1), ("volunteer_id", 1))
BY_RENEWAL: Sequence[tuple[str, int]] = (("vog_renewal_due", 1), *BY_NAME)
NOT_REJECTED = {"$ne": AdmissionStatus.REJECTED.value}


def entry_fields(file: AdmissionFile) -> Document:
    """What the list filters on, copied from the admission file as it is stored."""
    return {
        "role_id": file.role_id,
        "stage": pipeline_stage(file).value,
        "status": file.status.value,
        "signed_code_version": file.signed_code_version,
        "vog_renewal_due": file.vog_renewal_due.isoformat() if file.vog_renewal_due else None,
    }


def name_fields(name: str) -> Document:
    return {"name": name, "name_key": folded_name(name)}


async def store_entry(uow: UnitOfWork, file: AdmissionFile) -> None:
    await uow.collection(VOLUNTEER_NAMES).update_one(
        {"volunteer_id": file.volunteer_id}, {"$set": entry_fields(file)}, upsert=True
    )


def list_filter(
    *,
    state: Stage | None,
    role_id: str | None,
    q: str | None,
    must_resign: bool,
    vog_due_within_days: int | None,
    current_code_version: int | None,
    today: date,
) -> Document | None:
    """The database filter for the list's query parameters; None when nothing can match
    (those who must sign again, while no code is published)."""
    conditions: list[Document] = []
    if state is not None:
        conditions.append({"stage": state.value})
    if role_id:
        conditions.append({"role_id": role_id})
    for word in search_words(q):
        conditions.append({"name_key": {"$regex": re.escape(word)}})
    if must_resign:
        if current_code_version is None:
            return None
        conditions.append(
            {
                "signed_code_version": {"$ne": None, "$lt": current_code_version},
                "status": NOT_REJECTED,
            }
        )
    if vog_due_within_days is not None:
        last_day = today + timedelta(days=vog_due_within_days)
        conditions.append(
            {
                "vog_renewal_due": {"$ne": None, "$lte": last_day.isoformat()},
                "status": NOT_REJECTED,
            }
        )
    if not conditions:
        return {}
    return conditions[0] if len(conditions) == 1 else {"$and": conditions}


async def page_of_entries(
    uow: UnitOfWork,
    query: Document,
    *,
    order: Sequence[tuple[str, int]],
    page: int,
    page_size: int,
) -> tuple[list[Document], int]:
    """One page of entries in `order`, and how many match in all."""
    entries = uow.collection(VOLUNTEER_NAMES)
    total = await entries.count(query)
    found = await entries.find(query, sort=order, skip=(page - 1) * page_size, limit=page_size)
    return found, total
