"""Appointing a VCP the one way the platform allows: the admin appoints by name and address,
then the VCP registers their own key with their own token (an admin cannot set it). And,
for a platform without reports, the appointment as its event, with reports sealed to it."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

import httpx

from shared.crypto import PrivateKey, PublicKey, report_context, seal
from shared.crypto.signing import signing_public_key
from shared.events.cloudevents import encode
from shared.events.reports import VCPAppointed
from tests.support.kafka import produce


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


async def announce_vcp(
    bootstrap: str, org: str, key: PrivateKey | None = None, vcp_id: str = "anna"
) -> PrivateKey:
    """Put a VCP's key on the topic as reports announces an appointment (VCPAppointed), for
    a platform that runs intake without reports; returns the private key. intake takes a
    report for `org` once its copy or projection holds the key."""
    key = key or PrivateKey.generate("X25519")
    appointed = encode(
        VCPAppointed(
            org_id=org,
            vcp_id=vcp_id,
            name=vcp_id.capitalize(),
            email=f"{vcp_id}@example.org",
            public_key=key.public_key.model_dump(),
            fingerprint=key.fingerprint,
        ),
        "/safehands/reports",
    )
    await produce(bootstrap, appointed.topic, appointed.value, appointed.key, appointed.headers)
    return key


def sealed_report(org: str, key: PrivateKey, description: str = "honest") -> dict[str, Any]:
    """A report submission sealed to `key`, with a fresh id and mailbox, as a reporter's
    client sends it to intake."""
    report_id = str(uuid.uuid4())
    return {
        "report_id": report_id,
        "envelope": seal(
            {"category": "other", "description": description, "wants_contact": False},
            [key.public_key],
            report_context(org, report_id),
        ).model_dump(mode="json"),
        "mailbox": {
            "lookup": uuid.uuid4().hex * 2,
            "reply_key": PrivateKey.generate("X25519").public_key.model_dump(),
        },
    }
