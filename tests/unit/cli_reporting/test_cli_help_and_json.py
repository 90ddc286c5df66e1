"""The command line as a newcomer meets it: help without stray types, keygen that says
what to do about an existing key file before asking anything, and JSON for scripts."""

from __future__ import annotations

import json
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import typer
from typer.testing import CliRunner

from cli.main import app

runner = CliRunner()


def every_command(group: Any, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command path under `group` (typer's own click, so duck-typed)."""
    found = [path]
    context = group.context_class(group)
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        if hasattr(command, "list_commands"):
            found += every_command(command, (*path, name))
        elif command is not None:
            found.append((*path, name))
    return found


def test_no_help_page_shows_a_stray_bool() -> None:
    root = typer.main.get_command(app)
    commands = every_command(root)
    assert ("vcp", "inbox") in commands and ("dlq", "replay") in commands
    for command in commands:
        shown = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "80"})
        assert shown.exit_code == 0, (command, shown.output)
        assert "--help" in shown.output
        assert "<bool>" not in shown.output, (command, shown.output)
    # Options that take a value still say which.
    assert "<str>" in runner.invoke(app, ["dlq", "list", "--help"]).output


def test_keygen_refuses_an_existing_key_file_before_asking_a_passphrase(tmp_path: Path) -> None:
    path = tmp_path / "vcp-key.json"
    path.write_text("{}")
    # No passphrase in the environment and nothing on standard input: a prompt would fail.
    result = runner.invoke(
        app, ["vcp", "keygen", "--key-file", str(path)], env={"COLUMNS": "200"}, input=""
    )
    assert result.exit_code == 1
    assert "Passphrase" not in result.output
    assert "already exists" in result.output and "--key-file" in result.output
    assert path.read_text() == "{}"


def test_mail_lists_as_json(tmp_path: Path) -> None:
    maildir = tmp_path / "mail"
    maildir.mkdir()
    for name, to in (("2-b.eml", "bram@example.org"), ("1-a.eml", "anna@example.org")):
        message = EmailMessage()
        message["To"] = to
        message["Subject"] = f"Hallo {to}"
        message["Date"] = "Mon, 02 Mar 2026 09:30:00 +0000"
        message.set_content("tekst")
        (maildir / name).write_bytes(bytes(message))
    listed = runner.invoke(app, ["mail", "--json", "--maildir", str(maildir)])
    assert listed.exit_code == 0, listed.output
    assert json.loads(listed.output) == [
        {
            "number": 1,
            "date": "Mon, 02 Mar 2026 09:30:00 +0000",
            "to": "anna@example.org",
            "subject": "Hallo anna@example.org",
            "file": "1-a.eml",
        },
        {
            "number": 2,
            "date": "Mon, 02 Mar 2026 09:30:00 +0000",
            "to": "bram@example.org",
            "subject": "Hallo bram@example.org",
            "file": "2-b.eml",
        },
    ]
    empty = runner.invoke(app, ["mail", "--json", "--maildir", str(tmp_path / "none")])
    assert empty.exit_code == 0 and json.loads(empty.output) == []
