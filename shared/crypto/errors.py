"""Exceptions raised by the crypto package.

Messages are meant to be shown to a person, so they never carry plaintext, key bytes,
passphrases or receipts; fingerprints and suite names are public and may appear.
"""

from __future__ import annotations


class CryptoError(Exception):
    """Base class, so callers can catch everything from this package in one place."""


class DecryptionError(CryptoError):
    """An envelope could not be opened: wrong key, wrong context, or altered bytes.

    AEAD failures cannot tell those causes apart, so neither do we.
    """


class KeyFileError(CryptoError):
    """A key file is malformed or does not match what it claims to hold."""


class WrongPassphraseError(KeyFileError):
    """The passphrase or recovery code does not unlock the key file."""
