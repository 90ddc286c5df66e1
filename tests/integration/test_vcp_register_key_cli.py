"""`safehands vcp register-key` against a real reports service: the VCP registers the key of
their key file with their own token; an admin's token cannot."""

from __future__ import annotations

import uuid
from pathlib import Path

from typer.testing import CliRunner

from cli import vcp as vcp_cli
from cli.main import app
from shared.crypto import KdfParams
from tests.support.platform import Platform, bearer

LIGHT_KDF = KdfParams(memory_cost=1024, iterations=1, lanes=1)
runner = CliRunner()


def test_a_vcp_registers_their_key_file_with_their_own_token(
    platform: Platform, tmp_path: Path
) -> None:
    reports = platform.start("reports")
    org = f"org-{uuid.uuid4().hex[:6]}"
    key_file = vcp_cli.keygen(tmp_path / "vera.json", "geheim", params=LIGHT_KDF)
    with reports.client() as http:
        appointed = http.post(
            f"/v1/orgs/{org}/vcps",
            json={"vcp_id": "vera", "name": "Vera", "email": "vera@example.org"},
            headers=bearer(platform.infra.token("admin", org)),
        )
        assert appointed.status_code == 201, appointed.text

        def register(token: str) -> tuple[int, str]:
            result = runner.invoke(
                app,
                ["vcp", "register-key", "--key-file", str(key_file.path), "--org", org],
                env={
                    "SH_TOKEN": token,
                    "SH_REPORTS_URL": reports.url,
                    "SH_VCP_PASSPHRASE": "geheim",
                    "COLUMNS": "200",
                },
            )
            return result.exit_code, result.output

        # An admin's token names no VCP of the path: refused, nothing registered.
        code, output = register(platform.infra.token("admin", org, "vera"))
        assert code == 1 and "403" in output, output
        assert http.get(f"/v1/orgs/{org}/vcp-keys").json() == []

        code, output = register(platform.infra.token("vcp", org, "vera"))
        assert code == 0, output
        assert key_file.public_key.fingerprint() in output
        [key] = http.get(f"/v1/orgs/{org}/vcp-keys").json()
    assert (key["vcp_id"], key["fingerprint"]) == ("vera", key_file.public_key.fingerprint())
    # The signing key derived from the same key file is published beside it.
    assert key["signing_key"] == key_file.signing_key
