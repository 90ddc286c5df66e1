"""`safehands vcp …`: a confidential contact person's client.

The VCP's private key lives in a key file on their device, encrypted under a passphrase
(and a printed recovery code); reports and messages are opened here and nowhere else.
The functions take a `ReportingApi` and return plain data, so tests drive the same code.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import jwt
import typer
from pydantic import ValidationError
from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from cli import attachments
from cli.conversation import ConversationMessage, open_conversation, print_conversation
from cli.report_ids import ReportIdError, resolve_report_id, short_ids
from cli.reporting_client import (
    DEFAULT_REPORTS_URL,
    ApiError,
    ReportingApi,
    ReportingError,
    case_public_keys,
)
from shared.crypto import (
    DEFAULT_KDF_PARAMS,
    DEFAULT_SUITE,
    SUITES,
    CryptoError,
    DecryptionError,
    Envelope,
    KdfParams,
    KeyFileError,
    MessageBody,
    PrivateKey,
    PublicKey,
    ReportBody,
    SuiteName,
    create_key_file,
    load_private_key,
    message_context,
    open_envelope,
    read_key_file,
    report_context,
    reseal_content_key,
    rewrap,
    seal,
)
from shared.crypto.signing import sign_message, signing_public_key

console = Console()
errors = Console(stderr=True)

DEFAULT_KEY_FILE = Path.home() / ".safehands" / "vcp-key.json"
STATUSES = ("acknowledged", "in_progress", "closed")


@dataclass(frozen=True)
class NewKey:
    path: Path
    public_key: PublicKey
    recovery_code: str
    # The Ed25519 key that verifies this VCP's messages (shared/crypto/signing.py).
    signing_key: str


def keygen(
    path: Path,
    passphrase: str,
    *,
    suite: SuiteName = DEFAULT_SUITE,
    params: KdfParams = DEFAULT_KDF_PARAMS,
) -> NewKey:
    """Generate a key pair and save it encrypted at `path` (never overwriting a key)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    private_key, recovery_code = create_key_file(path, passphrase, suite=suite, params=params)
    return NewKey(path, private_key.public_key, recovery_code, signing_public_key(private_key))


def register_key(
    api: ReportingApi,
    org: str,
    vcp_id: str,
    public_key: PublicKey,
    signing_key: str | None = None,
) -> str:
    """Register one's own public key (and the signing key derived from the same key file)
    with reports; returns its fingerprint. Only the VCP themself can: the token must be
    theirs (an admin's gets 403)."""
    answer = api.register_public_key(org, vcp_id, public_key.model_dump(), signing_key)
    return str(answer["fingerprint"])


def recover(path: Path, recovery_code: str, new_passphrase: str) -> None:
    """Re-encrypt the key file under a new passphrase, unlocked with the recovery code."""
    rewrap(path, recovery_code, new_passphrase)


def inbox(api: ReportingApi, org: str) -> list[dict[str, Any]]:
    """The organisation's reports: overdue first, then by the next deadline, then oldest.
    Each row also has `short_id`, the shortest unique prefix of its id, as the inbox shows it."""
    rows = api.list_reports(org)
    shortened = short_ids([r["report_id"] for r in rows])
    return sorted(
        ({**row, "short_id": shortened[row["report_id"]]} for row in rows),
        key=lambda r: (not r.get("overdue"), r.get("next_deadline") or "~", r["received_at"]),
    )


def find_report_id(api: ReportingApi, org: str, given: str) -> str:
    """The full id of the report `given` names: the id itself or any unique prefix of it."""
    try:
        return str(uuid.UUID(given))
    except ValueError:
        pass
    try:
        return resolve_report_id(given, [r["report_id"] for r in api.list_reports(org)], org)
    except ReportIdError as exc:
        raise ReportingError(str(exc)) from None


@dataclass(frozen=True)
class Case:
    report_id: str
    status: str
    received_at: str
    acknowledge_by: str
    feedback_by: str
    # None when the report is not sealed to this VCP's key (not handed over yet).
    report: ReportBody | None
    messages: list[ConversationMessage]


