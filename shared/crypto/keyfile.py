"""A VCP's private key at rest: a JSON file encrypted under a passphrase.

The private key is wrapped twice with AES-256-GCM, once under an Argon2id key from the
passphrase and once under an Argon2id key from a recovery code printed at key
generation. Losing the passphrase then costs a rewrap, not every report sealed to the
key, without an escrow that would let anyone else read.

The pure functions build and open `KeyFile` models; the few functions taking a path do
the file I/O around them.
"""

from __future__ import annotations

import json
import os
import secrets
import unicodedata
from pathlib import Path
from typing import Final, Literal, Self

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from shared.crypto.encoding import (
    BASE32_ALPHABET,
    b64url_decode,
    b64url_encode,
    b64url_length,
    normalize_base32,
)
from shared.crypto.errors import KeyFileError, WrongPassphraseError
from shared.crypto.keys import (
    AEAD_TAG_LEN,
    DEFAULT_SUITE,
    PRIVATE_KEY_LEN,
    PrivateKey,
    PublicKey,
    SuiteName,
)
from shared.private_files import write_private_file

KEYFILE_FORMAT: Final = "safehands-vcp-key"
KEYFILE_VERSION: Final = 1
SALT_LEN: Final = 16
NONCE_LEN: Final = 12
WRAP_KEY_LEN: Final = 32
RECOVERY_CODE_LEN: Final = 32  # 32 x 5 bits = 160 bits, far beyond guessing even offline
# Upper bounds keep a crafted key file from making us allocate or spin without limit.
MAX_MEMORY_COST_KIB: Final = 4 * 1024 * 1024
MAX_ITERATIONS: Final = 64
MAX_LANES: Final = 64
MAX_KEYFILE_BYTES: Final = 64 * 1024

Slot = Literal["passphrase", "recovery"]


class KdfParams(BaseModel):
    """Argon2id parameters; memory_cost is in KiB as in `cryptography` and RFC 9106."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: Literal["argon2id"] = "argon2id"
    memory_cost: int = Field(ge=8, le=MAX_MEMORY_COST_KIB)
    iterations: int = Field(ge=1, le=MAX_ITERATIONS)
    lanes: int = Field(ge=1, le=MAX_LANES)

    @model_validator(mode="after")
    def _check_memory(self) -> Self:
        if self.memory_cost < 8 * self.lanes:
            raise ValueError("Argon2 needs a memory_cost of at least 8 KiB per lane")
        return self


# RFC 9106 second recommended option (64 MiB, t=3, p=4): a fraction of a second per
# unlock for the VCP, and memory-hard for anyone guessing passphrases offline.
DEFAULT_KDF_PARAMS: Final = KdfParams(memory_cost=64 * 1024, iterations=3, lanes=4)


def _check_b64_len(value: str, length: int, what: str) -> str:
    if len(b64url_decode(value)) != length:
        raise ValueError(f"the {what} must be {length} bytes")
    return value


class WrappedKey(BaseModel):
    """The private key encrypted under one secret (passphrase or recovery code)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kdf: KdfParams
    salt: str = Field(max_length=b64url_length(SALT_LEN))
    nonce: str = Field(max_length=b64url_length(NONCE_LEN))
    ciphertext: str = Field(max_length=b64url_length(max(PRIVATE_KEY_LEN.values()) + AEAD_TAG_LEN))

    @field_validator("salt")
    @classmethod
    def _check_salt(cls, value: str) -> str:
        return _check_b64_len(value, SALT_LEN, "salt")

    @field_validator("nonce")
    @classmethod
    def _check_nonce(cls, value: str) -> str:
        return _check_b64_len(value, NONCE_LEN, "nonce")

    @field_validator("ciphertext")
    @classmethod
    def _check_ciphertext(cls, value: str) -> str:
        b64url_decode(value)
        return value


