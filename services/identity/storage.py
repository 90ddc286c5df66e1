"""identity's collections.

Memberships are per organisation (tenant collections), but signing in starts from an
address alone, so they are also looked up by address across organisations: that is
identity's purpose, and the only cross-organisation read (see `memberships_by_address`).
Codes and refresh tokens belong to a person, not to an organisation.
"""

from typing import Protocol

from pymongo.asynchronous.collection import AsyncCollection

from shared.runtime.rate_limit import RATE_LIMIT_INDEXES, RATE_LIMITS
from shared.storage.database import IndexSpec
from shared.storage.tenancy import Document

__all__ = ["RATE_LIMITS"]

ORGANISATIONS = "organisations"
MEMBERSHIPS = "memberships"
PEOPLE = "people"
SIGN_IN_CODES = "sign_in_codes"
REFRESH_TOKENS = "refresh_tokens"
# A person's passkeys (credential id, public key, counter), keyed by their address, and the
# one-time challenges of passkey ceremonies (hashed), both the person's, not an organisation's.
PASSKEYS = "passkeys"
# The operators added or removed beyond SAFEHANDS_OPERATOR_EMAILS (domain/operators.py), one
# row per address, under the tenant PLATFORM_ORG: written in the transaction that announces
# the change (OperatorAdded, OperatorRemoved) and records it in the platform's audit log.
OPERATORS = "operators"
PASSKEY_CHALLENGES = "passkey_challenges"
# VCPs appointed without a key, to be mailed an invitation (with a sign-in link) by the
# `vcp_invitations` job: the event handler only notes them, as the link must not exist
# before the membership is committed, and never travels anywhere but in the mail.
VCP_INVITATIONS = "vcp_invitations"
# Sent invitations are kept a while (what was sent when), then removed by the database.
SENT_INVITATIONS_KEPT_SECONDS = 30 * 24 * 3600

# Expired codes and sessions are removed by the database a day after they stopped working.
CLEANUP_AFTER_SECONDS = 24 * 3600

INDEXES = (
    IndexSpec(ORGANISATIONS, (), unique=True),
    IndexSpec(MEMBERSHIPS, (("member_id", 1),), unique=True),
    IndexSpec(MEMBERSHIPS, (("kind", 1), ("email", 1))),
    IndexSpec(MEMBERSHIPS, (("email", 1),), tenant=False),
    IndexSpec(PEOPLE, (("email", 1),), unique=True, tenant=False),
    IndexSpec(SIGN_IN_CODES, (("code_hash", 1),), unique=True, tenant=False),
    IndexSpec(
        SIGN_IN_CODES,
        (("expires_at", 1),),
        tenant=False,
        expire_after_seconds=CLEANUP_AFTER_SECONDS,
    ),
    IndexSpec(REFRESH_TOKENS, (("token_hash", 1),), unique=True, tenant=False),
    IndexSpec(REFRESH_TOKENS, (("chain_id", 1),), tenant=False),
    # A person's devices (their sessions) and the sessions a passkey started.
    IndexSpec(REFRESH_TOKENS, (("email", 1),), tenant=False),
    IndexSpec(REFRESH_TOKENS, (("passkey_id", 1),), tenant=False),
    IndexSpec(PASSKEYS, (("credential_id", 1),), unique=True, tenant=False),
    IndexSpec(PASSKEYS, (("passkey_id", 1),), unique=True, tenant=False),
    IndexSpec(PASSKEYS, (("email", 1),), tenant=False),
    IndexSpec(PASSKEY_CHALLENGES, (("challenge_hash", 1),), unique=True, tenant=False),
    IndexSpec(
        PASSKEY_CHALLENGES,
        (("expires_at", 1),),
        tenant=False,
        expire_after_seconds=CLEANUP_AFTER_SECONDS,
    ),
    IndexSpec(
        REFRESH_TOKENS,
        (("expires_at", 1),),
        tenant=False,
        expire_after_seconds=CLEANUP_AFTER_SECONDS,
    ),
    IndexSpec(OPERATORS, (("email", 1),), unique=True),
    IndexSpec(OPERATORS, (("operator_id", 1),)),
    *RATE_LIMIT_INDEXES,
    IndexSpec(VCP_INVITATIONS, (("vcp_id", 1),), unique=True),
    # The job looks for unsent ones across organisations (sent_at None).
    IndexSpec(
        VCP_INVITATIONS,
        (("sent_at", 1),),
        tenant=False,
        expire_after_seconds=SENT_INVITATIONS_KEPT_SECONDS,
    ),
)


class PlatformStore(Protocol):
    """Where identity keeps what belongs to a person rather than to one organisation (codes,
    refresh tokens, people) and reads memberships by address: the service's database
    (`runtime.db`), or the fake one of the unit tests. Its writes are single atomic steps,
    not a transaction: a sign-in or a token request must never roll back what it decided,
    such as revoking a session whose token was used twice."""

    def platform_collection(self, name: str) -> AsyncCollection[Document]: ...
