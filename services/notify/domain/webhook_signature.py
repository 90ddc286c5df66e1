"""Standard Webhooks signatures (https://www.standardwebhooks.com/), as promised in docs/api.md.

Integrators verify a delivery like this::

    from services.notify.domain.webhook_signature import parse_secret, verify
    verify(parse_secret("whsec_..."), request.headers, request.body)  # raises if not genuine

Their own Standard Webhooks library works too: we follow the specification exactly.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import time
from collections.abc import Mapping

SECRET_PREFIX = "whsec_"  # noqa: S105 -- the format's marker, not a secret
MIN_SECRET_BYTES = 24
MAX_SECRET_BYTES = 64
DEFAULT_SECRET_BYTES = 32
SIGNATURE_VERSION = "v1"
# The specification's reference libraries accept five minutes either way; a wider window
# would let a captured delivery be replayed for longer.
DEFAULT_TOLERANCE_SECONDS = 5 * 60

HEADER_ID = "webhook-id"
HEADER_TIMESTAMP = "webhook-timestamp"
HEADER_SIGNATURE = "webhook-signature"


class WebhookVerificationError(ValueError):
    """A delivery whose headers or signature do not prove it came from us, recently."""


def parse_secret(secret: str) -> bytes:
    """Return the HMAC key inside a `whsec_<base64>` secret, or raise ValueError saying why."""
    if not secret.startswith(SECRET_PREFIX):
        raise ValueError(f"A webhook secret must start with {SECRET_PREFIX!r}.")
    encoded = secret.removeprefix(SECRET_PREFIX)
    try:
        # The specification uses standard base64 ("+" and "/"), not the url-safe alphabet;
        # validate=True refuses stray characters instead of silently dropping them.
        key = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as error:
        raise ValueError(
            f"A webhook secret must be {SECRET_PREFIX!r} followed by standard base64."
        ) from error
    if not MIN_SECRET_BYTES <= len(key) <= MAX_SECRET_BYTES:
        raise ValueError(
            f"A webhook secret must hold {MIN_SECRET_BYTES} to {MAX_SECRET_BYTES} random bytes;"
            f" this one holds {len(key)}."
        )
    return key


def generate_secret(num_bytes: int = DEFAULT_SECRET_BYTES) -> str:
    """Return a fresh `whsec_` secret for an admin who does not bring their own."""
    if not MIN_SECRET_BYTES <= num_bytes <= MAX_SECRET_BYTES:
        raise ValueError(
            f"A webhook secret holds {MIN_SECRET_BYTES} to {MAX_SECRET_BYTES} bytes,"
            f" not {num_bytes}."
        )
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(num_bytes)).decode("ascii")


def sign(secret: bytes, msg_id: str, timestamp: int, body: bytes) -> str:
    """Return `v1,<base64 HMAC-SHA256 of "{msg_id}.{timestamp}.{body}">`."""
    signed_content = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret, signed_content, hashlib.sha256).digest()
    return f"{SIGNATURE_VERSION},{base64.b64encode(digest).decode('ascii')}"


def signature_headers(
    secret: str | bytes, msg_id: str, timestamp: int, body: bytes
) -> dict[str, str]:
    """Return the three headers a delivery carries; `secret` is a `whsec_` string or its key."""
    key = parse_secret(secret) if isinstance(secret, str) else secret
    return {
        HEADER_ID: msg_id,
        HEADER_TIMESTAMP: str(timestamp),
        HEADER_SIGNATURE: sign(key, msg_id, timestamp, body),
    }


def verify(
    secret: str | bytes,
    headers: Mapping[str, str],
    body: bytes,
    *,
    tolerance_seconds: int = DEFAULT_TOLERANCE_SECONDS,
    now: int | None = None,
) -> None:
    """Raise WebhookVerificationError unless the delivery is signed with `secret` and recent.

    `headers` may use any letter case. `webhook-signature` may list several space-separated
    signatures (the specification's way to rotate secrets); one valid `v1` signature suffices.
    `now` (Unix seconds) is for tests; by default it is the current time.
    """
    key = parse_secret(secret) if isinstance(secret, str) else secret
    lowered = {name.lower(): value for name, value in headers.items()}
    msg_id = _required_header(lowered, HEADER_ID)
    timestamp = _parse_timestamp(_required_header(lowered, HEADER_TIMESTAMP))
    signatures = _required_header(lowered, HEADER_SIGNATURE).split()

    current = int(time.time()) if now is None else now
    # Checked before the signature so a replayed old delivery is refused even if genuine.
    if abs(current - timestamp) > tolerance_seconds:
        raise WebhookVerificationError(
            f"The {HEADER_TIMESTAMP} is more than {tolerance_seconds} seconds away from now."
        )

    expected = sign(key, msg_id, timestamp, body)
    for candidate in signatures:
        version, _, _ = candidate.partition(",")
        if version == SIGNATURE_VERSION and hmac.compare_digest(candidate, expected):
            return
    raise WebhookVerificationError("No valid signature in the webhook-signature header.")


def _required_header(headers: Mapping[str, str], name: str) -> str:
    value = headers.get(name, "").strip()
    if not value:
        raise WebhookVerificationError(f"The {name} header is missing.")
    return value


def _parse_timestamp(value: str) -> int:
    if not value.isascii() or not value.isdigit():
        raise WebhookVerificationError(
            f"The {HEADER_TIMESTAMP} header must be whole Unix seconds, not {value!r}."
        )
    return int(value)