class KeyFile(BaseModel):
    """The JSON content of a key file."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    format: Literal["safehands-vcp-key"]
    version: Literal[1]
    suite: SuiteName
    public_key: PublicKey
    fingerprint: str
    passphrase: WrappedKey
    recovery: WrappedKey

    @field_validator("version", mode="before")
    @classmethod
    def _check_version(cls, value: object) -> object:
        # Literal[1] alone would take true or 1.0 for the version number.
        if type(value) is not int:
            raise ValueError("version must be the integer 1")
        return value

    @model_validator(mode="after")
    def _check_consistent(self) -> Self:
        if self.public_key.suite != self.suite:
            raise ValueError("the suite does not match the public key's suite")
        if self.fingerprint != self.public_key.fingerprint():
            raise ValueError("the fingerprint does not match the public key")
        expected = PRIVATE_KEY_LEN[self.suite] + AEAD_TAG_LEN
        for wrapped in (self.passphrase, self.recovery):
            if len(b64url_decode(wrapped.ciphertext)) != expected:
                raise ValueError(f"a wrapped {self.suite} private key is {expected} bytes")
        return self


def generate_recovery_code() -> str:
    """A fresh recovery code, 32 base32 characters shown in groups of four."""
    code = "".join(secrets.choice(BASE32_ALPHABET) for _ in range(RECOVERY_CODE_LEN))
    return "-".join(code[i : i + 4] for i in range(0, RECOVERY_CODE_LEN, 4))


def normalize_recovery_code(text: str) -> str:
    return normalize_base32(text, RECOVERY_CODE_LEN, "recovery code")


def _passphrase_bytes(passphrase: str) -> bytes:
    if not passphrase:
        raise ValueError("the passphrase must not be empty")
    # NFC, so the same passphrase typed on systems that compose accents differently
    # still derives the same key.
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def _derive(secret: bytes, salt: bytes, params: KdfParams) -> bytes:
    return Argon2id(
        salt=salt,
        length=WRAP_KEY_LEN,
        iterations=params.iterations,
        lanes=params.lanes,
        memory_cost=params.memory_cost,
    ).derive(secret)


def _aad(public_key: PublicKey, slot: Slot, params: KdfParams) -> bytes:
    # Binding the header means swapping in another public key, moving a wrapped key to
    # the other slot, or weakening the KDF parameters makes decryption fail.
    header = {
        "format": KEYFILE_FORMAT,
        "version": KEYFILE_VERSION,
        "suite": public_key.suite,
        "public_key": public_key.key,
        "slot": slot,
        "kdf": params.model_dump(),
    }
    return json.dumps(header, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _wrap(private_key: PrivateKey, secret: bytes, slot: Slot, params: KdfParams) -> WrappedKey:
    salt = secrets.token_bytes(SALT_LEN)
    nonce = secrets.token_bytes(NONCE_LEN)
    ciphertext = AESGCM(_derive(secret, salt, params)).encrypt(
        nonce, private_key.to_bytes(), _aad(private_key.public_key, slot, params)
    )
    return WrappedKey(
        kdf=params,
        salt=b64url_encode(salt),
        nonce=b64url_encode(nonce),
        ciphertext=b64url_encode(ciphertext),
    )


def _unwrap(keyfile: KeyFile, secret: bytes, slot: Slot) -> PrivateKey:
    wrapped = keyfile.passphrase if slot == "passphrase" else keyfile.recovery
    key = _derive(secret, b64url_decode(wrapped.salt), wrapped.kdf)
    try:
        raw = AESGCM(key).decrypt(
            b64url_decode(wrapped.nonce),
            b64url_decode(wrapped.ciphertext),
            _aad(keyfile.public_key, slot, wrapped.kdf),
        )
    except InvalidTag:
        what = "passphrase" if slot == "passphrase" else "recovery code"
        raise WrongPassphraseError(f"wrong {what}, or the key file was altered") from None
    private_key = PrivateKey.from_bytes(keyfile.suite, raw)
    if private_key.public_key != keyfile.public_key:
        raise KeyFileError("the key file's private key does not match its public key")
    return private_key


def protect_private_key(
    private_key: PrivateKey,
    passphrase: str,
    recovery_code: str,
    *,
    params: KdfParams = DEFAULT_KDF_PARAMS,
) -> KeyFile:
    """Wrap private_key under both the passphrase and the recovery code."""
    public_key = private_key.public_key
    return KeyFile(
        format=KEYFILE_FORMAT,
        version=KEYFILE_VERSION,
        suite=private_key.suite,
        public_key=public_key,
        fingerprint=public_key.fingerprint(),
        passphrase=_wrap(private_key, _passphrase_bytes(passphrase), "passphrase", params),
        recovery=_wrap(
            private_key,
            normalize_recovery_code(recovery_code).encode("ascii"),
            "recovery",
            params,
        ),
    )


def unlock_with_passphrase(keyfile: KeyFile, passphrase: str) -> PrivateKey:
    return _unwrap(keyfile, _passphrase_bytes(passphrase), "passphrase")


def unlock_with_recovery_code(keyfile: KeyFile, recovery_code: str) -> PrivateKey:
    return _unwrap(keyfile, normalize_recovery_code(recovery_code).encode("ascii"), "recovery")


def rewrap_key_file(
    keyfile: KeyFile,
    recovery_code: str,
    new_passphrase: str,
    *,
    params: KdfParams = DEFAULT_KDF_PARAMS,
) -> KeyFile:
    """Replace the passphrase wrapping, proving possession with the recovery code.

    The recovery wrapping is kept, so the same printed code keeps working.
    """
    private_key = unlock_with_recovery_code(keyfile, recovery_code)
    wrapped = _wrap(private_key, _passphrase_bytes(new_passphrase), "passphrase", params)
    return keyfile.model_copy(update={"passphrase": wrapped})


def dump_key_file(keyfile: KeyFile) -> bytes:
    return (keyfile.model_dump_json(indent=2) + "\n").encode("utf-8")


def parse_key_file(data: bytes) -> KeyFile:
    try:
        return KeyFile.model_validate_json(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "file"
        raise KeyFileError(f"not a valid SafeHands key file ({where}: {first['msg']})") from None


# --- file I/O -------------------------------------------------------------------------


def save_key_file(
    path: str | os.PathLike[str], keyfile: KeyFile, *, overwrite: bool = False
) -> None:
    write_private_file(Path(path), dump_key_file(keyfile), overwrite=overwrite)


def read_key_file(path: str | os.PathLike[str]) -> KeyFile:
    with Path(path).open("rb") as handle:
        data = handle.read(MAX_KEYFILE_BYTES + 1)
    if len(data) > MAX_KEYFILE_BYTES:
        raise KeyFileError(f"{path} is too large to be a key file")
    return parse_key_file(data)


def create_key_file(
    path: str | os.PathLike[str],
    passphrase: str,
    *,
    suite: SuiteName = DEFAULT_SUITE,
    params: KdfParams = DEFAULT_KDF_PARAMS,
    overwrite: bool = False,
) -> tuple[PrivateKey, str]:
    """Generate a key pair, save it encrypted, return it with the recovery code.

    The recovery code is returned once, to be printed for the VCP; it is not stored.
    """
    private_key = PrivateKey.generate(suite)
    recovery_code = generate_recovery_code()
    keyfile = protect_private_key(private_key, passphrase, recovery_code, params=params)
    save_key_file(path, keyfile, overwrite=overwrite)
    return private_key, recovery_code


def load_private_key(path: str | os.PathLike[str], passphrase: str) -> PrivateKey:
    return unlock_with_passphrase(read_key_file(path), passphrase)


def load_private_key_with_recovery_code(
    path: str | os.PathLike[str], recovery_code: str
) -> PrivateKey:
    return unlock_with_recovery_code(read_key_file(path), recovery_code)


def rewrap(
    path: str | os.PathLike[str],
    recovery_code: str,
    new_passphrase: str,
    *,
    params: KdfParams = DEFAULT_KDF_PARAMS,
) -> None:
    """Re-encrypt the key file at path under new_passphrase, unlocking it with the code."""
    keyfile = rewrap_key_file(read_key_file(path), recovery_code, new_passphrase, params=params)
    save_key_file(path, keyfile, overwrite=True)
