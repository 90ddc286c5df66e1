"""Recording the membership that `safehands token` mints a token for, on the local platform.

Every service refuses a token whose holder is not a current member with its roles
(shared/auth/membership.py), so a minted token is only of use once its membership is known.
It is written straight into each service's current members (and, for an admin or
coordinator, into identity's members, so that removing them through identity's API works as
for anyone invited), not announced on the bus: the token works at once, with no wait for
consumers, and minting it twice changes nothing. A sub later removed through the API is
refused like any other former member.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from pymongo import MongoClient
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError, PyMongoError

from cli.services import SERVICE_NAMES
from services.identity.domain.memberships import STAFF_ROLES, merged_roles
from services.identity.event_handlers import vcp_member_id, volunteer_member_id
from services.identity.storage import MEMBERSHIPS
from shared.auth.membership import CURRENT_MEMBERS, minted_update
from shared.auth.tokens import Role
from shared.settings import Settings
from shared.storage.database import service_database_name
from shared.storage.tenancy import Document

# A minted admin or coordinator has no address: one that can never receive mail
# (RFC 2606 reserves .invalid), so that nothing is ever sent in their name.
MINTED_ADDRESS_DOMAIN = "token.invalid"


# Where `safehands up` notes its database, in its data directory: `safehands token` records
# memberships there also when `up` runs on other ports than the defaults.
LOCAL_PLATFORM_FILE = "local-platform.json"


def remember_local_platform(data_dir: Path, mongo_uri: str, database_prefix: str) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / LOCAL_PLATFORM_FILE).write_text(
        json.dumps({"mongo_uri": mongo_uri, "mongo_database": database_prefix})
    )


def local_database(settings: Settings) -> tuple[str, str]:
    """The database URI and prefix of the local platform: SAFEHANDS_MONGO_URI and
    SAFEHANDS_MONGO_DATABASE when set, else what `safehands up` noted, else the defaults."""
    noted = settings.data_dir / LOCAL_PLATFORM_FILE
    if "mongo_uri" not in settings.model_fields_set and noted.exists():
        try:
            found = json.loads(noted.read_text())
            uri, prefix = str(found["mongo_uri"]), str(found["mongo_database"])
        except (ValueError, KeyError, TypeError):
            pass
        else:
            if "mongo_database" in settings.model_fields_set:
                prefix = settings.mongo_database
            return uri, prefix
    return settings.mongo_uri, settings.mongo_database


class MembershipNotRecorded(Exception):
    """The local database could not be reached: the token would be refused everywhere."""


def member_id_for(role: Role, sub: str) -> str:
    """identity's member_id for a `sub` with `role`: staff are their own sub, VCPs and
    volunteers are named after their vcp_id and volunteer_id."""
    if role == "vcp":
        return vcp_member_id(sub)
    if role == "volunteer":
        return volunteer_member_id(sub)
    return sub


def record_membership(
    client: MongoClient[Document],
    database_prefix: str,
    *,
    org: str,
    sub: str,
    role: Role,
    now: datetime | None = None,
    services: tuple[str, ...] = SERVICE_NAMES,
) -> None:
    """Make `sub` a member with `role` in `org` on the platform whose databases start with
    `database_prefix`, idempotently. Not for the operator, who is no organisation's member.
    `services`: whose check knows them (every service by default; a bench that runs only
    some records the membership where it is checked)."""
    at = now or datetime.now(UTC)
    member_id = member_id_for(role, sub)
    roles: list[Role] = [role]
    if role in STAFF_ROLES:
        identity = client[service_database_name(database_prefix, "identity")]
        roles = _record_staff(identity, org, sub, role, at)
    for service in services:
        members = client[service_database_name(database_prefix, service)][CURRENT_MEMBERS]
        try:
            members.update_one(
                {"org_id": org, "member_id": member_id}, minted_update(sub, roles, at), upsert=True
            )
        except DuplicateKeyError:
            # Another minting of the same membership inserted it first: write over it.
            members.update_one(
                {"org_id": org, "member_id": member_id}, minted_update(sub, roles, at)
            )


def _record_staff(
    identity: Database[Document], org: str, sub: str, role: Role, at: datetime
) -> list[Role]:
    """identity's member row of a minted admin or coordinator; the roles they hold now."""
    members = identity[MEMBERSHIPS]
    key = {"org_id": org, "member_id": sub}
    row = members.find_one(key) or {}
    roles = list(merged_roles(row.get("roles", []), [role]))
    try:
        members.update_one(
            key,
            {
                "$set": {"roles": roles},
                "$setOnInsert": {
                    "sub": sub,
                    "kind": "staff",
                    "email": f"{sub}@{MINTED_ADDRESS_DOMAIN}",
                    "name": sub,
                    "since": at,
                },
            },
            upsert=True,
        )
    except DuplicateKeyError:
        members.update_one(key, {"$set": {"roles": roles}})
    return roles


def record_membership_at(
    mongo_uri: str, database_prefix: str, *, org: str, sub: str, role: Role
) -> None:
    """`record_membership` with a client of its own; MembershipNotRecorded when the database
    does not answer."""
    client: MongoClient[Document] = MongoClient(
        mongo_uri, tz_aware=True, serverSelectionTimeoutMS=3000, timeoutMS=10_000
    )
    try:
        record_membership(client, database_prefix, org=org, sub=sub, role=role)
    except PyMongoError as exc:
        raise MembershipNotRecorded(str(exc)) from None
    finally:
        client.close()
