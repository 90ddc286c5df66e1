"""Appointing a VCP the one way the platform allows: the admin appoints by name and address,
then the VCP registers their own key with their own token (an admin cannot set it)."""

from __future__ import annotations

from collections.abc import Mapping

import httpx

from shared.crypto import PrivateKey, PublicKey
from shared.crypto.signing import signing_public_key


def appoint_vcp(
    reports: httpx.Client,
    org: str,
    vcp_id: str,
    key: PublicKey | PrivateKey | None,
    *,
    admin: Mapping[str, str],
    vcp: Mapping[str, str] | None = None,
    name: str | None = None,
    email: str | None = None,
) -> str | None:
    """Appoint `vcp_id` in `org` (headers `admin`), then, given a `key`, PUT it with the VCP's
    own headers `vcp`; returns the key's fingerprint (None without a key). A private key
    registers its signing key too (as the CLI and the /vcp page do); a public key alone is
    registered as an older client did, without one."""
    appointed = reports.post(
        f"/v1/orgs/{org}/vcps",
        json={
            "vcp_id": vcp_id,
            "name": name or f"VCP {vcp_id}",
            "email": email or f"{vcp_id}@example.org",
        },
        headers=dict(admin),
    )
    assert appointed.status_code == 201, appointed.text
    if key is None:
        return None
    assert vcp is not None, "the VCP's own token sets their key"
    public = key.public_key if isinstance(key, PrivateKey) else key
    body: dict[str, object] = {"public_key": public.model_dump()}
    if isinstance(key, PrivateKey):
        body["signing_key"] = signing_public_key(key)
    registered = reports.put(
        f"/v1/orgs/{org}/vcps/{vcp_id}/public-key",
        json=body,
        headers=dict(vcp),
    )
    assert registered.status_code == 200, registered.text
    fingerprint: str = registered.json()["fingerprint"]
    assert fingerprint == public.fingerprint()
    return fingerprint