def read_case(api: ReportingApi, org: str, report_id: str, key: PrivateKey) -> Case:
    """Fetch a report with its conversation and decrypt both with the VCP's key."""
    data = api.get_report(org, report_id)
    envelope = Envelope.model_validate(data["envelope"])
    report = None
    if envelope.recipient_for(key.fingerprint) is not None:
        body = open_envelope(envelope, key, report_context(org, report_id))
        report = ReportBody.model_validate(body)
    return Case(
        report_id=report_id,
        status=data["status"],
        received_at=data["received_at"],
        acknowledge_by=data["acknowledge_by"],
        feedback_by=data["feedback_by"],
        report=report,
        messages=open_conversation(org, report_id, data["messages"], lambda _envelope: key),
    )


def reply(
    api: ReportingApi,
    org: str,
    report_id: str,
    text: str,
    key: PrivateKey,
    attach: Sequence[attachments.LocalFile] = (),
) -> str:
    """Write to the reporter: sealed to their reply key and the case's VCPs; returns its id.
    Files in `attach` are encrypted here and uploaded first, their keys in the message."""
    report = api.get_report(org, report_id)
    case_keys = case_public_keys(api, org, report.get("case_keys"))
    recipients = [PublicKey.model_validate(report["reply_key"]), *case_keys]
    message_id = str(uuid.uuid4())
    refs = tuple(
        attachments.upload(
            api,
            org,
            report_id,
            file,
            lambda size: api.reserve_reply_attachment(org, report_id, message_id, size),
        )
        for file in attach
    )
    body = MessageBody(text=text, attachments=refs or None)
    envelope = seal(body.to_body(), recipients, message_context(org, report_id, message_id))
    # Signed, so the reporter can tell it from a message written into the database.
    signature = sign_message(key, org, report_id, message_id, envelope)
    api.post_vcp_message(org, report_id, message_id, envelope.model_dump(), signature)
    return message_id


def set_status(api: ReportingApi, org: str, report_id: str, status: str) -> dict[str, Any]:
    return api.change_status(org, report_id, status)


def share(
    api: ReportingApi, org: str, report_id: str, key: PrivateKey, to_vcp_id: str
) -> dict[str, Any]:
    """Hand the case over: re-seal the content key of the report and of every message to
    another VCP of the organisation (ReportKeyShared). Only what this key opens is passed
    on, so an altered entry is never handed over."""
    target = next((k for k in api.vcp_keys(org) if k["vcp_id"] == to_vcp_id), None)
    if target is None:
        raise ReportingError(f"Organisation {org} has no VCP {to_vcp_id}.")
    new_key = PublicKey.model_validate(target["public_key"])
    data = api.get_report(org, report_id)
    handover: dict[str, Any] = {"vcp_id": to_vcp_id, "messages": {}}
    sealed = [(report_context(org, report_id), data["envelope"], None)]
    sealed += [
        (message_context(org, report_id, m["message_id"]), m["envelope"], m["message_id"])
        for m in data["messages"]
    ]
    for context, raw_envelope, message_id in sealed:
        envelope = Envelope.model_validate(raw_envelope)
        if envelope.recipient_for(new_key.fingerprint()) is not None:
            continue
        what = "the report" if message_id is None else f"message {message_id}"
        if envelope.recipient_for(key.fingerprint) is None:
            raise ReportingError(
                f"{what.capitalize()} is not sealed to your key, so you cannot hand it over."
            )
        entry = reseal_content_key(envelope, key, context, new_key).model_dump()
        if message_id is None:
            handover["report"] = entry
        else:
            handover["messages"][message_id] = entry
    return api.share_keys(org, report_id, handover)


# --- the commands ---------------------------------------------------------------------

app = typer.Typer(
    help="For a confidential contact person (VCP): keys, inbox, cases, replies, hand-over.",
    no_args_is_help=True,
)

KeyFileOption = Annotated[
    Path, typer.Option("--key-file", envvar="SH_VCP_KEY_FILE", help="The VCP's key file.")
]
TokenOption = Annotated[
    str | None,
    typer.Option("--token", envvar="SH_TOKEN", help="Your VCP access token.", show_default=False),
]
OrgOption = Annotated[
    str | None,
    typer.Option("--org", help="The organisation; by default the one in your token."),
]
ReportsUrl = Annotated[str, typer.Option(envvar="SH_REPORTS_URL", help="Base URL of reports.")]
ReportId = Annotated[
    str,
    typer.Argument(
        help="The report's id, or any unique prefix of it (see `safehands vcp inbox`).",
        show_default=False,
    ),
]
JsonOption = Annotated[
    bool, typer.Option("--json", help="Print JSON for scripts instead of a table.")
]


