"""`safehands mail`: what the local SMTP sink received (one .eml file per mail)."""

from __future__ import annotations

import email
import email.policy
import json
from email.message import EmailMessage
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from shared.settings import SettingsError, load_settings

mail_app = typer.Typer(
    help="List the mails the local SMTP sink received; `mail show N` prints one.",
    invoke_without_command=True,
    add_completion=False,
)

MaildirOption = Annotated[
    Path | None,
    typer.Option(help="Where the SMTP sink keeps mails (default: <data dir>/mail)."),
]


def _maildir(maildir: Path | None) -> Path:
    if maildir is not None:
        return maildir
    try:
        return load_settings().data_dir / "mail"
    except SettingsError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None


def _mails(maildir: Path) -> list[Path]:
    # The sink names files by the time it received them, so the names sort in time order.
    return sorted(maildir.glob("*.eml"))


def _read(path: Path) -> EmailMessage:
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def mail_rows(folder: Path) -> list[dict[str, str | int]]:
    """Every mail in `folder`, oldest first: its number for `mail show`, date, to, subject."""
    rows: list[dict[str, str | int]] = []
    for number, path in enumerate(_mails(folder), start=1):
        message = _read(path)
        rows.append(
            {
                "number": number,
                "date": str(message["Date"] or ""),
                "to": str(message["To"] or ""),
                "subject": str(message["Subject"] or ""),
                "file": path.name,
            }
        )
    return rows


@mail_app.callback()
def list_mails(
    ctx: typer.Context,
    maildir: MaildirOption = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print JSON for scripts instead of a table.")
    ] = False,
) -> None:
    """List received mails, oldest first: number, date, recipient and subject."""
    if ctx.invoked_subcommand is not None:
        return
    folder = _maildir(maildir)
    rows = mail_rows(folder)
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        typer.echo(f"No mail in {folder} yet.")
        return
    table = Table(title=f"Mail received by the SMTP sink ({folder})")
    for column in ("#", "date", "to", "subject"):
        table.add_column(column)
    for row in rows:
        table.add_row(str(row["number"]), str(row["date"]), str(row["to"]), str(row["subject"]))
    Console().print(table)


@mail_app.command("show")
def show_mail(
    number: Annotated[int, typer.Argument(help="The mail's number in `safehands mail`.")],
    maildir: MaildirOption = None,
) -> None:
    """Print one mail: its headers and its text."""
    folder = _maildir(maildir)
    paths = _mails(folder)
    if not 1 <= number <= len(paths):
        typer.echo(
            f"There is no mail number {number}: {folder} holds {len(paths)} mail(s).", err=True
        )
        raise typer.Exit(1)
    message = _read(paths[number - 1])
    for header in ("Date", "From", "To", "Subject"):
        typer.echo(f"{header}: {message[header] or ''}")
    body = message.get_body(preferencelist=("plain", "html"))
    typer.echo("")
    typer.echo(body.get_content() if body is not None else "")
