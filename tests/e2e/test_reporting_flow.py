"""A confidential report from submission to hand-over, over HTTP against the four services
as separate processes, with the CLI's own functions as reporter's and VCPs' clients."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from pymongo import MongoClient

from cli import report as reporter
from cli import vcp as vcp_cli
from cli.reporting_client import ReportingApi
from shared.crypto import (
    DecryptionError,
    Envelope,
    KdfParams,
    PrivateKey,
    ReportBody,
    b64url_encode,
    generate_receipt,
    load_private_key,
    open_envelope,
    report_context,
)
from shared.events.reports import (
    ReportAcknowledged,
    ReportKeyShared,
    ReportMessagePosted,
    ReportStatusChanged,
)
from tests.support.kafka import read_topic
from tests.support.platform import Infrastructure, RunningService, eventually

pytestmark = pytest.mark.e2e

# Key files in tests use light Argon2 parameters; the CLI's default is 64 MiB, t=3.
LIGHT_KDF = KdfParams(memory_cost=1024, iterations=1, lanes=1)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def database(service: RunningService) -> str:
    return f"{service.child.env['SAFEHANDS_MONGO_DATABASE']}_{service.name}"


@dataclass
class Org:
    infra: Infrastructure
    services: dict[str, RunningService]
    id: str = field(default_factory=lambda: f"org-{uuid.uuid4().hex[:6]}")

    def __post_init__(self) -> None:
        self.reports = self.services["reports"].client()
        self.intake = self.services["intake"].client()
        self.admin = bearer(self.infra.token("admin", self.id))

    def api(self, vcp_id: str | None = None) -> ReportingApi:
        token = self.infra.token("vcp", self.id, vcp_id) if vcp_id else None
        return ReportingApi(self.services["intake"].url, self.services["reports"].url, token)

    def appoint(self, vcp_id: str, key: PrivateKey) -> None:
        answer = self.reports.post(
            f"/v1/orgs/{self.id}/vcps",
            json={
                "vcp_id": vcp_id,
                "name": f"VCP {vcp_id}",
                "email": f"{vcp_id}@example.org",
                "public_key": key.public_key.model_dump(),
            },
            headers=self.admin,
        )
        assert answer.status_code == 201, answer.text
        assert answer.json()["fingerprint"] == key.fingerprint

    def wait_until_intake_knows(self, *keys: PrivateKey) -> None:
        """intake learns VCP keys from VCPAppointed: eventually, not at once."""
        expected = {k.fingerprint for k in keys}
        with MongoClient(self.infra.mongo_uri) as client:
            known = client[database(self.services["intake"])]["known_vcp_keys"]
            eventually(
                lambda: {d["fingerprint"] for d in known.find({"org_id": self.id})} == expected
            )

    def wait_for_report(self, vcp_id: str, report_id: str) -> dict[str, Any]:
        def stored() -> dict[str, Any] | None:
            answer = self.reports.get(
                f"/v1/orgs/{self.id}/reports/{report_id}",
                headers=bearer(self.infra.token("vcp", self.id, vcp_id)),
            )
            return answer.json() if answer.status_code == 200 else None

        found: dict[str, Any] = eventually(stored)
        return found


@pytest.fixture
def org(infra: Infrastructure, services: dict[str, RunningService]) -> Iterator[Org]:
    created = Org(infra, services)
    yield created
    created.reports.close()
    created.intake.close()


async def events_of(infra: Infrastructure, org: str, count: int) -> list[tuple[str, Any]]:
    """(type, detail) of this organisation's case events on the report topic, in order."""
    wanted = {
        ReportAcknowledged.type_name,
        ReportStatusChanged.type_name,
        ReportMessagePosted.type_name,
        ReportKeyShared.type_name,
    }

    def ours(records: list[Any]) -> list[tuple[str, Any]]:
        events = []
        for record in records:
            kind = dict(record.headers)["ce_type"].decode()
            if record.key.decode().startswith(f"{org}:") and kind in wanted:
                data = json.loads(record.value)
                events.append((kind, data.get("sender") or data.get("status") or data["vcp_id"]))
        return events

    records = await read_topic(
        infra.kafka_bootstrap, "safehands.report", until=lambda r: len(ours(r)) >= count
    )
    return ours(records)


