"""`safehands token` records the membership it mints for (cli/memberships.py): where, and
what it says when it cannot. The recording itself runs on the real database in
tests/integration/test_membership_everywhere.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.embedded import free_port
from cli.main import app
from cli.memberships import local_database, member_id_for, remember_local_platform
from shared.settings import load_settings


def test_member_ids_follow_identity_s_naming() -> None:
    assert member_id_for("admin", "ada") == "ada"
    assert member_id_for("coordinator", "cora") == "cora"
    assert member_id_for("vcp", "vera") == "vcp:vera"
    assert member_id_for("volunteer", "v-1") == "volunteer:v-1"


def test_the_database_safehands_up_noted_unless_one_is_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SAFEHANDS_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("SAFEHANDS_MONGO_URI", raising=False)
    monkeypatch.delenv("SAFEHANDS_MONGO_DATABASE", raising=False)
    defaults = load_settings()
    assert local_database(defaults) == (defaults.mongo_uri, "safehands")
    remember_local_platform(tmp_path, "mongodb://127.0.0.1:4711/?directConnection=true", "demo")
    assert local_database(load_settings()) == (
        "mongodb://127.0.0.1:4711/?directConnection=true",
        "demo",
    )
    monkeypatch.setenv("SAFEHANDS_MONGO_URI", "mongodb://db.example:27017")
    assert local_database(load_settings()) == ("mongodb://db.example:27017", "safehands")


def test_a_token_whose_membership_cannot_be_recorded_is_not_printed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SAFEHANDS_DATA_DIR", str(tmp_path))
    closed = f"mongodb://127.0.0.1:{free_port()}/?directConnection=true"
    monkeypatch.setenv("SAFEHANDS_MONGO_URI", closed)
    result = CliRunner().invoke(app, ["token", "--role", "admin", "--org", "demo"])
    assert result.exit_code == 2
    assert "does not answer" in result.output and "safehands up" in result.output
    assert "eyJ" not in result.output
    # The operator belongs to no organisation: nothing to record, no database needed.
    operator = CliRunner().invoke(app, ["token", "--role", "operator"])
    assert operator.exit_code == 0 and operator.output.startswith("eyJ")
