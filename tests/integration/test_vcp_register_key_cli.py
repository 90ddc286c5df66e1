"""`safehands vcp register-key` against a real reports service: the VCP registers the key of
their key file with their own token; an admin's token cannot."""

from __future__ import annotations

import uuid
from pathlib import Path

from typer.testing import CliRunner

from cli import vcp as vcp_cli
from cli.main import app
from shared.crypto import KdfParams, PrivateKey, b64url_encode
from shared.crypto.signing import signing_public_key
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


def test_a_signing_key_is_optional_checked_and_added_to_a_key_set_without_one(
    platform: Platform,
) -> None:
    reports = platform.start("reports")
    org = f"org-{uuid.uuid4().hex[:6]}"
    key = PrivateKey.generate("X25519")
    vcp = bearer(platform.infra.token("vcp", org, "vera"))
    path = f"/v1/orgs/{org}/vcps/vera/public-key"
    with reports.client() as http:
        appointed = http.post(
            f"/v1/orgs/{org}/vcps",
            json={"vcp_id": "vera", "name": "Vera", "email": "vera@example.org"},
            headers=bearer(platform.infra.token("admin", org)),
        )
        assert appointed.status_code == 201, appointed.text
        public = key.public_key.model_dump()
        # Not 32 raw bytes, or not b64url: refused, nothing set.
        for bad in ("AAAA", "x" * 43 + "!", b64url_encode(bytes(33))):
            refused = http.put(path, json={"public_key": public, "signing_key": bad}, headers=vcp)
            assert refused.status_code == 422, refused.text
        assert http.get(f"/v1/orgs/{org}/vcp-keys").json() == []
        # An older client sets the key without one: still a valid key.
        assert http.put(path, json={"public_key": public}, headers=vcp).status_code == 200
        [row] = http.get(f"/v1/orgs/{org}/vcp-keys").json()
        assert row["signing_key"] is None
        # The same key again with its signing key adds it, to the key and its history.
        signing = signing_public_key(key)
        again = http.put(path, json={"public_key": public, "signing_key": signing}, headers=vcp)
        assert again.status_code == 200, again.text
        [row] = http.get(f"/v1/orgs/{org}/vcp-keys").json()
        assert row["signing_key"] == signing
        [entry] = http.get(f"/v1/orgs/{org}/vcp-key-history", headers=vcp).json()
        assert entry["signing_key"] == signing