async def test_report_conversation_and_hand_over(org: Org, tmp_path: Path) -> None:
    # The first VCP makes a key file with the CLI's keygen and unlocks it as the CLI does.
    first = vcp_cli.keygen(tmp_path / "anna.json", "correct horse battery", params=LIGHT_KDF)
    anna = load_private_key(first.path, "correct horse battery")
    org.appoint("anna", anna)
    org.wait_until_intake_knows(anna)

    body = ReportBody(
        category="sexual_intimidation",
        description="De trainer maakte opmerkingen over mijn lichaam na de training.",
        occurred_on="2026-03-14",  # type: ignore[arg-type]
        wants_contact=False,
    )
    with org.api() as anonymous:
        submission = reporter.submit_report(anonymous, org.id, body)
    report_id = submission.report_id
    stored = org.wait_for_report("anna", report_id)
    assert stored["status"] == "received"
    assert set(stored) >= {"report_id", "received_at", "acknowledge_by", "feedback_by"}

    with org.api("anna") as api:
        case = vcp_cli.read_case(api, org.id, report_id, anna)
        assert case.report == body
        assert case.messages == []
        assert vcp_cli.set_status(api, org.id, report_id, "acknowledged")["status"] == (
            "acknowledged"
        )
        vcp_cli.reply(api, org.id, report_id, "Dank je. Wil je vertellen wie er nog bij was?")

    # The reporter has nothing but the receipt.
    with org.api() as anonymous:
        view = reporter.check_mailbox(anonymous, org.id, submission.receipt)
        assert (view.report_id, view.status) == (report_id, "acknowledged")
        assert [(m.sender, m.text) for m in view.messages] == [
            ("vcp", "Dank je. Wil je vertellen wie er nog bij was?")
        ]
        reporter.reply_as_reporter(anonymous, org.id, submission.receipt, "Mijn teamgenoot Sam.")
        view = reporter.check_mailbox(anonymous, org.id, submission.receipt)
        # The reporter's own message is sealed to the VCPs only.
        assert [(m.sender, m.text) for m in view.messages][1] == ("reporter", None)

    # A second VCP joins after the conversation started: nothing is readable yet ...
    bram = PrivateKey.generate()
    org.appoint("bram", bram)
    with org.api("bram") as api:
        before = vcp_cli.read_case(api, org.id, report_id, bram)
    assert before.report is None
    assert [m.text for m in before.messages] == [None, None]

    # ... until Anna hands the case over.
    with org.api("anna") as api:
        answer = vcp_cli.share(api, org.id, report_id, anna, "bram")
        assert answer["report_shared"] and len(answer["messages_shared"]) == 2
        # A second hand-over has nothing left to do.
        again = vcp_cli.share(api, org.id, report_id, anna, "bram")
        assert not again["report_shared"] and again["messages_shared"] == []
    with org.api("bram") as api:
        after = vcp_cli.read_case(api, org.id, report_id, bram)
        assert after.report == body
        assert [(m.sender, m.text) for m in after.messages] == [
            ("vcp", "Dank je. Wil je vertellen wie er nog bij was?"),
            ("reporter", "Mijn teamgenoot Sam."),
        ]
        vcp_cli.set_status(api, org.id, report_id, "in_progress")
        vcp_cli.reply(api, org.id, report_id, "Ik neem het over van Anna.")
    with org.api() as anonymous:
        texts = [
            m.text for m in reporter.check_mailbox(anonymous, org.id, submission.receipt).messages
        ]
    assert texts[-1] == "Ik neem het over van Anna."

    expected = [
        (ReportStatusChanged.type_name, "acknowledged"),
        (ReportAcknowledged.type_name, "anna"),
        (ReportMessagePosted.type_name, "vcp"),
        (ReportMessagePosted.type_name, "reporter"),
        (ReportKeyShared.type_name, "bram"),
        (ReportStatusChanged.type_name, "in_progress"),
        (ReportMessagePosted.type_name, "vcp"),
    ]
    # One key per report: the case's events arrive in the order they happened.
    assert await events_of(org.infra, org.id, len(expected)) == expected


