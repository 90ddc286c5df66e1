from __future__ import annotations

import base64
import json
import stat
from pathlib import Path
from typing import Any

import pytest

from shared.crypto import (
    DEFAULT_KDF_PARAMS,
    SUITE_HYBRID,
    SUITES,
    KdfParams,
    KeyFileError,
    PrivateKey,
    SuiteName,
    WrongPassphraseError,
    create_key_file,
    generate_recovery_code,
    load_private_key,
    load_private_key_with_recovery_code,
    normalize_recovery_code,
    open_envelope,
    protect_private_key,
    read_key_file,
    report_context,
    rewrap,
    save_key_file,
    seal,
)

# Argon2's minimum cost keeps the tests fast; the default is checked separately.
CHEAP = KdfParams(memory_cost=8, iterations=1, lanes=1)
PASSPHRASE = "correct horse battery staple"


def test_default_params_are_moderate() -> None:
    assert DEFAULT_KDF_PARAMS.name == "argon2id"
    assert DEFAULT_KDF_PARAMS.memory_cost == 64 * 1024  # KiB
    assert DEFAULT_KDF_PARAMS.iterations == 3


def test_recovery_code_is_typable_and_high_entropy() -> None:
    codes = {generate_recovery_code() for _ in range(100)}
    assert len(codes) == 100
    for code in codes:
        groups = code.split("-")
        assert len(groups) == 8
        assert all(len(g) == 4 for g in groups)
        assert normalize_recovery_code(code.lower().replace("-", " ")) == code.replace("-", "")


def test_recovery_code_rejects_garbage() -> None:
    with pytest.raises(ValueError, match="recovery code"):
        normalize_recovery_code("ABCD-EFGH")


def _forbidden_encodings(raw: bytes) -> list[str]:
    return [
        raw.hex(),
        raw.hex().upper(),
        base64.b64encode(raw).decode().rstrip("="),
        base64.urlsafe_b64encode(raw).decode().rstrip("="),
    ]


@pytest.mark.parametrize("suite", SUITES)
def test_save_and_load_with_passphrase(tmp_path: Path, suite: SuiteName) -> None:
    path = tmp_path / "vcp.key"
    private_key, recovery_code = create_key_file(path, PASSPHRASE, suite=suite, params=CHEAP)
    loaded = load_private_key(path, PASSPHRASE)
    assert loaded.public_key == private_key.public_key
    assert loaded.to_bytes() == private_key.to_bytes()
    assert load_private_key_with_recovery_code(path, recovery_code).fingerprint == (
        private_key.fingerprint
    )

    # The loaded key really opens what was sealed to the registered public key.
    context = report_context("org", "r")
    envelope = seal({"text": "hi"}, [read_key_file(path).public_key], context)
    assert open_envelope(envelope, loaded, context) == {"text": "hi"}


@pytest.mark.parametrize("suite", SUITES)
def test_file_never_contains_raw_private_key(tmp_path: Path, suite: SuiteName) -> None:
    path = tmp_path / "vcp.key"
    private_key, recovery_code = create_key_file(path, PASSPHRASE, suite=suite, params=CHEAP)
    raw_file = path.read_bytes()
    text = raw_file.decode("utf-8")
    secret = private_key.to_bytes()
    assert secret not in raw_file
    for encoded in _forbidden_encodings(secret):
        assert encoded not in text
    # Neither half of the hybrid key, nor the recovery code, nor the passphrase.
    for part in (secret[:32], secret[-32:]):
        assert part not in raw_file
        for encoded in _forbidden_encodings(part):
            assert encoded not in text
    assert recovery_code not in text
    assert recovery_code.replace("-", "") not in text
    assert PASSPHRASE not in text

    data = json.loads(text)
    assert data["format"] == "safehands-vcp-key"
    assert data["version"] == 1
    assert data["suite"] == suite
    assert data["public_key"] == private_key.public_key.model_dump()
    assert data["fingerprint"] == private_key.fingerprint
    assert data["passphrase"]["kdf"] == {
        "name": "argon2id",
        "memory_cost": 8,
        "iterations": 1,
        "lanes": 1,
    }
    assert set(data["passphrase"]) == {"kdf", "salt", "nonce", "ciphertext"}
    assert data["passphrase"]["salt"] != data["recovery"]["salt"]


def test_file_is_private_to_the_owner(tmp_path: Path) -> None:
    path = tmp_path / "vcp.key"
    create_key_file(path, PASSPHRASE, params=CHEAP)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["vcp.key"]


def test_existing_file_is_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "vcp.key"
    first, _ = create_key_file(path, PASSPHRASE, params=CHEAP)
    with pytest.raises(FileExistsError):
        create_key_file(path, PASSPHRASE, params=CHEAP)
    assert load_private_key(path, PASSPHRASE).fingerprint == first.fingerprint


