"""Attachments both ways (issue 24): Python opens the files the browser's code encrypted
(tests/vectors/attachments-web-v1.json, written by web/src/crypto/attachment-vectors.test.ts)
and refuses them truncated, with chunks out of order or with a chunk of another file."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from shared.crypto import DecryptionError
from shared.crypto.attachments import (
    AttachmentRef,
    decrypt_file,
    encrypt_file,
    new_identity,
    padded_file_size,
    padme,
)
from tests.support.write_attachment_vectors import plaintext

VECTORS = Path(__file__).parents[2] / "vectors"
CHUNK = 65_536 + 16


def _files(name: str) -> list[dict[str, Any]]:
    files: list[dict[str, Any]] = json.loads((VECTORS / name).read_text())["files"]
    return files


WEB = _files("attachments-web-v1.json")


def _split(ciphertext: bytes) -> tuple[bytes, list[bytes]]:
    """An age file's header (with the payload nonce) and its STREAM chunks."""
    start = ciphertext.index(b"\n", ciphertext.index(b"\n--- ") + 1) + 1 + 16
    return ciphertext[:start], [
        ciphertext[at : at + CHUNK] for at in range(start, len(ciphertext), CHUNK)
    ]


def _file(size: int) -> tuple[AttachmentRef, bytes]:
    found = next(f for f in WEB if f["ref"]["size"] == size)
    return AttachmentRef.model_validate(found["ref"]), base64.b64decode(found["ciphertext"])


@pytest.mark.parametrize("size", [0, 1, 65_536, 65_537])
def test_python_opens_what_the_browser_encrypted(size: int) -> None:
    found = next(f for f in WEB if f["ref"]["size"] == size)
    ref, ciphertext = _file(size)
    data = decrypt_file(ciphertext, ref)
    assert data == plaintext(size)
    assert hashlib.sha256(data).hexdigest() == found["sha256"]


def test_chunk_edges() -> None:
    assert len(_split(_file(65_536)[1])[1]) == 1
    assert [len(c) for c in _split(_file(65_537)[1])[1]] == [CHUNK, 67_584 - 65_536 + 16]


def test_a_truncated_file_is_refused() -> None:
    ref, ciphertext = _file(65_537)
    head, chunks = _split(ciphertext)
    with pytest.raises(DecryptionError):
        decrypt_file(head + chunks[0], ref)
    with pytest.raises(DecryptionError):
        decrypt_file(ciphertext[:-1], ref)


def test_chunks_in_the_wrong_order_are_refused() -> None:
    ref, ciphertext = _file(65_537)
    head, chunks = _split(ciphertext)
    with pytest.raises(DecryptionError):
        decrypt_file(head + chunks[1] + chunks[0], ref)


def test_a_chunk_from_another_file_is_refused() -> None:
    ref, ciphertext = _file(65_537)
    head, chunks = _split(ciphertext)
    _, other = _split(encrypt_file(plaintext(65_537), ref.identity))
    with pytest.raises(DecryptionError):
        decrypt_file(head + chunks[0] + other[1], ref)


def test_another_identity_or_size_is_refused() -> None:
    ref, ciphertext = _file(65_537)
    with pytest.raises(DecryptionError):
        decrypt_file(ciphertext, ref.model_copy(update={"identity": new_identity()}))
    with pytest.raises(DecryptionError):
        decrypt_file(ciphertext, ref.model_copy(update={"size": 70_000}))


def test_nonzero_padding_is_refused() -> None:
    identity = new_identity()
    ref = AttachmentRef.model_validate(
        {
            "attachment_id": "00000000-0000-4000-8000-000000000000",
            "identity": identity,
            "name": "a.txt",
            "media_type": "text/plain",
            "size": 1,
        }
    )
    ciphertext = encrypt_file(b"ab", identity)
    with pytest.raises(DecryptionError):
        decrypt_file(ciphertext, ref)


def test_padme_buckets() -> None:
    assert [padded_file_size(n) for n in (0, 1, 1024, 65_536, 65_537, 20 << 20)] == [
        1024,
        1024,
        1024,
        65_536,
        67_584,
        20 << 20,
    ]
    for n in range(2, 300_000, 997):
        assert n <= padme(n) <= n * 1.12
