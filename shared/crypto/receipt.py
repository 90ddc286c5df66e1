"""The reporter's receipt and what is derived from it (docs/api.md, "Receipt").

The receipt is the reporter's only credential: from it alone they derive the mailbox
secret (whose hash the server stores) and the reply key pair (to which VCPs seal their
answers). The server never sees the receipt itself.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from typing import Final

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import mlkem, x25519
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from shared.crypto.encoding import BASE32_ALPHABET, normalize_base32
from shared.crypto.keys import (
    DEFAULT_SUITE,
    MLKEM768_SEED_LEN,
    SUITE_X25519,
    X25519_KEY_LEN,
    PrivateKey,
    PublicKey,
    SuiteName,
)

RECEIPT_LEN: Final = 26  # 26 x 5 bits = 130 bits of entropy
RECEIPT_SALT: Final = b"safehands/v1/receipt"
MAILBOX_SECRET_LEN: Final = 32
_DERIVED_LEN: Final = MAILBOX_SECRET_LEN + X25519_KEY_LEN + MLKEM768_SEED_LEN  # 128
# 26 splits into groups of 4 or 5 only as two 5s and four 4s.
_GROUPS: Final = (5, 5, 4, 4, 4, 4)


def generate_receipt() -> str:
    """A fresh receipt: 26 base32 characters drawn uniformly with `secrets`."""
    return "".join(secrets.choice(BASE32_ALPHABET) for _ in range(RECEIPT_LEN))


def normalize_receipt(text: str) -> str:
    """Upper-case, drop spaces and dashes, and check the result is a receipt."""
    return normalize_base32(text, RECEIPT_LEN, "receipt")


def format_receipt(receipt: str, separator: str = "-") -> str:
    """Display form in groups of 5 and 4, e.g. ABCDE-FGHIJ-KLMN-OPQR-STUV-WXYZ."""
    if separator not in ("-", " "):
        raise ValueError("the separator is a dash or a space")
    compact = normalize_receipt(receipt)
    groups: list[str] = []
    start = 0
    for size in _GROUPS:
        groups.append(compact[start : start + size])
        start += size
    return separator.join(groups)


def mailbox_lookup(mailbox_secret: bytes) -> str:
    """Hex SHA-256 of the mailbox secret: what the server stores and compares."""
    return hashlib.sha256(mailbox_secret).hexdigest()


@dataclass(frozen=True)
class ReceiptKeys:
    """Everything a reporter's client derives from a receipt for one organisation."""

    mailbox_secret: bytes = field(repr=False)
    reply_key: PrivateKey

    @property
    def secret_hex(self) -> str:
        """The mailbox `secret` as sent to `POST /v1/orgs/{org}/mailbox`."""
        return self.mailbox_secret.hex()

    @property
    def lookup(self) -> str:
        return mailbox_lookup(self.mailbox_secret)

    @property
    def reply_public_key(self) -> PublicKey:
        return self.reply_key.public_key


def derive_receipt_keys(receipt: str, org_id: str, suite: SuiteName = DEFAULT_SUITE) -> ReceiptKeys:
    """HKDF-SHA256(ikm=receipt, salt=RECEIPT_SALT, info=org_id, 128 bytes), split per docs/api.md.

    org_id as info gives unrelated secrets per organisation for the same receipt.
    """
    compact = normalize_receipt(receipt)
    okm = HKDF(
        algorithm=hashes.SHA256(),
        length=_DERIVED_LEN,
        salt=RECEIPT_SALT,
        info=org_id.encode("utf-8"),
    ).derive(compact.encode("ascii"))
    secret = okm[:MAILBOX_SECRET_LEN]
    x_key = x25519.X25519PrivateKey.from_private_bytes(
        okm[MAILBOX_SECRET_LEN : MAILBOX_SECRET_LEN + X25519_KEY_LEN]
    )
    if suite == SUITE_X25519:
        return ReceiptKeys(secret, PrivateKey(suite, x_key))
    mlkem_key = mlkem.MLKEM768PrivateKey.from_seed_bytes(okm[MAILBOX_SECRET_LEN + X25519_KEY_LEN :])
    return ReceiptKeys(secret, PrivateKey(suite, x_key, mlkem_key))
