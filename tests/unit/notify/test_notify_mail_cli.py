"""`safehands mail` lists and shows what the SMTP sink stored."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

from typer.testing import CliRunner

from cli.main import app


def store(maildir: Path, name: str, to: str, subject: str, text: str) -> None:
    message = EmailMessage()
    message["From"] = "SafeHands <no-reply@safehands.local>"
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = "Mon, 02 Mar 2026 09:30:00 +0000"
    message.set_content(text)
    maildir.mkdir(exist_ok=True)
    (maildir / name).write_bytes(bytes(message))


def test_mail_lists_oldest_first_and_shows_one(tmp_path: Path) -> None:
    maildir = tmp_path / "mail"
    store(
        maildir,
        "20260302T093001-b.eml",
        "coordinator@example.org",
        "Nieuwe aanmelding: Anna",
        "Hallo",
    )
    store(
        maildir,
        "20260302T093000-a.eml",
        "anna@example.org",
        "We hebben je aanmelding ontvangen",
        "Hallo Anna, coördinator",
    )
    runner = CliRunner()
    listed = runner.invoke(app, ["mail", "--maildir", str(maildir)], env={"COLUMNS": "200"})
    assert listed.exit_code == 0, listed.output
    lines = listed.output.splitlines()
    first = next(i for i, line in enumerate(lines) if "anna@example.org" in line)
    second = next(i for i, line in enumerate(lines) if "coordinator@example.org" in line)
    assert first < second and "Nieuwe aanmelding: Anna" in lines[second]
    shown = runner.invoke(app, ["mail", "show", "1", "--maildir", str(maildir)])
    assert shown.exit_code == 0
    assert "To: anna@example.org" in shown.output and "Hallo Anna, coördinator" in shown.output
    missing = runner.invoke(app, ["mail", "show", "3", "--maildir", str(maildir)])
    assert missing.exit_code == 1 and "holds 2 mail(s)" in missing.output


def test_an_empty_sink_says_so(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["mail", "--maildir", str(tmp_path)])
    assert result.exit_code == 0 and "No mail" in result.output
