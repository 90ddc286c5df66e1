"""Sign-in links: a 256-bit random code, mailed once, stored only as its SHA-256."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

SIGN_IN_LINK_LIFETIME = timedelta(minutes=15)
# An invitation waits in an inbox longer than a sign-in link that was just asked for; once
# it has expired, the invited person asks for a new link on the sign-in page.
INVITATION_LINK_LIFETIME = timedelta(days=3)
CODE_BYTES = 32


@dataclass(frozen=True)
class SignInCode:
    code: str
    code_hash: str


def new_code() -> SignInCode:
    code = secrets.token_urlsafe(CODE_BYTES)
    return SignInCode(code=code, code_hash=hash_code(code))


def hash_code(code: str) -> str:
    """What identity stores and looks a code up by. A code carries 256 random bits, so a
    plain SHA-256 cannot be reversed by guessing (no slow hash is needed)."""
    return hashlib.sha256(code.encode()).hexdigest()


def sign_in_link(web_url: str, code: str) -> str:
    """In the fragment, so the code never reaches a server's access log."""
    return f"{web_url.rstrip('/')}/sign-in/callback#code={code}"


def code_is_usable(expires_at: datetime, used_at: datetime | None, now: datetime) -> bool:
    return used_at is None and now < expires_at


def normalise_address(address: str) -> str:
    """The form an address is stored and compared in (validated at the edge): trimmed and
    lower-cased, as mail providers treat the local part case-insensitively in practice."""
    return address.strip().lower()


def is_page_path(path: str) -> bool:
    """`next` must stay on the web app: a path, never another site (`//evil`, `https:`)."""
    return (
        path.startswith("/")
        and not path.startswith("//")
        and "\\" not in path
        and all(ch.isprintable() and not ch.isspace() for ch in path)
        and len(path) <= 500
    )
