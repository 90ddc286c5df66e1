"""intake's in-memory copy of its read model: organisations, roles, code versions, VCP keys.

Every request used to read these from the database projection that intake's event handlers
write (services/intake/event_handlers.py). Each instance now keeps a copy in memory that
follows the same events itself (shared/messaging/follower.py: loaded from the projection,
then kept current from the topics, outside the consumer group), so an application reads no
role and a report no key from the database. `apply_event` is the copy's side of
`event_handlers.record`: the same event makes the same change in both.

The copy may trail the projection by a moment (each instance reads the topics on its own),
and a request on one instance may come right after a change announced to another. So a
request that does not find what it needs in the copy (an organisation or a role it does not
know, a code version newer than the copy's, a VCP key it does not know) reads the database
projection as before: what was just created never fails for the copy's lag. What the copy
cannot see is a change that takes something away (a VCP dismissed, a code superseded) in
the moment before its event arrives, which the projection itself shows only as soon.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from services.intake.storage import KNOWN_CODES, KNOWN_ORGANISATIONS, KNOWN_ROLES, KNOWN_VCP_KEYS
from shared.domain.vog import RoleRequirements
from shared.events import Event
from shared.events.admission import CodeOfConductPublished, OrganisationRegistered, RoleDefined
from shared.events.reports import VCPAppointed, VCPDismissed, VCPKeySet
from shared.storage.database import Database

# The events the copy follows (a subset of what the handlers take: not the erasures).
FOLLOWED: tuple[type[Event], ...] = (
    OrganisationRegistered,
    RoleDefined,
    CodeOfConductPublished,
    VCPAppointed,
    VCPKeySet,
    VCPDismissed,
)
# The copy's name among the runtime's extensions.
EXTENSION = "known_facts"


@dataclass
class KnownFacts:
    organisations: set[str] = field(default_factory=set)
    # (org, role_id) → what an application and a VOG are checked against.
    roles: dict[tuple[str, str], RoleRequirements] = field(default_factory=dict)
    # org → version → SHA-256 of that version's text.
    codes: dict[str, dict[int, str]] = field(default_factory=dict)
    # org → vcp_id → (fingerprint, suite).
    vcp_keys: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict)
    # Set by the follower once the copy has caught up; before that, requests read the
    # database (the instance is not ready yet, but a request may still reach it).
    ready: bool = False
    # Requests the copy could not answer, which read the database instead (a metric).
    fallbacks: int = 0

    def mark_ready(self, ready: bool) -> None:
        self.ready = ready

    def fell_back(self) -> None:
        self.fallbacks += 1

    def current_code(self, org: str) -> tuple[int, str] | None:
        versions = self.codes.get(org)
        if not versions:
            return None
        # Versions may arrive out of order (one key per version): the highest is current.
        version = max(versions)
        return version, versions[version]

    def keys_of(self, org: str) -> dict[str, str]:
        """fingerprint → suite of every VCP key of the organisation."""
        return dict(self.vcp_keys.get(org, {}).values())


def apply_event(facts: KnownFacts, event: Event) -> None:
    """What one event changes in the copy; applying it again changes nothing more."""
    org = event.org_id
    if isinstance(event, OrganisationRegistered):
        facts.organisations.add(org)
    elif isinstance(event, RoleDefined):
        facts.roles[(org, event.role_id)] = RoleRequirements.from_document(event.model_dump())
    elif isinstance(event, CodeOfConductPublished):
        facts.codes.setdefault(org, {})[event.version] = event.sha256
    elif isinstance(event, VCPDismissed):
        facts.vcp_keys.get(org, {}).pop(event.vcp_id, None)
    elif isinstance(event, VCPKeySet) or (isinstance(event, VCPAppointed) and event.has_key):
        suite = event.public_key.get("suite", "")
        facts.vcp_keys.setdefault(org, {})[event.vcp_id] = (event.fingerprint, suite)


async def load_facts(facts: KnownFacts, db: Database) -> None:
    """Fill the copy from the database projection: every organisation's (as a sweep reads
    across organisations, shared/runtime/sweeps.py)."""
    organisations: set[str] = set()
    roles: dict[tuple[str, str], RoleRequirements] = {}
    codes: dict[str, dict[int, str]] = {}
    vcp_keys: dict[str, dict[str, tuple[str, str]]] = {}
    async for doc in db.platform_collection(KNOWN_ORGANISATIONS).find({}):
        organisations.add(doc["org_id"])
    async for doc in db.platform_collection(KNOWN_ROLES).find({}):
        roles[(doc["org_id"], doc["role_id"])] = RoleRequirements.from_document(doc)
    async for doc in db.platform_collection(KNOWN_CODES).find({}):
        codes.setdefault(doc["org_id"], {})[int(doc["version"])] = doc["sha256"]
    async for doc in db.platform_collection(KNOWN_VCP_KEYS).find({}):
        key = (doc["fingerprint"], doc["suite"])
        vcp_keys.setdefault(doc["org_id"], {})[doc["vcp_id"]] = key
    facts.organisations, facts.roles, facts.codes, facts.vcp_keys = (
        organisations,
        roles,
        codes,
        vcp_keys,
    )


def known_facts_of(runtime: Any) -> KnownFacts | None:
    """The instance's copy once it has caught up, else None (then requests read the
    database)."""
    facts = runtime.extensions.get(EXTENSION)
    return facts if isinstance(facts, KnownFacts) and facts.ready else None
