"""The rules of attachment uploads (issue 24 item 3), without I/O.

A reporter reserves each file for a report id before sending the report, stating the
ciphertext's size; the limits (count and bytes in all, per report) are checked then. The
ciphertext then arrives in pieces, in order, each but the last exactly PIECE_BYTES, and never
past the reserved size: a client that sends more is refused while it streams.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from services.reports.domain.errors import (
    AttachmentTooLarge,
    InvalidAttachment,
    UploadOutOfOrder,
)

# One upload request's body: well below every body limit on the way (the services',
# MAX_SEALED_REQUEST_BYTES, and the gateway's), so no limit needs raising for attachments.
PIECE_BYTES: Final = 256 * 1024


def mebibytes(size: int) -> str:
    return f"{size / (1 << 20):.1f} MiB"


def check_reservation(
    reserved: Sequence[int], size: int, *, max_files: int, max_bytes: int
) -> None:
    """May a report that already has attachments of `reserved` sizes take one of `size`?"""
    if len(reserved) >= max_files:
        raise InvalidAttachment(
            f"A report takes at most {max_files} attachments; this would be one more."
        )
    total = sum(reserved) + size
    if total > max_bytes:
        raise AttachmentTooLarge(
            f"A report's attachments take at most {mebibytes(max_bytes)} ({max_bytes} bytes) "
            f"in all, encrypted; with this one they would take {total} bytes."
        )


@dataclass(frozen=True)
class Progress:
    """How far an upload got: the next piece expected and the bytes received."""

    size: int
    next_piece: int
    received: int

    @property
    def complete(self) -> bool:
        return self.received == self.size


def accept_piece(progress: Progress, piece: int, length: int) -> Progress:
    """The upload's progress after piece number `piece` of `length` bytes, or why not."""
    if progress.complete:
        raise UploadOutOfOrder("This attachment is uploaded in full already.")
    if piece != progress.next_piece:
        raise UploadOutOfOrder(
            f"Piece {piece} is out of order: the attachment expects piece {progress.next_piece}."
        )
    if progress.received + length > progress.size:
        raise AttachmentTooLarge(
            f"The attachment was reserved for {progress.size} bytes; this piece would make "
            f"{progress.received + length}."
        )
    last = progress.received + length == progress.size
    if length == 0 or (not last and length != PIECE_BYTES):
        raise InvalidAttachment(
            f"Every piece but the last is {PIECE_BYTES} bytes, and none is empty; "
            f"piece {piece} has {length}."
        )
    return Progress(progress.size, piece + 1, progress.received + length)
