"""`safehands report …`: submit a report in confidence and follow it up with the receipt.

Everything is sealed and opened here, on the reporter's device. The platform gets the
ciphertext, the SHA-256 of a mailbox secret and a reply public key — never the receipt.
The functions take a `ReportingApi` and return plain data, so tests drive the same code.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.panel import Panel

from cli.attachments import LocalFile, read_files, save_all, upload
from cli.conversation import (
    FORGED,
    ConversationMessage,
    open_conversation,
    print_conversation,
)
from cli.reporting_client import (
    DEFAULT_INTAKE_URL,
    DEFAULT_REPORTS_URL,
    ApiError,
    ReportingApi,
    ReportingError,
    case_public_keys,
    chosen_vcp_keys,
)
from shared.crypto import (
    CATEGORIES,
    SUITES,
    CryptoError,
    MessageBody,
    ReceiptKeys,
    ReportBody,
    derive_receipt_keys,
    format_receipt,
    generate_receipt,
    message_context,
    normalize_receipt,
    report_context,
    seal,
)
from shared.crypto.signing import signature_holds

console = Console()
errors = Console(stderr=True)


@dataclass(frozen=True)
class Submission:
    org: str
    report_id: str
    receipt: str


@dataclass(frozen=True)
class MailboxView:
    report_id: str
    status: str
    messages: list[ConversationMessage]


def submit_report(
    api: ReportingApi,
    org: str,
    body: ReportBody,
    receipt: str | None = None,
    report_id: str | None = None,
    to: Sequence[str] = (),
    attach: Sequence[LocalFile] = (),
) -> Submission:
    """Seal `body` to the VCPs of `org` named in `to` (every VCP with a key when empty),
    submit it, and return the receipt.

    `receipt` and `report_id` are for tests that need known ones; people always get fresh ones.
    """
    recipients = chosen_vcp_keys(api, org, to)
    receipt = normalize_receipt(receipt) if receipt else generate_receipt()
    derived = derive_receipt_keys(receipt, org, recipients[0].suite)
    report_id = report_id or str(uuid.uuid4())
    if attach:
        # Uploaded first, under the report's id: the envelope then carries each file's key.
        refs = tuple(upload(api, org, report_id, file) for file in attach)
        body = body.model_copy(update={"attachments": refs})
    envelope = seal(body.to_body(), recipients, report_context(org, report_id))
    api.submit_report(
        org,
        {
            "report_id": report_id,
            "envelope": envelope.model_dump(),
            "mailbox": {
                "lookup": derived.lookup,
                "reply_key": derived.reply_public_key.model_dump(),
            },
        },
    )
    return Submission(org, report_id, receipt)


def _receipt_keys(org: str, receipt: str) -> dict[str, ReceiptKeys]:
    # The mailbox secret is the same in every suite; the reply key is per suite.
    return {suite: derive_receipt_keys(receipt, org, suite) for suite in SUITES}


def check_mailbox(api: ReportingApi, org: str, receipt: str) -> MailboxView:
    """The report's status and the conversation, the VCPs' replies decrypted."""
    keys = _receipt_keys(org, receipt)
    mailbox = api.open_mailbox(org, next(iter(keys.values())).secret_hex)
    report_id = mailbox["report_id"]
    raw = mailbox["messages"]
    # The signing keys as the organisation publishes them now (docs/api.md, "Signed VCP
    # messages"): a "VCP" message without a valid signature is not even opened.
    vcp_keys = api.vcp_keys(org) if any(m["from"] == "vcp" for m in raw) else []
    messages = [
        open_conversation(org, report_id, [m], lambda envelope: keys[envelope.suite].reply_key)[0]
        if m["from"] != "vcp" or signature_holds(org, report_id, m, vcp_keys)
        else ConversationMessage(m["message_id"], "vcp", m["at"], text=None, problem=FORGED)
        for m in raw
    ]
    return MailboxView(report_id, mailbox["status"], messages)


def reply_as_reporter(api: ReportingApi, org: str, receipt: str, text: str) -> str:
    """Answer the VCPs in the report's mailbox; returns the new message's id."""
    body = MessageBody(text=text)
    keys = _receipt_keys(org, receipt)
    secret = next(iter(keys.values())).secret_hex
    mailbox = api.open_mailbox(org, secret)
    report_id = mailbox["report_id"]
    message_id = str(uuid.uuid4())
    recipients = case_public_keys(api, org, mailbox.get("case_keys"))
    envelope = seal(body.to_body(), recipients, message_context(org, report_id, message_id))
    api.post_reporter_message(org, secret, message_id, envelope.model_dump())
    return message_id


# --- the commands ---------------------------------------------------------------------

app = typer.Typer(
    help="Report transgressive behaviour in confidence, and follow it up with your receipt.",
    no_args_is_help=True,
)

OrgOption = Annotated[str, typer.Option("--org", help="The organisation to report to.")]
IntakeUrl = Annotated[str, typer.Option(envvar="SH_INTAKE_URL", help="Base URL of intake.")]
ReportsUrl = Annotated[str, typer.Option(envvar="SH_REPORTS_URL", help="Base URL of reports.")]


def _fail(message: str) -> typer.Exit:
    errors.print(f"[red]{message}[/red]", markup=True, highlight=False)
    return typer.Exit(1)


def _ask_receipt() -> str:
    given = os.environ.get("SH_RECEIPT")
    text = given or typer.prompt("Your receipt", hide_input=True)
    try:
        return normalize_receipt(text)
    except ValueError as exc:
        raise _fail(str(exc)) from None


def _ask_report_body() -> ReportBody:
    category = typer.prompt(f"Category ({', '.join(CATEGORIES)})").strip()
    while category not in CATEGORIES:
        category = typer.prompt(f"Please choose one of {', '.join(CATEGORIES)}").strip()
    description = typer.prompt("What happened")
    occurred_on = typer.prompt(
        "When did it happen (YYYY-MM-DD, Enter to skip)", default="", show_default=False
    )
    wants_contact = typer.confirm("Would you like the VCP to contact you directly?", default=False)
    contact = (
        typer.prompt("How can the VCP reach you", default="", show_default=False)
        if wants_contact
        else ""
    )
    try:
        return ReportBody(
            category=category,
            description=description,
            occurred_on=date.fromisoformat(occurred_on) if occurred_on else None,
            wants_contact=wants_contact,
            contact=contact or None,
        )
    except (ValidationError, ValueError) as exc:
        raise _fail(f"That report is not complete: {exc}") from None


ToOption = Annotated[
    list[str] | None,
    typer.Option(
        "--to",
        help="A VCP (vcp_id) to send the report to; repeat for more. Leave a VCP out by "
        "naming the others; by default every VCP of the organisation receives it.",
        show_default=False,
    ),
]


AttachOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--attach",
        help="A file to send with the report (image, PDF or text), encrypted here; repeat "
        "for more. Sent as it is: remove a photo's location and other metadata first.",
        show_default=False,
    ),
]


@app.command("submit")
def submit_command(
    org: OrgOption,
    to: ToOption = None,
    attach: AttachOption = None,
    intake_url: IntakeUrl = DEFAULT_INTAKE_URL,
    reports_url: ReportsUrl = DEFAULT_REPORTS_URL,
) -> None:
    """Write a report; it is encrypted here so that only the VCPs you choose can read it."""
    try:
        with ReportingApi(intake_url, reports_url) as api:
            # Checked before the report is written: a mistyped VCP id costs nothing.
            chosen_vcp_keys(api, org, to or ())
            files = read_files(attach or ())
            body = _ask_report_body()
            submission = submit_report(api, org, body, to=to or (), attach=files)
    except (ApiError, ReportingError, CryptoError) as exc:
        raise _fail(str(exc)) from None
    console.print(
        Panel(
            f"[bold]{format_receipt(submission.receipt)}[/bold]\n\n"
            "This receipt is the only way to read the VCP's answers and to reply, with\n"
            "`safehands report check` and `safehands report reply`. Write it down and\n"
            "keep it safe: it is shown once, nobody can look it up, and anyone holding it\n"
            "can read the conversation.",
            title="Your report was received — your receipt",
            title_align="left",
        )
    )


@app.command("check")
def check_command(
    org: OrgOption,
    reports_url: ReportsUrl = DEFAULT_REPORTS_URL,
    save: Annotated[
        Path | None,
        typer.Option(
            "--save",
            help="A folder to save the files of the VCP's replies in, decrypted here.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Show your report's status and the VCP's replies (asks for the receipt, or SH_RECEIPT)."""
    receipt = _ask_receipt()
    saved: list[Path] = []
    try:
        with ReportingApi(reports_url=reports_url) as api:
            view = check_mailbox(api, org, receipt)
            refs = [ref for m in view.messages if m.sender == "vcp" for ref in m.attachments]
            if save is not None and refs:
                secret = next(iter(_receipt_keys(org, receipt).values())).secret_hex
                saved = save_all(api, org, view.report_id, refs, save, mailbox_secret=secret)
    except (ApiError, CryptoError, ReportingError) as exc:
        raise _fail(str(exc)) from None
    console.print(f"Report {view.report_id}: [bold]{view.status}[/bold]")
    print_conversation(console, view.messages, me="reporter")
    for path in saved:
        console.print(f"Saved: {path}")


@app.command("reply")
def reply_command(
    org: OrgOption,
    reports_url: ReportsUrl = DEFAULT_REPORTS_URL,
) -> None:
    """Answer the VCP (asks for the receipt, or SH_RECEIPT, and your message)."""
    receipt = _ask_receipt()
    text = typer.prompt("Your message")
    try:
        with ReportingApi(reports_url=reports_url) as api:
            reply_as_reporter(api, org, receipt, text)
    except (ApiError, ReportingError, CryptoError, ValidationError) as exc:
        raise _fail(str(exc)) from None
    console.print("Your message was sent, encrypted for the organisation's VCPs.")
