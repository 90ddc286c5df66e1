"""`safehands vcp keygen` and `vcp recover` through the real command line (no network)."""

from __future__ import annotations

import re
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from shared.crypto import WrongPassphraseError, load_private_key, read_key_file

runner = CliRunner()
CODE = re.compile(r"\b(?:[A-Z2-7]{4}-){7}[A-Z2-7]{4}\b")


def keygen(path: Path, passphrase: str, *extra: str) -> tuple[int, str]:
    result = runner.invoke(
        app,
        ["vcp", "keygen", "--key-file", str(path), *extra],
        env={"SH_VCP_PASSPHRASE": passphrase, "COLUMNS": "200"},
    )
    return result.exit_code, result.output


def test_keygen_writes_a_private_key_file_and_prints_key_and_recovery_code(
    tmp_path: Path,
) -> None:
    path = tmp_path / "nested" / "vcp.json"
    code, output = keygen(path, "lang leve de vereniging")
    assert code == 0, output
    keyfile = read_key_file(path)
    assert keyfile.suite == "MLKEM768-X25519"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert keyfile.fingerprint in output
    assert keyfile.public_key.key[:40] in output.replace("\n", "")
    (recovery_code,) = CODE.findall(output)
    # The recovery code is printed, never stored in the file.
    assert recovery_code not in path.read_text()
    assert load_private_key(path, "lang leve de vereniging").public_key == keyfile.public_key


def test_keygen_never_overwrites_a_key(tmp_path: Path) -> None:
    path = tmp_path / "vcp.json"
    assert keygen(path, "eerste", "--suite", "X25519")[0] == 0
    before = path.read_bytes()
    code, output = keygen(path, "tweede")
    assert code == 1
    assert "already exists" in output
    assert path.read_bytes() == before


def test_unknown_suite_is_refused(tmp_path: Path) -> None:
    code, output = keygen(tmp_path / "vcp.json", "x", "--suite", "RSA")
    assert code == 1 and "Unknown suite" in output
    assert not (tmp_path / "vcp.json").exists()


def test_recovery_code_sets_a_new_passphrase(tmp_path: Path) -> None:
    path = tmp_path / "vcp.json"
    _, output = keygen(path, "vergeten", "--suite", "X25519")
    (recovery_code,) = CODE.findall(output)
    public_key = read_key_file(path).public_key

    wrong = runner.invoke(
        app,
        ["vcp", "recover", "--key-file", str(path)],
        input="AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA\n",
        env={"SH_VCP_PASSPHRASE": "nieuw"},
    )
    assert wrong.exit_code == 1 and "wrong recovery code" in wrong.output

    result = runner.invoke(
        app,
        ["vcp", "recover", "--key-file", str(path)],
        input=recovery_code.lower() + "\n",
        env={"SH_VCP_PASSPHRASE": "nieuw"},
    )
    assert result.exit_code == 0, result.output
    assert load_private_key(path, "nieuw").public_key == public_key
    with pytest.raises(WrongPassphraseError):
        load_private_key(path, "vergeten")


def test_keygen_register_needs_the_vcps_own_token_before_anything_is_made(
    tmp_path: Path,
) -> None:
    path = tmp_path / "vcp.json"
    result = runner.invoke(
        app,
        ["vcp", "keygen", "--key-file", str(path), "--register"],
        env={"SH_VCP_PASSPHRASE": "x", "SH_TOKEN": "", "COLUMNS": "200"},
    )
    assert result.exit_code == 1
    assert "needs your own VCP token" in result.output
    assert not path.exists()


def test_register_key_without_a_key_file_says_how_to_make_one(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        ["vcp", "register-key", "--key-file", str(tmp_path / "none.json"), "--token", "t"],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 1
    assert "safehands vcp keygen" in result.output
