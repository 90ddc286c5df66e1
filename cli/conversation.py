"""A case's conversation as the people in it see it, decrypted on their own device."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import ValidationError
from rich.console import Console
from rich.panel import Panel
from rich.text import Text

from shared.crypto import (
    DecryptionError,
    Envelope,
    MessageBody,
    PrivateKey,
    message_context,
    open_envelope,
)
from shared.crypto.attachments import AttachmentRef

Sender = Literal["vcp", "reporter"]
NOT_FOR_THIS_KEY = "sealed to other keys; not readable here"
# A "VCP" message without a valid signature of a current VCP (shared/crypto/signing.py).
FORGED = (
    "WARNING: this message does not carry a valid signature of a confidential contact "
    "person of this organisation. It may not come from them, so it is not shown. Do not "
    "give any details that show who you are in answer to it"
)


@dataclass(frozen=True)
class ConversationMessage:
    message_id: str
    sender: Sender
    at: str
    # None when the message could not be read here; `problem` then says why.
    text: str | None
    problem: str | None = None
    # The VCP who wrote it, when the server shows it (to VCPs only; absent for the reporter).
    vcp_id: str | None = None
    # Files sent with it, each with its key (issue 24).
    attachments: tuple[AttachmentRef, ...] = ()


def open_message(
    org: str, report_id: str, message: dict[str, Any], key: PrivateKey | None
) -> ConversationMessage:
    """Decrypt one message of a case with `key`."""
    envelope = Envelope.model_validate(message["envelope"])
    base = (message["message_id"], message["from"], message["at"])
    author = message.get("vcp_id")
    if key is None or envelope.recipient_for(key.fingerprint) is None:
        return ConversationMessage(*base, text=None, problem=NOT_FOR_THIS_KEY, vcp_id=author)
    context = message_context(org, report_id, message["message_id"])
    try:
        body = MessageBody.model_validate(open_envelope(envelope, key, context))
    except (DecryptionError, ValidationError):
        # An altered or misplaced message must not hide the rest of the conversation.
        return ConversationMessage(
            *base, text=None, problem="could not be opened: altered", vcp_id=author
        )
    return ConversationMessage(
        *base, text=body.text, vcp_id=author, attachments=body.attachments or ()
    )


def open_conversation(
    org: str,
    report_id: str,
    messages: Sequence[dict[str, Any]],
    key_for: Callable[[Envelope], PrivateKey | None],
) -> list[ConversationMessage]:
    """Every message, each opened with the key `key_for` picks for its envelope."""
    return [
        open_message(org, report_id, m, key_for(Envelope.model_validate(m["envelope"])))
        for m in messages
    ]


def author_label(message: ConversationMessage, me: Sender, my_vcp_id: str | None = None) -> str:
    """Who wrote `message`, as the reader sees it: "You", "Reporter", "VCP" or "VCP <id>".

    A VCP's message is "You" only when this VCP wrote it: after a hand-over, the next VCP
    reads their predecessor's messages under the predecessor's id.
    """
    if message.sender == "reporter":
        return "You" if me == "reporter" else "Reporter"
    if me == "vcp" and message.vcp_id is not None and message.vcp_id == my_vcp_id:
        return "You"
    return f"VCP {message.vcp_id}" if message.vcp_id else "VCP"


def print_conversation(
    console: Console,
    messages: Sequence[ConversationMessage],
    me: Sender,
    my_vcp_id: str | None = None,
) -> None:
    if not messages:
        console.print("[dim]No messages yet.[/dim]")
    for message in messages:
        who = author_label(message, me, my_vcp_id)
        # Text, not markup: what the other side wrote must not style our terminal.
        body = (
            Text(message.text)
            if message.text is not None
            else Text(message.problem or "", style="bold red")
            if message.problem == FORGED
            else Text(f"({message.problem})", style="dim")
        )
        for ref in message.attachments:
            body.append(f"\nAttachment: {ref.name} ({ref.media_type}, {ref.size} bytes)")
        # The title as Text too: a vcp_id is the admin's choice, not markup.
        console.print(Panel(body, title=Text(f"{who} · {message.at}"), title_align="left"))