def test_wrong_passphrase_fails_clearly(tmp_path: Path) -> None:
    path = tmp_path / "vcp.key"
    create_key_file(path, PASSPHRASE, params=CHEAP)
    with pytest.raises(WrongPassphraseError, match="wrong passphrase"):
        load_private_key(path, "Correct horse battery staple")
    with pytest.raises(ValueError, match="empty"):
        load_private_key(path, "")


def test_wrong_recovery_code_fails_clearly(tmp_path: Path) -> None:
    path = tmp_path / "vcp.key"
    create_key_file(path, PASSPHRASE, params=CHEAP)
    with pytest.raises(WrongPassphraseError, match="wrong recovery code"):
        load_private_key_with_recovery_code(path, generate_recovery_code())
    with pytest.raises(WrongPassphraseError):
        rewrap(path, generate_recovery_code(), "new", params=CHEAP)


def test_passphrase_is_unicode_normalised(tmp_path: Path) -> None:
    path = tmp_path / "vcp.key"
    composed = "caf\u00e9 au lait"
    decomposed = "cafe\u0301 au lait"
    create_key_file(path, composed, params=CHEAP)
    assert load_private_key(path, decomposed).suite == SUITE_HYBRID


def test_recovery_code_rewrap(tmp_path: Path) -> None:
    path = tmp_path / "vcp.key"
    private_key, recovery_code = create_key_file(path, PASSPHRASE, params=CHEAP)
    before = json.loads(path.read_text())

    typed = recovery_code.lower().replace("-", " ")
    rewrap(path, typed, "a new passphrase", params=CHEAP)

    after = json.loads(path.read_text())
    assert after["recovery"] == before["recovery"]
    assert after["passphrase"]["salt"] != before["passphrase"]["salt"]
    assert load_private_key(path, "a new passphrase").to_bytes() == private_key.to_bytes()
    with pytest.raises(WrongPassphraseError):
        load_private_key(path, PASSPHRASE)
    # The same printed code still works after the rewrap.
    assert load_private_key_with_recovery_code(path, recovery_code).fingerprint == (
        private_key.fingerprint
    )
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


# --- tampering with the file -----------------------------------------------------------


def _edit(path: Path, change: Any) -> None:
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))


def test_weakened_kdf_params_fail(tmp_path: Path) -> None:
    path = tmp_path / "vcp.key"
    key = PrivateKey.generate()
    keyfile = protect_private_key(
        key,
        PASSPHRASE,
        generate_recovery_code(),
        params=KdfParams(memory_cost=16, iterations=2, lanes=1),
    )
    save_key_file(path, keyfile)

    def weaken(data: dict[str, Any]) -> None:
        data["passphrase"]["kdf"]["iterations"] = 1

    _edit(path, weaken)
    with pytest.raises(WrongPassphraseError):
        load_private_key(path, PASSPHRASE)


def test_swapped_public_key_fails(tmp_path: Path) -> None:
    path = tmp_path / "vcp.key"
    create_key_file(path, PASSPHRASE, params=CHEAP)
    other = PrivateKey.generate().public_key

    def swap(data: dict[str, Any]) -> None:
        data["public_key"] = other.model_dump()
        data["fingerprint"] = other.fingerprint()

    _edit(path, swap)
    with pytest.raises(WrongPassphraseError):
        load_private_key(path, PASSPHRASE)


def test_slots_cannot_be_swapped(tmp_path: Path) -> None:
    path = tmp_path / "vcp.key"
    _, recovery_code = create_key_file(path, PASSPHRASE, params=CHEAP)

    def swap(data: dict[str, Any]) -> None:
        data["passphrase"], data["recovery"] = data["recovery"], data["passphrase"]

    _edit(path, swap)
    with pytest.raises(WrongPassphraseError):
        load_private_key(path, normalize_recovery_code(recovery_code))


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d.update(version=2),
        lambda d: d.update(format="something-else"),
        lambda d: d.update(fingerprint="0" * 32),
        lambda d: d.update(suite="X25519"),
        lambda d: d["passphrase"].update(nonce="AAAA"),
        lambda d: d["passphrase"].update(salt="!"),
        lambda d: d["passphrase"]["kdf"].update(memory_cost=10**9),
        lambda d: d["passphrase"]["kdf"].update(lanes=4, memory_cost=8),
        lambda d: d["recovery"].update(ciphertext=d["recovery"]["ciphertext"][:-4]),
        lambda d: d.pop("recovery"),
    ],
)
def test_malformed_files_are_rejected(tmp_path: Path, change: Any) -> None:
    path = tmp_path / "vcp.key"
    create_key_file(path, PASSPHRASE, params=CHEAP)
    _edit(path, change)
    with pytest.raises(KeyFileError, match="not a valid SafeHands key file"):
        load_private_key(path, PASSPHRASE)


def test_not_json_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "vcp.key"
    path.write_text("-----BEGIN PRIVATE KEY-----\n")
    with pytest.raises(KeyFileError):
        read_key_file(path)
