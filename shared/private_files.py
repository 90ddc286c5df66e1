"""Writing a secret to a file: mode 0600 from its first byte, whole or not at all."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def write_private_file(path: Path, data: bytes, *, overwrite: bool = True) -> None:
    """Write `data` to a sibling created 0600 and rename it over `path`: a crash never
    leaves half a key, and no other user can open the file between its creation and a
    chmod (there is none)."""
    if not overwrite and path.exists():
        raise FileExistsError(f"{path} already exists")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def next_key_path(private_path: Path) -> Path:
    """Where a signing key's successor waits (`jwt_private.pem` → `jwt_private.next.pem`):
    published in the JWKS before it signs anything, so that every service knows it when
    `safehands keys rotate` makes it the current key."""
    return private_path.with_name(f"{private_path.stem}.next{private_path.suffix}")