def _fail(message: str) -> typer.Exit:
    errors.print(Text(message, style="red"))
    return typer.Exit(1)


def _claims(token: str) -> dict[str, Any]:
    try:
        # Only to learn organisation and vcp_id; the server verifies the token.
        claims: dict[str, Any] = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        return {}
    return claims


def _session(token: str | None, org: str | None, reports_url: str) -> tuple[ReportingApi, str]:
    if not token:
        raise _fail("A VCP token is needed: pass --token or set SH_TOKEN.")
    if org is None:
        org = _claims(token).get("org")
        if not org:
            raise _fail("Which organisation? Pass --org.")
    return ReportingApi(reports_url=reports_url, token=token), org


def _passphrase(confirm: bool = False) -> str:
    return os.environ.get("SH_VCP_PASSPHRASE") or typer.prompt(
        "Passphrase of your key file", hide_input=True, confirmation_prompt=confirm
    )


def _unlock(key_file: Path) -> PrivateKey:
    try:
        return load_private_key(key_file, _passphrase())
    except FileNotFoundError:
        raise _fail(f"There is no key file at {key_file}: run `safehands vcp keygen`.") from None
    except CryptoError as exc:
        raise _fail(str(exc)) from None


RegisterOption = Annotated[
    bool,
    typer.Option(
        "--register",
        help="Also register the new public key as yours with reports (needs your own token).",
    ),
]


def _register(
    key: PublicKey, signing_key: str, token: str | None, org: str | None, reports_url: str
) -> None:
    """PUT the key as the token's VCP's own, and say so; fail with the server's sentence."""
    api, org = _session(token, org, reports_url)
    vcp_id = _claims(api.token or "").get("sub")
    if not vcp_id:
        raise _fail("Your token names no VCP (no `sub`): sign in as the VCP and try again.")
    try:
        with api:
            fingerprint = register_key(api, org, vcp_id, key, signing_key)
    except ApiError as exc:
        raise _fail(str(exc)) from None
    console.print(
        f"Registered as VCP {vcp_id}'s key of {org} (fingerprint {fingerprint}): reports can "
        "be sealed to you from now on, and your colleagues are told."
    )


@app.command("register-key")
def register_key_command(
    key_file: KeyFileOption = DEFAULT_KEY_FILE,
    token: TokenOption = None,
    org: OrgOption = None,
    reports_url: ReportsUrl = DEFAULT_REPORTS_URL,
) -> None:
    """Register the public key of your key file, and the signing key derived from it, as yours.

    The passphrase is needed because the signing key is derived from the private key."""
    try:
        read_key_file(key_file)
    except FileNotFoundError:
        raise _fail(f"There is no key file at {key_file}: run `safehands vcp keygen`.") from None
    except KeyFileError as exc:
        raise _fail(str(exc)) from None
    private_key = _unlock(key_file)
    _register(private_key.public_key, signing_public_key(private_key), token, org, reports_url)