def test_a_receipt_derived_from_api_md_alone_finds_the_mailbox(org: Org) -> None:
    key = PrivateKey.generate("X25519")
    org.appoint("vera", key)
    org.wait_until_intake_knows(key)
    receipt = generate_receipt()
    with org.api() as anonymous:
        submission = reporter.submit_report(
            anonymous,
            org.id,
            ReportBody(category="bullying", description="Buitengesloten.", wants_contact=False),
            receipt=receipt,
        )
    org.wait_for_report("vera", submission.report_id)

    # API.md: HKDF-SHA256(ikm = receipt, salt = "safehands/v1/receipt", info = org_id,
    # length 128); bytes 0-31 are the mailbox secret. Typed as a person would, in groups.
    shown = "-".join(receipt[i : i + 5] for i in range(0, 26, 5)).lower()
    normalised = shown.upper().replace("-", "").replace(" ", "")
    okm = HKDF(hashes.SHA256(), 128, b"safehands/v1/receipt", org.id.encode()).derive(
        normalised.encode()
    )
    answer = org.reports.post(f"/v1/orgs/{org.id}/mailbox", json={"secret": okm[:32].hex()})
    assert answer.status_code == 200, answer.text
    assert answer.json() == {
        "report_id": submission.report_id,
        "status": "received",
        "messages": [],
    }
    stored_lookup = hashlib.sha256(okm[:32]).hexdigest()
    with MongoClient(org.infra.mongo_uri) as client:
        doc = client[database(org.services["reports"])]["reports"].find_one(
            {"report_id": submission.report_id}
        )
    assert doc is not None and doc["mailbox_lookup"] == stored_lookup

    wrong = org.reports.post(f"/v1/orgs/{org.id}/mailbox", json={"secret": "00" * 32})
    assert wrong.status_code == 404
    assert "00" * 32 not in wrong.text


def test_binding_moved_or_tampered_envelopes_and_foreign_access(
    org: Org, infra: Infrastructure, services: dict[str, RunningService]
) -> None:
    key = PrivateKey.generate()
    org.appoint("wim", key)
    org.wait_until_intake_knows(key)
    body = ReportBody(category="aggression", description="Geduwd in de gang.", wants_contact=False)
    with org.api() as anonymous:
        original = reporter.submit_report(anonymous, org.id, body)
    stored = org.wait_for_report("wim", original.report_id)
    envelope = Envelope.model_validate(stored["envelope"])
    assert open_envelope(envelope, key, report_context(org.id, original.report_id)) == (
        body.to_body()
    )

    # Moved to another report or organisation, the envelope does not open.
    for context in (
        report_context(org.id, str(uuid.uuid4())),
        report_context("another-org", original.report_id),
    ):
        with pytest.raises(DecryptionError):
            open_envelope(envelope, key, context)
    # Nor with one byte changed, in the ciphertext or in the sealed key.
    context = report_context(org.id, original.report_id)
    ciphertext = bytearray(envelope.raw_ciphertext)
    ciphertext[100] ^= 0x01
    sealed_key = bytearray(envelope.recipients[0].raw_sealed_key)
    sealed_key[-1] ^= 0x01
    recipient = {"key_id": key.fingerprint, "sealed_key": b64url_encode(bytes(sealed_key))}
    for tampered in (
        {**envelope.model_dump(), "ciphertext": b64url_encode(bytes(ciphertext))},
        {**envelope.model_dump(), "recipients": [recipient]},
    ):
        with pytest.raises(DecryptionError):
            open_envelope(Envelope.model_validate(tampered), key, context)

    # Moved through the API: intake cannot see it (no key), but the VCP's client refuses it.
    moved_id = str(uuid.uuid4())
    reply_key = PrivateKey.generate().public_key.model_dump()
    answer = org.intake.post(
        f"/v1/orgs/{org.id}/reports",
        json={
            "report_id": moved_id,
            "envelope": stored["envelope"],
            "mailbox": {
                "lookup": "ab" * 32,
                "reply_key": reply_key,
            },
        },
    )
    assert answer.status_code == 202, answer.text
    org.wait_for_report("wim", moved_id)
    with org.api("wim") as api, pytest.raises(DecryptionError):
        vcp_cli.read_case(api, org.id, moved_id, key)

    # Another organisation's VCP: 404. A volunteer or admin of this one: 403. No token: 401.
    path = f"/v1/orgs/{org.id}/reports/{original.report_id}"
    reports = services["reports"].client()
    outsider = bearer(infra.token("vcp", "org-elsewhere", "wim"))
    assert reports.get(path, headers=outsider).status_code == 404
    assert reports.get(f"/v1/orgs/{org.id}/reports", headers=outsider).status_code == 404
    for role in ("volunteer", "admin", "coordinator"):
        token = bearer(infra.token(role, org.id))  # type: ignore[arg-type]
        assert reports.get(path, headers=token).status_code == 403, role
        assert reports.get(f"/v1/orgs/{org.id}/reports", headers=token).status_code == 403
        status = reports.post(f"{path}/status", json={"status": "acknowledged"}, headers=token)
        assert status.status_code == 403
    assert reports.get(path).status_code == 401
    reports.close()
