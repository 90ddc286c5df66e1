"""`safehands operator add EMAIL`: make someone an operator on the local platform, with no
restart (issue 20, item 6).

Like `safehands token`, it writes straight into the local platform's database
(cli/memberships.py finds it): identity's list of operators (read on every sign-in, so the
person can ask for a sign-in link at once), and in every service the operator's current
membership, which undoes an earlier removal there too (shared/auth/membership.py). Once an
operator exists, others are added and removed on /operator (identity's /v1/operators), where
each change is announced on the bus and written to the platform's audit log.
"""

from __future__ import annotations

import contextlib
import uuid
from datetime import UTC, datetime
from typing import Annotated

import typer
from pymongo import MongoClient
from pymongo.errors import DuplicateKeyError, PyMongoError

from cli.memberships import local_database
from cli.services import SERVICE_NAMES
from services.identity.domain.sign_in import normalise_address
from services.identity.storage import OPERATORS, PEOPLE
from shared.auth.membership import CURRENT_MEMBERS, minted_update, operator_member_id
from shared.events.identity import PLATFORM_ORG
from shared.settings import SettingsError, load_settings
from shared.storage.database import service_database_name
from shared.storage.tenancy import Document

operator_app = typer.Typer(help="The platform's operators.", no_args_is_help=True)


def add_operator(
    client: MongoClient[Document], database_prefix: str, address: str, now: datetime
) -> str:
    """Make `address` an operator on the platform whose databases start with
    `database_prefix`; its operator id (the `sub` of its tokens). Adding twice changes nothing."""
    identity = client[service_database_name(database_prefix, "identity")]
    # A concurrent first sign-in may make the person first: then theirs is used.
    with contextlib.suppress(DuplicateKeyError):
        identity[PEOPLE].update_one(
            {"email": address},
            {"$setOnInsert": {"person_id": f"person-{uuid.uuid4().hex}"}},
            upsert=True,
        )
    person = identity[PEOPLE].find_one({"email": address})
    assert person is not None
    operator_id = str(person["person_id"])
    identity[OPERATORS].update_one(
        {"org_id": PLATFORM_ORG, "email": address},
        {"$set": {"operator_id": operator_id, "removed": False, "changed_at": now}},
        upsert=True,
    )
    for service in SERVICE_NAMES:
        members = client[service_database_name(database_prefix, service)][CURRENT_MEMBERS]
        members.update_one(
            {"org_id": PLATFORM_ORG, "member_id": operator_member_id(operator_id)},
            minted_update(operator_id, ["operator"], now),
            upsert=True,
        )
    return operator_id


@operator_app.command("add")
def add(
    email: Annotated[str, typer.Argument(help="The new operator's e-mail address.")],
) -> None:
    """Make EMAIL an operator of the locally running platform, at once (no restart): they sign
    in on the sign-in page like everyone else."""
    address = normalise_address(email)
    if "@" not in address or address.startswith("@") or address.endswith("@"):
        typer.echo(f"{email!r} is not an e-mail address.", err=True)
        raise typer.Exit(2)
    try:
        settings = load_settings()
    except SettingsError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None
    uri, prefix = local_database(settings)
    client: MongoClient[Document] = MongoClient(
        uri, tz_aware=True, serverSelectionTimeoutMS=3000, timeoutMS=10_000
    )
    try:
        add_operator(client, prefix, address, datetime.now(UTC))
    except PyMongoError:
        typer.echo(
            f"The local database ({uri}) does not answer: start the platform (safehands up) first.",
            err=True,
        )
        raise typer.Exit(1) from None
    finally:
        client.close()
    typer.echo(f"{address} is an operator now: they sign in at the sign-in page.")
