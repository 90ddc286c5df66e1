"""Load, re-evaluate, store and announce admission files inside one unit of work.

Handlers and jobs use this so that all of them reach decisions the same way: the pure
`reevaluate` decides, this module only gathers its inputs and turns its verdict into events.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from services.policy.domain.admission import AdmissionEvent
from services.policy.domain.admission_file import (
    AdmissionFile,
    CodeVersions,
    Reevaluation,
    reevaluate,
    vog_screening_aspects,
)
from services.policy.storage import ADMISSIONS, CODES, ROLES, file_document, file_from
from services.policy.volunteer_list import store_entry
from shared.domain.vog import RoleRequirements
from shared.events.admission import (
    AdmissionBlocked,
    ResignRequired,
    VOGRequested,
    VolunteerAdmitted,
    VolunteerRejected,
)
from shared.events.base import Event
from shared.logs import get_logger
from shared.storage.tenancy import TenantCollection
from shared.storage.unit_of_work import UnitOfWork

log = get_logger(__name__)


class PolicyFacts:
    """The organisation-wide facts a decision needs, read once per transaction.

    A batch of events is one transaction, and policy's handlers never change roles or codes
    (its routes do, in their own transactions), so the batch's handlers share what was read.
    """

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow
        self._memo = uow.memo

    async def role(self, role_id: str) -> RoleRequirements:
        key = f"role:{role_id}"
        if key not in self._memo:
            doc = await self._uow.collection(ROLES).find_one({"role_id": role_id})
            if doc is None:
                # Intake accepts applications only for roles it learnt from policy, and policy
                # stores a role before announcing it: a missing role is a broken invariant.
                raise LookupError(f"role {role_id!r} is not defined")
            self._memo[key] = RoleRequirements.from_document(doc)
        role: RoleRequirements = self._memo[key]
        return role

    async def current_code_version(self) -> int | None:
        return (await self.code_versions()).current

    async def code_versions(self) -> CodeVersions:
        if "code_versions" not in self._memo:
            self._memo["code_versions"] = await code_versions_in(self._uow.collection(CODES))
        versions: CodeVersions = self._memo["code_versions"]
        return versions


async def current_code_version(uow: UnitOfWork) -> int | None:
    return await current_code_version_in(uow.collection(CODES))


async def current_code_version_in(codes: TenantCollection) -> int | None:
    latest = await codes.find_highest("version", projection={"version": 1})
    return int(latest["version"]) if latest else None


async def code_versions_in(codes: TenantCollection) -> CodeVersions:
    """Every published version's number and grace deadline: an organisation publishes a
    handful of versions in its life, so one small query."""
    docs = await codes.find(projection={"version": 1, "resign_before": 1})
    return CodeVersions(
        current=max((int(doc["version"]) for doc in docs), default=None),
        resign_before={
            int(doc["version"]): doc["resign_before"] for doc in docs if doc.get("resign_before")
        },
    )


def decide(
    file: AdmissionFile, role: RoleRequirements, codes: CodeVersions, today: date
) -> Reevaluation:
    """The one way a file is decided, by a route, a sweep or a batch of events: the pure
    rules with the organisation's current code and the signature's grace period."""
    return reevaluate(
        file,
        role,
        codes.current,
        today,
        signature_counts_before=codes.signature_counts_before(file.signed_code_version),
    )


async def decide_and_store(
    uow: UnitOfWork,
    facts: PolicyFacts,
    file: AdmissionFile,
    today: date,
    *,
    stored: AdmissionFile | None,
    expected: Mapping[str, Any] | None = None,
) -> Reevaluation | None:
    """Re-evaluate `file`, store it if it differs from `stored`, and queue what changed.

    `stored` is the file as read (None for a new one). `expected` narrows the write to the
    stored state a sweep selected, so that a file another instance already handled is left
    alone: None is returned then and nothing is announced.
    """
    role = await facts.role(file.role_id)
    codes = await facts.code_versions()
    result = decide(file, role, codes, today)
    if result.file == stored and expected is None:
        return result
    written = await uow.collection(ADMISSIONS).replace_one(
        {"volunteer_id": file.volunteer_id, **(expected or {})},
        file_document(result.file),
        upsert=stored is None,
    )
    if written.matched_count == 0 and written.upserted_id is None:
        return None
    await store_entry(uow, result.file)
    for event in announcements(uow.org_id, result, role, codes.current):
        uow.publish(event)
    return result


def announcements(
    org_id: str, result: Reevaluation, role: RoleRequirements, code_version: int | None
) -> list[Event]:
    file = result.file
    volunteer = file.volunteer_id
    missing = list(file.decision.missing) if file.decision else []
    events: list[Event] = []
    for kind in result.events:
        if kind == AdmissionEvent.REJECTED:
            events.append(VolunteerRejected(org_id=org_id, volunteer_id=volunteer))
        elif kind == AdmissionEvent.ADMITTED:
            events.append(
                VolunteerAdmitted(org_id=org_id, volunteer_id=volunteer, role_id=file.role_id)
            )
        elif kind == AdmissionEvent.BLOCKED:
            events.append(AdmissionBlocked(org_id=org_id, volunteer_id=volunteer, missing=missing))
        elif kind == AdmissionEvent.RESIGN_REQUIRED and code_version is not None:
            events.append(
                ResignRequired(
                    org_id=org_id,
                    volunteer_id=volunteer,
                    version=code_version,
                    resign_before=file.decision.resign_before if file.decision else None,
                )
            )
        elif kind == AdmissionEvent.VOG_REQUESTED:
            events.append(
                VOGRequested(
                    org_id=org_id,
                    volunteer_id=volunteer,
                    role_id=file.role_id,
                    screening_aspects=vog_screening_aspects(role),
                )
            )
    return events


async def reevaluate_matching(
    uow: UnitOfWork, query: Mapping[str, Any], today: date
) -> list[Reevaluation]:
    """Re-evaluate every file of the organisation that matches `query` (a changed role, a new
    code version). Files whose decision stays the same are rewritten only if their schedule
    changed, and announce nothing."""
    facts = PolicyFacts(uow)
    results = []
    for doc in await uow.collection(ADMISSIONS).find(dict(query)):
        file = file_from(doc)
        result = await decide_and_store(uow, facts, file, today, stored=file)
        if result is not None:
            results.append(result)
    log.info("admission files re-evaluated", count=len(results))
    return results
