"""`safehands audit verify --org ORG`: check the organisation's audit chains in the local
database, one per service (shared/audit/log.py says why), by the rule in docs/api.md."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from pymongo import MongoClient
from pymongo.errors import PyMongoError

from cli.services import SERVICE_NAMES
from shared.audit.chain import first_break
from shared.audit.log import AUDIT_HEADS, AUDIT_LOG, AUDIT_PENDING, anchor_of
from shared.settings import SettingsError, load_settings

app = typer.Typer(help="The organisations' audit log.", no_args_is_help=True)


@app.command("verify")
def verify(
    org: Annotated[str, typer.Option(help="The organisation whose chains to check.")],
) -> None:
    """Exit 0 when every service's chain of ORG is whole; otherwise 1, naming the first
    broken entry of each broken chain."""
    try:
        settings = load_settings()
    except SettingsError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None
    client: MongoClient[dict[str, Any]] = MongoClient(
        settings.mongo_uri, tz_aware=True, serverSelectionTimeoutMS=3000
    )
    broken = 0
    try:
        for service in SERVICE_NAMES:
            db = client[f"{settings.mongo_database}_{service}"]
            head = db[AUDIT_HEADS].find_one({"org_id": org})
            entries = list(
                db[AUDIT_LOG].find({"org_id": org}, projection={"_id": 0}).sort("seq", 1)
            )
            found = first_break(
                entries, anchor_of(head), (int(head["seq"]), str(head["hash"])) if head else None
            )
            # Written with their change, chained within a moment by the running service: not
            # part of the chain yet, so not checked, but said.
            waiting = db[AUDIT_PENDING].count_documents({"org_id": org})
            later = f"; {waiting} more waiting to be chained" if waiting else ""
            if found is None:
                typer.echo(f"{service}: whole ({len(entries)} entries{later})")
            else:
                broken += 1
                typer.echo(f"{service}: broken at entry {found.seq}: {found.reason}")
    except PyMongoError as exc:
        typer.echo(f"The database at {settings.mongo_uri} cannot be read: {exc}", err=True)
        raise typer.Exit(2) from None
    finally:
        client.close()
    if broken:
        typer.echo(f"The audit log of {org} is broken in {broken} chain(s).", err=True)
        raise typer.Exit(1)
    typer.echo(f"The audit log of {org} is whole.")
