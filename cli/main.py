"""The `safehands` command line."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

import typer
import typer.core

from cli.memberships import MembershipNotRecorded, local_database, record_membership_at
from cli.services import SERVICE_NAMES, PortInUse, serve
from shared.auth.tokens import DEFAULT_MINTED_LIFETIME, ROLES, Role, create_key_pair, mint_token
from shared.settings import SettingsError, load_settings


def _hide_flag_types() -> None:
    """typer's rich help prints a type beside every option, so each flag (`--help`,
    `--json`, `--again`) carries a stray `<bool>`: a flag takes no value, so show none."""
    option = getattr(typer.core, "TyperOption", None)
    shown = getattr(option, "display_type_rich", None)
    if option is None or shown is None:
        return

    def display_type_rich(self: typer.core.TyperOption, ctx: Any) -> str | None:
        if self.is_flag and self.metavar is None:
            return None
        result: str | None = shown(self, ctx)
        return result

    option.display_type_rich = display_type_rich


_hide_flag_types()

app = typer.Typer(
    help="SafeHands: preventive social-safety policy for volunteer organisations.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def fail(message: str, code: int = 2) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(code)


@app.command("serve")
def serve_command(
    name: Annotated[str, typer.Argument(help=f"One of: {', '.join(SERVICE_NAMES)}.")],
) -> None:
    """Run one service: its HTTP API and its event consumers, in this process."""
    if name not in SERVICE_NAMES:
        raise fail(f"Unknown service {name!r}: choose one of {', '.join(SERVICE_NAMES)}.")
    try:
        serve(name, load_settings(service_name=name))
    except (SettingsError, PortInUse) as exc:
        raise fail(str(exc)) from None
    except FileNotFoundError as exc:
        raise fail(
            f"{exc.filename} does not exist: run `safehands token --role operator` once to "
            f"create the local key pair, or set SAFEHANDS_JWT_PUBLIC_KEY_FILE or SAFEHANDS_JWKS_URL."
        ) from None


@app.command("token")
def token_command(
    role: Annotated[str, typer.Option(help=f"One of: {', '.join(ROLES)}.")],
    org: Annotated[
        str | None, typer.Option(help="The organisation (not for the operator).")
    ] = None,
    sub: Annotated[
        str | None, typer.Option(help="Subject: a volunteer's volunteer_id, a VCP's vcp_id.")
    ] = None,
    minutes: Annotated[
        int,
        typer.Option(
            min=1,
            help="How long the token lives; at most SAFEHANDS_TOKEN_MAX_LIFETIME_SECONDS"
            " (an hour by default), which the services enforce.",
        ),
    ] = int(DEFAULT_MINTED_LIFETIME.total_seconds() // 60),
) -> None:
    """Print an access token that the locally running platform accepts, and record on it
    the membership the token is for (the operator's needs none)."""
    if role not in ROLES:
        raise fail(f"Unknown role {role!r}: choose one of {', '.join(ROLES)}.")
    if role != "operator" and not org:
        raise fail(f"A {role} belongs to an organisation: add --org ORG.")
    try:
        settings = load_settings()
    except SettingsError as exc:
        raise fail(str(exc)) from None
    if minutes * 60 > settings.token_max_lifetime_seconds:
        raise fail(
            f"A token may live at most {settings.token_max_lifetime_seconds // 60} minutes"
            " (SAFEHANDS_TOKEN_MAX_LIFETIME_SECONDS): the services refuse longer ones."
        )
    create_key_pair(
        settings.jwt_private_key_path,
        settings.jwt_public_key_path,
        settings.jwt_next_private_key_path,
    )
    roles: list[Role] = [role]
    subject = sub or f"local-{role}"
    if org is not None and role != "operator":
        # Every service checks that a token's holder is a member with its role there.
        uri, prefix = local_database(settings)
        try:
            record_membership_at(uri, prefix, org=org, sub=subject, role=role)
        except MembershipNotRecorded:
            raise fail(
                f"The local database ({uri}) does not answer, so the membership "
                "this token is for cannot be recorded and every service would refuse it: "
                "start the platform (safehands up) first."
            ) from None
    typer.echo(
        mint_token(
            settings.jwt_private_key_path,
            roles=roles,
            org=org,
            sub=subject,
            issuer=settings.token_issuer,
            lifetime=timedelta(minutes=minutes),
        )
    )


def _register_subcommands() -> None:
    from cli.audit import app as audit_app
    from cli.backup import backup_command, backup_key_command, restore_command
    from cli.dlq import dlq_app
    from cli.keys import keys_app
    from cli.mail import mail_app
    from cli.operators import operator_app
    from cli.report import app as report_app
    from cli.status import status
    from cli.up import up
    from cli.vcp import app as vcp_app

    app.command("up")(up)
    app.command("status")(status)
    app.command("backup")(backup_command)
    app.command("restore")(restore_command)
    app.command("backup-key")(backup_key_command)
    app.add_typer(vcp_app, name="vcp")
    app.add_typer(report_app, name="report")
    app.add_typer(mail_app, name="mail")
    app.add_typer(dlq_app, name="dlq")
    app.add_typer(audit_app, name="audit")
    app.add_typer(keys_app, name="keys")
    app.add_typer(operator_app, name="operator")


_register_subcommands()
