"""`safehands keys`: identity's signing keys."""

from __future__ import annotations

import typer

from shared.auth.tokens import rotate_keys
from shared.settings import SettingsError, load_settings

keys_app = typer.Typer(help="identity's signing keys.", no_args_is_help=True)


@keys_app.command("rotate")
def rotate() -> None:
    """Make the next signing key the current one, and make a new next key.

    identity signs with the new current key from its next token on, without a restart.
    The services already trust it: identity's JWKS published it as the next key. Tokens
    signed with the old key stay valid until they expire (at most the longest a token may
    live). After a leak, rotate and restart the services, which forget the old key."""
    try:
        settings = load_settings(service_name="identity")
    except SettingsError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None
    current, upcoming = rotate_keys(
        settings.jwt_private_key_path,
        settings.jwt_public_key_path,
        settings.jwt_next_private_key_path,
    )
    typer.echo(f"current key: {current}\nnext key:    {upcoming}")