@app.command("keygen")
def keygen_command(
    key_file: KeyFileOption = DEFAULT_KEY_FILE,
    suite: Annotated[
        str, typer.Option(help=f"One of {', '.join(SUITES)}; the hybrid resists quantum attacks.")
    ] = DEFAULT_SUITE,
    register: RegisterOption = False,
    token: TokenOption = None,
    org: OrgOption = None,
    reports_url: ReportsUrl = DEFAULT_REPORTS_URL,
) -> None:
    """Create your key pair and print the recovery code; `--register` registers the key."""
    if suite not in SUITES:
        raise _fail(f"Unknown suite {suite!r}: choose one of {', '.join(SUITES)}.")
    if register and not token:
        # Before the passphrase is asked: a key made for nothing would only confuse.
        raise _fail("--register needs your own VCP token: pass --token or set SH_TOKEN.")
    # Checked before the passphrase is asked: nobody should type one twice for nothing.
    if key_file.exists():
        raise _fail(_key_file_exists(key_file))
    passphrase = _passphrase(confirm=True)
    try:
        new = keygen(key_file, passphrase, suite=suite)
    except FileExistsError:
        raise _fail(_key_file_exists(key_file)) from None
    except ValueError as exc:
        raise _fail(str(exc)) from None
    console.print(f"Key file written to {new.path} (readable by you only).")
    console.print(f"Fingerprint: [bold]{new.public_key.fingerprint()}[/bold]")
    console.print(
        "Public key (register it with `safehands vcp register-key`, or on the /vcp page):"
    )
    console.print_json(new.public_key.model_dump_json())
    console.print(
        Panel(
            f"[bold]{new.recovery_code}[/bold]\n\n"
            "If you forget your passphrase, this code sets a new one\n"
            "(`safehands vcp recover`). It is shown only now: print or write it down and\n"
            "keep it apart from this device. Without passphrase and code, the reports\n"
            "sealed to this key can never be read again.",
            title="Recovery code",
            title_align="left",
        )
    )
    if register:
        _register(new.public_key, new.signing_key, token, org, reports_url)


def _key_file_exists(key_file: Path) -> str:
    return (
        f"{key_file} already exists and is never overwritten; for another key "
        "(a second VCP on this device), choose a new file with --key-file PATH."
    )


@app.command("recover")
def recover_command(key_file: KeyFileOption = DEFAULT_KEY_FILE) -> None:
    """Set a new passphrase on your key file with the recovery code."""
    code = typer.prompt("Recovery code", hide_input=True)
    new_passphrase = _passphrase(confirm=True)
    try:
        recover(key_file, code, new_passphrase)
    except FileNotFoundError:
        raise _fail(f"There is no key file at {key_file}.") from None
    except (CryptoError, ValueError) as exc:
        raise _fail(str(exc)) from None
    console.print("The key file now opens with the new passphrase.")


def _when(value: str | None) -> str:
    if not value:
        return "—"
    return datetime.fromisoformat(value).strftime("%Y-%m-%d %H:%M")


def _day(value: str | None) -> str:
    if not value:
        return "—"
    return datetime.fromisoformat(value).strftime("%Y-%m-%d")


