"""Write tests/vectors/attachments-python-v1.json: files encrypted by shared/crypto/attachments.

`python -m tests.support.write_attachment_vectors` writes it; the output is committed and
opened by the browser's code (web/src/crypto/attachment-vectors.test.ts). The other way
round, web/src/crypto/attachment-vectors.test.ts writes tests/vectors/attachments-web-v1.json
(with SAFEHANDS_WRITE_ATTACHMENT_VECTORS=1), which tests/unit/crypto/test_attachment_vectors.py
opens with pyrage. Sizes at age's chunk edges: 0, 1, 65 536 and 65 537 bytes.
"""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
from pathlib import Path

from shared.crypto.attachments import encrypt_file, new_identity

OUTPUT = Path(__file__).parents[1] / "vectors" / "attachments-python-v1.json"
SIZES = (0, 1, 65_536, 65_537)


def plaintext(size: int) -> bytes:
    """The file of `size` bytes both sides encrypt: (31 i + 7) mod 256 (no long zero runs,
    so a cut-off padding would show)."""
    return bytes((31 * i + 7) % 256 for i in range(size))


def main() -> None:
    files = []
    for size in SIZES:
        identity = new_identity()
        files.append(
            {
                "ref": {
                    "attachment_id": str(uuid.uuid4()),
                    "identity": identity,
                    "name": f"file-{size}.bin",
                    "media_type": "application/octet-stream",
                    "size": size,
                },
                "sha256": hashlib.sha256(plaintext(size)).hexdigest(),
                "ciphertext": base64.b64encode(encrypt_file(plaintext(size), identity)).decode(),
            }
        )
    document = {
        "comment": "Written by `python -m tests.support.write_attachment_vectors` (pyrage). "
        "Plaintext byte i is (31 i + 7) mod 256.",
        "files": files,
    }
    OUTPUT.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
