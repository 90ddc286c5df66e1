"""Attachments from the command line (issue 24): the reporter's `report submit --attach FILE`
encrypts each file here and uploads its ciphertext in pieces; the VCP's `vcp read --save DIR`
downloads and decrypts them here. The format is shared/crypto/attachments.py's."""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cli.reporting_client import ApiError, ReportingApi, ReportingError
from shared.crypto.attachments import (
    AttachmentRef,
    decrypt_file,
    encrypt_file,
    new_identity,
)

# What a VCP can open on any device: images, PDF, plain text (issue 24).
MEDIA_TYPES = frozenset(
    {"image/jpeg", "image/png", "image/webp", "image/gif", "application/pdf", "text/plain"}
)


@dataclass(frozen=True)
class LocalFile:
    name: str
    media_type: str
    data: bytes


def read_files(paths: Sequence[Path]) -> list[LocalFile]:
    """The files to attach, read now so that a missing one costs nothing; ReportingError
    names the first that cannot be sent."""
    files = []
    for path in paths:
        media_type = mimetypes.guess_type(path.name)[0]
        if media_type not in MEDIA_TYPES:
            raise ReportingError(
                f"{path.name}: only images (JPEG, PNG, WebP, GIF), PDF and plain text can "
                "be attached."
            )
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ReportingError(f"{path}: cannot be read ({exc.strerror}).") from None
        files.append(LocalFile(path.name, media_type, data))
    return files


def upload(
    api: ReportingApi,
    org: str,
    report_id: str,
    file: LocalFile,
    reserve: Callable[[int], dict[str, Any]] | None = None,
) -> AttachmentRef:
    """Encrypt one file to a fresh identity, upload it; the reference for the envelope.
    `reserve` (size → reservation) for a VCP's reply; by default for the report."""
    identity = new_identity()
    ciphertext = encrypt_file(file.data, identity)
    reserved = (reserve or (lambda size: api.reserve_attachment(org, report_id, size)))(
        len(ciphertext)
    )
    step = int(reserved["piece_bytes"])
    for piece, start in enumerate(range(0, len(ciphertext), step)):
        api.upload_piece(
            org,
            reserved["attachment_id"],
            reserved["upload_secret"],
            piece,
            ciphertext[start : start + step],
        )
    return AttachmentRef(
        attachment_id=reserved["attachment_id"],
        identity=identity,
        name=file.name,
        media_type=file.media_type,
        size=len(file.data),
    )


def safe_name(name: str, index: int) -> str:
    """A file name that stays in the chosen folder: the reporter's device chose it."""
    cleaned = re.sub(r"[^\w.\- ]", "_", Path(name.replace("\\", "/")).name).strip(". ")
    return f"{index + 1}-{cleaned or 'attachment'}"


def save_all(
    api: ReportingApi,
    org: str,
    report_id: str,
    refs: Sequence[AttachmentRef],
    folder: Path,
    mailbox_secret: str | None = None,
) -> list[Path]:
    """Download, decrypt and write each attachment into `folder`; the paths written. With
    `mailbox_secret`, as the reporter; otherwise with the VCP's token."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for index, ref in enumerate(refs):
        try:
            ciphertext = (
                api.download_mailbox_attachment(org, mailbox_secret, str(ref.attachment_id))
                if mailbox_secret is not None
                else api.download_attachment(org, report_id, str(ref.attachment_id))
            )
        except ApiError as exc:
            raise ReportingError(f"{ref.name}: {exc}") from None
        path = folder / safe_name(ref.name, index)
        path.write_bytes(decrypt_file(ciphertext, ref))
        written.append(path)
    return written