@app.command("inbox")
def inbox_command(
    token: TokenOption = None,
    org: OrgOption = None,
    reports_url: ReportsUrl = DEFAULT_REPORTS_URL,
    as_json: JsonOption = False,
) -> None:
    """List the organisation's reports with status and deadlines, overdue ones first."""
    api, org = _session(token, org, reports_url)
    try:
        with api:
            rows = inbox(api, org)
    except ApiError as exc:
        raise _fail(str(exc)) from None
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    # Days, not times, and the short id: the table fits 80 columns (77 wide) and no id is
    # ever cut; `vcp read` shows the exact times.
    table = Table(title=f"Reports of {org}", caption="Any unique start of an id names it.")
    table.add_column("report", no_wrap=True, min_width=8)
    table.add_column("received", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("ack. by", no_wrap=True)
    table.add_column("feedback by", no_wrap=True)
    table.add_column("overdue", no_wrap=True)
    for row in rows:
        table.add_row(
            row["short_id"],
            _day(row["received_at"]),
            row["status"],
            _day(row["acknowledge_by"]),
            _day(row["feedback_by"]),
            "[red bold]yes[/red bold]" if row.get("overdue") else "no",
        )
    console.print(table)


@app.command("read")
def read_command(
    report_id: ReportId,
    key_file: KeyFileOption = DEFAULT_KEY_FILE,
    token: TokenOption = None,
    org: OrgOption = None,
    reports_url: ReportsUrl = DEFAULT_REPORTS_URL,
    save: Annotated[
        Path | None,
        typer.Option(
            "--save",
            help="A folder to save the report's attachments in, decrypted here.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Decrypt a report and its conversation here, and show them."""
    api, org = _session(token, org, reports_url)
    key = _unlock(key_file)
    saved: list[Path] = []
    try:
        with api:
            case = read_case(api, org, find_report_id(api, org, report_id), key)
            if save is not None and case.report is not None and case.report.attachments:
                saved = attachments.save_all(
                    api, org, case.report_id, case.report.attachments, save
                )
    except (ApiError, ReportingError, DecryptionError, ValidationError) as exc:
        raise _fail(str(exc)) from None
    console.print(
        f"Report {case.report_id} — [bold]{case.status}[/bold] — received "
        f"{_when(case.received_at)}; acknowledge by {_when(case.acknowledge_by)}, "
        f"feedback by {_when(case.feedback_by)}"
    )
    if case.report is None:
        console.print("[yellow]This report is not shared with your key yet.[/yellow]")
    else:
        report = case.report
        lines = [f"Category: {report.category}"]
        for label, value in (
            ("Occurred on", report.occurred_on),
            ("Location", report.location),
            ("People involved", report.people_involved),
        ):
            if value:
                lines.append(f"{label}: {value}")
        contact = (report.contact or "yes") if report.wants_contact else "no"
        lines += [f"Wants contact: {contact}", "", report.description]
        for ref in report.attachments or ():
            lines.append(f"Attachment: {ref.name} ({ref.media_type}, {ref.size} bytes)")
        lines += [f"Saved: {path}" for path in saved]
        console.print(Panel(Text("\n".join(lines)), title="Report", title_align="left"))
    print_conversation(console, case.messages, me="vcp", my_vcp_id=_claims(token or "").get("sub"))


@app.command("reply")
def reply_command(
    report_id: ReportId,
    message: Annotated[
        str | None, typer.Option("--message", "-m", help="The text; asked for when left out.")
    ] = None,
    key_file: KeyFileOption = DEFAULT_KEY_FILE,
    token: TokenOption = None,
    org: OrgOption = None,
    reports_url: ReportsUrl = DEFAULT_REPORTS_URL,
    attach: Annotated[
        list[Path] | None,
        typer.Option(
            "--attach",
            help="A file to send with the reply (image, PDF or text), encrypted here; "
            "repeat for more.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Write to the reporter (sealed to their reply key and every VCP key, and signed with
    the signing key of your key file, so the passphrase is asked)."""
    api, org = _session(token, org, reports_url)
    text = message or typer.prompt("Your message to the reporter")
    key = _unlock(key_file)
    try:
        files = attachments.read_files(attach or ())
        with api:
            reply(api, org, find_report_id(api, org, report_id), text, key, files)
    except (ApiError, ReportingError, ValidationError) as exc:
        raise _fail(str(exc)) from None
    console.print("Sent. The reporter reads it with their receipt.")


@app.command("status")
def status_command(
    report_id: ReportId,
    status: Annotated[str, typer.Argument(help=f"One of: {', '.join(STATUSES)}.")],
    token: TokenOption = None,
    org: OrgOption = None,
    reports_url: ReportsUrl = DEFAULT_REPORTS_URL,
) -> None:
    """Move the case to its next step."""
    if status not in STATUSES:
        raise _fail(f"Unknown status {status!r}: choose one of {', '.join(STATUSES)}.")
    api, org = _session(token, org, reports_url)
    try:
        with api:
            report_id = find_report_id(api, org, report_id)
            answer = set_status(api, org, report_id, status)
    except (ApiError, ReportingError) as exc:
        raise _fail(str(exc)) from None
    console.print(f"Report {report_id} is now [bold]{answer['status']}[/bold].")


@app.command("share")
def share_command(
    report_id: ReportId,
    to: Annotated[str, typer.Option("--to", help="The vcp_id of the VCP taking over.")],
    key_file: KeyFileOption = DEFAULT_KEY_FILE,
    token: TokenOption = None,
    org: OrgOption = None,
    reports_url: ReportsUrl = DEFAULT_REPORTS_URL,
) -> None:
    """Hand the case to another VCP: re-seal the report and its messages to their key."""
    api, org = _session(token, org, reports_url)
    key = _unlock(key_file)
    try:
        with api:
            answer = share(api, org, find_report_id(api, org, report_id), key, to)
    except (ApiError, ReportingError, DecryptionError) as exc:
        raise _fail(str(exc)) from None
    shared = len(answer["messages_shared"]) + (1 if answer["report_shared"] else 0)
    console.print(f"Shared with {to}: {shared} envelope(s) re-sealed to their key.")
