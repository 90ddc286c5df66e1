"""A confidential report from submission to hand-over, over HTTP against the four services
as separate processes, with the CLI's own functions as reporter's and VCPs' clients."""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from pymongo import MongoClient
from typer.testing import CliRunner

from cli import report as reporter
from cli import vcp as vcp_cli
from cli.main import app
from cli.reporting_client import ApiError, ReportingApi
from services.reports.domain.deadlines import add_months
from services.reports.domain.statistics import quarter_of
from shared.crypto import (
    DecryptionError,
    Envelope,
    KdfParams,
    PrivateKey,
    PublicKey,
    ReportBody,
    b64url_encode,
    generate_receipt,
    load_private_key,
    message_context,
    open_envelope,
    report_context,
    reseal_content_key,
    seal,
)
from shared.domain.calendar import today
from shared.events.reports import (
    ReportAcknowledged,
    ReportKeyShared,
    ReportMessagePosted,
    ReportStatusChanged,
)
from tests.support.kafka import read_topic
from tests.support.platform import Infrastructure, RunningService, bearer, eventually
from tests.support.vcps import appoint_vcp

pytestmark = pytest.mark.e2e

# Key files in tests use light Argon2 parameters; the CLI's default is 64 MiB, t=3.
LIGHT_KDF = KdfParams(memory_cost=1024, iterations=1, lanes=1)


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
        """The admin appoints by name and address; the VCP registers their key themself."""
        vcp = bearer(self.infra.token("vcp", self.id, vcp_id))
        appoint_vcp(self.reports, self.id, vcp_id, key, admin=self.admin, vcp=vcp)

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
        vcp_cli.reply(api, org.id, report_id, "Dank je. Wil je vertellen wie er nog bij was?", anna)

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

    # A second VCP joins after the conversation started: the case is not sealed to him, so
    # for him it does not exist yet ...
    bram = PrivateKey.generate()
    org.appoint("bram", bram)
    with org.api("bram") as api:
        assert api.list_reports(org.id) == []
        with pytest.raises(ApiError) as before:
            vcp_cli.read_case(api, org.id, report_id, bram)
    assert before.value.status_code == 404

    # ... until Anna hands the case over: all of it, to Bram's key.
    with org.api("anna") as api:
        envelope = Envelope.model_validate(api.get_report(org.id, report_id)["envelope"])
        context = report_context(org.id, report_id)
        for_bram = reseal_content_key(envelope, anna, context, bram.public_key).model_dump()
        for_anna = {**for_bram, "key_id": anna.fingerprint}
        keys_path = f"/v1/orgs/{org.id}/reports/{report_id}/keys"
        vcp_token = bearer(org.infra.token("vcp", org.id, "anna"))
        wrong_key = org.reports.post(
            keys_path, json={"vcp_id": "bram", "report": for_anna}, headers=vcp_token
        )
        assert wrong_key.status_code == 422
        partial = org.reports.post(
            keys_path, json={"vcp_id": "bram", "report": for_bram}, headers=vcp_token
        )
        assert partial.status_code == 409 and "does not cover" in partial.json()["detail"]
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
        vcp_cli.reply(api, org.id, report_id, "Ik neem het over van Anna.", bram)
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
    # One envelope names one suite, so an organisation's VCPs share theirs.
    hybrid = PrivateKey.generate().public_key.model_dump()
    max_ = {"vcp_id": "max", "name": "Max", "email": "max@example.org"}
    assert org.reports.post(f"/v1/orgs/{org.id}/vcps", json=max_, headers=org.admin).is_success
    answer = org.reports.put(
        f"/v1/orgs/{org.id}/vcps/max/public-key",
        json={"public_key": hybrid},
        headers=bearer(org.infra.token("vcp", org.id, "max")),
    )
    assert answer.status_code == 409 and "X25519" in answer.json()["detail"]
    org.wait_until_intake_knows(key)
    receipt = generate_receipt()
    with org.api() as anonymous:
        submission = reporter.submit_report(
            anonymous,
            org.id,
            ReportBody(category="bullying", description="Buitengesloten.", wants_contact=False),
            receipt=receipt,
        )
    stored = org.wait_for_report("vera", submission.report_id)

    # API.md: HKDF-SHA256(ikm = receipt, salt = "safehands/v1/receipt", info = org_id,
    # length 128); bytes 0-31 are the mailbox secret. Typed as a person would, in groups.
    shown = "-".join(receipt[i : i + 5] for i in range(0, 26, 5)).lower()
    normalised = shown.upper().replace("-", "").replace(" ", "")
    okm = HKDF(hashes.SHA256(), 128, b"safehands/v1/receipt", org.id.encode()).derive(
        normalised.encode()
    )
    answer = org.reports.post(f"/v1/orgs/{org.id}/mailbox", json={"secret": okm[:32].hex()})
    assert answer.status_code == 200, answer.text
    # The deadlines (an addition to API.md) let the reporter see by when to expect an answer.
    assert answer.json() == {
        "report_id": submission.report_id,
        "status": "received",
        "acknowledge_by": stored["acknowledge_by"],
        "feedback_by": stored["feedback_by"],
        "messages": [],
        # The keys the reporter's answers are sealed to (issue 24): the VCPs in the case.
        "case_keys": [key.fingerprint],
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

    # A VCP token of another organisation, where "wim" is no appointed VCP: 403 on every
    # route. A volunteer or admin of this one: 403. No token: 401.
    path = f"/v1/orgs/{org.id}/reports/{original.report_id}"
    reports = services["reports"].client()
    outsider = bearer(infra.token("vcp", "org-elsewhere", "wim"))
    assert reports.get(path, headers=outsider).status_code == 403
    assert reports.get(f"/v1/orgs/{org.id}/reports", headers=outsider).status_code == 403
    for role in ("volunteer", "admin", "coordinator"):
        token = bearer(infra.token(role, org.id))  # type: ignore[arg-type]
        assert reports.get(path, headers=token).status_code == 403, role
        assert reports.get(f"/v1/orgs/{org.id}/reports", headers=token).status_code == 403
        status = reports.post(f"{path}/status", json={"status": "acknowledged"}, headers=token)
        assert status.status_code == 403
    assert reports.get(path).status_code == 401
    unknown = reports.get(
        f"/v1/orgs/{org.id}/reports/{uuid.uuid4()}",
        headers=bearer(infra.token("vcp", org.id, "wim")),
    )
    assert unknown.status_code == 404
    reports.close()


# --- what intake refuses ----------------------------------------------------------------


def test_intake_checks_the_envelope_without_reading_it(org: Org) -> None:
    keys = [PrivateKey.generate(), PrivateKey.generate()]
    path = f"/v1/orgs/{org.id}/reports"

    def submission(recipients: list[PrivateKey], **changes: Any) -> dict[str, Any]:
        report_id = changes.pop("report_id", str(uuid.uuid4()))
        envelope = seal(
            {"category": "other", "description": "x", "wants_contact": False},
            [k.public_key for k in recipients],
            report_context(org.id, report_id),
        )
        return {
            "report_id": report_id,
            "envelope": envelope.model_dump(),
            "mailbox": {
                "lookup": uuid.uuid4().hex * 2,
                "reply_key": PrivateKey.generate().public_key.model_dump(),
            },
            **changes,
        }

    no_vcp = org.intake.post(path, json=submission(keys))
    assert no_vcp.status_code == 404
    assert "no confidential contact person" in no_vcp.json()["detail"]

    org.appoint("a", keys[0])
    org.appoint("b", keys[1])
    org.wait_until_intake_knows(*keys)

    bad_nonce = submission(keys)
    bad_nonce["envelope"]["nonce"] = "not base64!"
    answer = org.intake.post(path, json=bad_nonce)
    assert answer.status_code == 422 and "nonce" in answer.json()["detail"]

    # Some of the current keys would do, but never a key from outside.
    stranger = org.intake.post(path, json=submission([keys[0], PrivateKey.generate()]))
    assert stranger.status_code == 422
    assert "none of the organisation's current VCP keys" in stranger.json()["detail"]

    x25519_reply = submission(keys)
    x25519_reply["mailbox"]["reply_key"] = PrivateKey.generate("X25519").public_key.model_dump()
    answer = org.intake.post(path, json=x25519_reply)
    assert answer.status_code == 422 and "reply key" in answer.json()["detail"]

    first = submission(keys)
    assert org.intake.post(path, json=first).status_code == 202
    again = org.intake.post(path, json=submission(keys, report_id=first["report_id"]))
    assert again.status_code == 409 and "already submitted" in again.json()["detail"]
    same_mailbox = org.intake.post(path, json=submission(keys, mailbox=first["mailbox"]))
    assert same_mailbox.status_code == 409
    # Only the accepted report reaches reports.
    with org.api("a") as api:
        assert [r["report_id"] for r in eventually(lambda: api.list_reports(org.id))] == [
            first["report_id"]
        ]


# --- the case workflow, deadlines and retention -------------------------------------------


def test_case_steps_deadlines_from_settings_and_retention(org: Org) -> None:
    key = PrivateKey.generate()
    org.appoint("lot", key)
    org.wait_until_intake_knows(key)
    settings_path = f"/v1/orgs/{org.id}/report-settings"
    assert org.reports.get(settings_path, headers=org.admin).json() == {
        "acknowledge_days": 7,
        "feedback_months": 3,
        "retention_months": 24,
    }
    periods = {"acknowledge_days": 3, "feedback_months": 1, "retention_months": 24}
    assert org.reports.put(settings_path, json=periods, headers=org.admin).status_code == 200
    vcp_token = bearer(org.infra.token("vcp", org.id, "lot"))
    assert org.reports.put(settings_path, json=periods, headers=vcp_token).status_code == 403
    assert org.reports.get(settings_path, headers=vcp_token).json() == periods
    zero = org.reports.put(
        settings_path, json={**periods, "acknowledge_days": 0}, headers=org.admin
    )
    assert zero.status_code == 422

    receipt = generate_receipt()
    body = ReportBody(category="discrimination", description="Uitgescholden.", wants_contact=False)
    with org.api() as anonymous:
        report_id = reporter.submit_report(anonymous, org.id, body, receipt=receipt).report_id
    case = org.wait_for_report("lot", report_id)
    received = datetime.fromisoformat(case["received_at"])
    assert datetime.fromisoformat(case["acknowledge_by"]) == received + timedelta(days=3)
    assert datetime.fromisoformat(case["feedback_by"]) == add_months(received, 1)

    status_path = f"/v1/orgs/{org.id}/reports/{report_id}/status"

    def move(to: str) -> tuple[int, str]:
        answer = org.reports.post(status_path, json={"status": to}, headers=vcp_token)
        return answer.status_code, answer.json().get("detail") or answer.json()["status"]

    assert move("closed") == (409, "The report must be acknowledged before it can be closed.")
    assert move("in_progress")[0] == 409
    assert move("received")[0] == 422
    assert move("acknowledged") == (200, "acknowledged")
    assert move("acknowledged") == (409, "The report is already acknowledged.")
    assert move("in_progress") == (200, "in_progress")
    with org.api("lot") as api:
        rows = api.list_reports(org.id)
        assert [(r["status"], r["overdue"]) for r in rows] == [("in_progress", False)]
        vcp_cli.reply(api, org.id, report_id, "We spreken de trainer aan.", key)
    assert move("closed") == (200, "closed")
    assert move("in_progress") == (409, "The report is closed; its status can no longer change.")

    with org.api("lot") as api, pytest.raises(ApiError, match="closed") as refused:
        vcp_cli.reply(api, org.id, report_id, "Nog iets.", key)
    assert refused.value.status_code == 409
    with org.api() as anonymous:
        with pytest.raises(ApiError, match="closed"):
            reporter.reply_as_reporter(anonymous, org.id, receipt, "Dank!")
        assert reporter.check_mailbox(anonymous, org.id, receipt).status == "closed"

    # Kept for the retention period after closing; a new period applies to closed cases.
    with MongoClient(org.infra.mongo_uri) as client:
        reports = client[database(org.services["reports"])]["reports"]
        stored = reports.find_one({"report_id": report_id})
        assert stored is not None and stored["feedback_given"] is True
        closed_at = stored["closed_at"]
        assert stored["delete_after"] == add_months(closed_at, 24)
        shorter = {**periods, "retention_months": 6}
        assert org.reports.put(settings_path, json=shorter, headers=org.admin).status_code == 200
        stored = reports.find_one({"report_id": report_id})
        assert stored is not None and stored["delete_after"] == add_months(closed_at, 6)


# --- statistics ---------------------------------------------------------------------------


def test_a_vcp_releases_counts_and_the_admin_reads_them(org: Org) -> None:
    path = f"/v1/orgs/{org.id}/stats"
    # Only an appointed VCP may release them; a never-appointed one is refused.
    never_appointed = bearer(org.infra.token("vcp", org.id, "lot"))
    release = {"quarter": "2025Q4", "counts": {"bullying": 2, "other": 1}}
    assert org.reports.post(path, json=release, headers=never_appointed).status_code == 403
    org.appoint("lot", PrivateKey.generate())
    vcp = bearer(org.infra.token("vcp", org.id, "lot"))
    quarter = quarter_of(today())
    release = {"quarter": "2025Q4", "counts": {"bullying": 2, "other": 1}}
    assert org.reports.post(path, json=release, headers=vcp).status_code == 201
    newer = {"quarter": quarter, "counts": {"aggression": 1}}
    assert org.reports.post(path, json=newer, headers=vcp).status_code == 201
    corrected = {"quarter": "2025Q4", "counts": {"bullying": 3}}
    assert org.reports.post(path, json=corrected, headers=vcp).status_code == 201

    answer = org.reports.get(path, headers=org.admin)
    assert answer.status_code == 200
    assert [(r["quarter"], r["counts"]) for r in answer.json()] == [
        ("2025Q4", {"bullying": 3}),
        (quarter, {"aggression": 1}),
    ]
    assert org.reports.get(path, headers=vcp).status_code == 403
    assert org.reports.post(path, json=release, headers=org.admin).status_code == 403
    for wrong in (
        {"quarter": "2025Q4", "counts": {"gossip": 1}},
        {"quarter": "2025Q4", "counts": {"bullying": -1}},
        {"quarter": "2025-4", "counts": {"bullying": 1}},
        {"quarter": "2999Q1", "counts": {"bullying": 1}},
    ):
        assert org.reports.post(path, json=wrong, headers=vcp).status_code == 422, wrong


# --- the commands themselves ------------------------------------------------------------


def test_the_commands_for_reporter_and_vcp(org: Org, tmp_path: Path) -> None:
    runner = CliRunner()
    env = {
        "SH_INTAKE_URL": org.services["intake"].url,
        "SH_REPORTS_URL": org.services["reports"].url,
        "SH_VCP_PASSPHRASE": "geheim genoeg",
        "SH_VCP_KEY_FILE": str(tmp_path / "vcp.json"),
        "SH_TOKEN": org.infra.token("vcp", org.id, "kim"),
        "COLUMNS": "200",
    }
    key = load_private_key(
        vcp_cli.keygen(tmp_path / "vcp.json", "geheim genoeg", params=LIGHT_KDF).path,
        "geheim genoeg",
    )
    org.appoint("kim", key)
    org.wait_until_intake_knows(key)

    submitted = runner.invoke(
        app,
        ["report", "submit", "--org", org.id],
        input="bullying\nZe lachen me uit [bold]elke[/bold] week.\n2026-02-01\nn\n",
        env=env,
    )
    assert submitted.exit_code == 0, submitted.output
    receipt = re.search(r"\b[A-Z2-7]{5}-[A-Z2-7]{5}(?:-[A-Z2-7]{4}){4}\b", submitted.output)
    assert receipt is not None

    with org.api("kim") as api:
        report_id = eventually(lambda: api.list_reports(org.id))[0]["report_id"]
    inbox = runner.invoke(app, ["vcp", "inbox"], env=env)
    assert inbox.exit_code == 0 and report_id[:8] in inbox.output
    read = runner.invoke(app, ["vcp", "read", report_id], env=env)
    assert read.exit_code == 0, read.output
    # The reporter's text is shown as written, not interpreted as terminal markup.
    assert "Ze lachen me uit [bold]elke[/bold] week." in read.output
    assert runner.invoke(app, ["vcp", "status", report_id, "acknowledged"], env=env).exit_code == 0
    replied = runner.invoke(app, ["vcp", "reply", report_id, "-m", "Dank, ik bel je."], env=env)
    assert replied.exit_code == 0, replied.output

    checked = runner.invoke(
        app, ["report", "check", "--org", org.id], env={**env, "SH_RECEIPT": receipt[0]}
    )
    assert checked.exit_code == 0, checked.output
    assert "acknowledged" in checked.output and "Dank, ik bel je." in checked.output
    assert "WARNING" not in checked.output

    # Whoever can write to the database (or the bus) writes "VCP" messages asking for
    # identifying details: one unsigned, one with the real reply's signature and signer
    # copied over. The reporter's check shows neither, and says why.
    with MongoClient(org.infra.mongo_uri) as client:
        db = client[database(org.services["reports"])]
        report = db["reports"].find_one({"report_id": report_id})
        real = db["report_messages"].find_one({"report_id": report_id, "from": "vcp"})
        assert report is not None and real is not None and real.get("signature")
        for forged_id, extra in (
            (str(uuid.uuid4()), {}),
            (str(uuid.uuid4()), {"signature": real["signature"], "vcp_id": "kim"}),
        ):
            envelope = seal(
                {"text": "Wat is je telefoonnummer en je adres?"},
                [PublicKey.model_validate(report["reply_key"])],
                message_context(org.id, report_id, forged_id),
            )
            db["report_messages"].insert_one(
                {
                    "org_id": org.id,
                    "report_id": report_id,
                    "message_id": forged_id,
                    "from": "vcp",
                    "at": real["at"],
                    "envelope": envelope.model_dump(),
                    **extra,
                }
            )
    checked = runner.invoke(
        app, ["report", "check", "--org", org.id], env={**env, "SH_RECEIPT": receipt[0]}
    )
    assert checked.exit_code == 0, checked.output
    assert "telefoonnummer" not in checked.output
    assert checked.output.count("WARNING") == 2, checked.output
    assert "Dank, ik bel je." in checked.output
    wrong = runner.invoke(
        app, ["report", "check", "--org", org.id], env={**env, "SH_RECEIPT": "A" * 26}
    )
    assert wrong.exit_code == 1 and "No report belongs to this mailbox secret" in wrong.output


def test_report_ids_by_prefix_an_inbox_for_80_columns_and_who_wrote_what(
    org: Org, tmp_path: Path
) -> None:
    runner = CliRunner()
    anna = vcp_cli.keygen(tmp_path / "anna.json", "anna's zin", params=LIGHT_KDF)
    bram = vcp_cli.keygen(tmp_path / "bram.json", "bram's zin", params=LIGHT_KDF)
    anna_key = load_private_key(anna.path, "anna's zin")
    org.appoint("anna", anna_key)
    org.appoint("bram", load_private_key(bram.path, "bram's zin"))
    org.wait_until_intake_knows(anna_key, load_private_key(bram.path, "bram's zin"))
    # Two ids that share their first six characters, and one that shares nothing.
    twins = ["5afe01aa-0000-4000-8000-000000000001", "5afe01bb-0000-4000-8000-000000000002"]
    body = ReportBody(category="bullying", description="Ze lachen me uit.", wants_contact=False)
    with org.api() as anonymous:
        for report_id in twins:
            reporter.submit_report(anonymous, org.id, body, report_id=report_id)
        other = reporter.submit_report(anonymous, org.id, body).report_id
    for report_id in (*twins, other):
        org.wait_for_report("anna", report_id)

    def as_vcp(vcp_id: str, *args: str) -> Any:
        env = {
            "SH_REPORTS_URL": org.services["reports"].url,
            "SH_TOKEN": org.infra.token("vcp", org.id, vcp_id),
            "SH_VCP_KEY_FILE": str(tmp_path / f"{vcp_id}.json"),
            "SH_VCP_PASSPHRASE": f"{vcp_id}'s zin",
            "COLUMNS": "80",
        }
        return runner.invoke(app, ["vcp", *args], env=env)

    # The inbox at 80 columns: every short id whole, no line wider, a header on every column.
    inbox = as_vcp("anna", "inbox")
    assert inbox.exit_code == 0, inbox.output
    assert max(len(line) for line in inbox.output.splitlines()) <= 80
    for short in ("5afe01aa", "5afe01bb", other[:8]):
        assert re.search(rf"\b{short}\b", inbox.output), inbox.output
    assert "overdue" in inbox.output and "…" not in inbox.output
    listed = json.loads(as_vcp("anna", "inbox", "--json").output)
    assert {row["report_id"]: row["short_id"] for row in listed} == {
        twins[0]: "5afe01aa",
        twins[1]: "5afe01bb",
        other: other[:8],
    }

    # A unique prefix names its report in every command; an ambiguous one lists the candidates.
    ambiguous = as_vcp("anna", "read", "5afe01")
    assert ambiguous.exit_code == 1
    assert "'5afe01' matches 2 reports" in ambiguous.output
    assert twins[0] in ambiguous.output and twins[1] in ambiguous.output
    assert "No report of" in as_vcp("anna", "status", "ffffffff", "acknowledged").output
    assert as_vcp("anna", "status", "5AFE01A", "acknowledged").exit_code == 0
    assert as_vcp("anna", "reply", "5afe01a", "-m", "Hier is Anna.").exit_code == 0
    read = as_vcp("anna", "read", "5afe01a")
    assert read.exit_code == 0, read.output
    assert twins[0] in read.output and "You ·" in read.output and "Hier is Anna." in read.output

    # After the hand-over, Bram sees Anna's message as hers and his own as his.
    shared = as_vcp("anna", "share", "5afe01aa", "--to", "bram")
    assert shared.exit_code == 0, shared.output
    assert as_vcp("bram", "reply", "5afe01a", "-m", "Hier is Bram.").exit_code == 0
    read = as_vcp("bram", "read", "5afe01a")
    assert read.exit_code == 0, read.output
    labels = re.findall(r"(You|VCP anna|VCP bram|Reporter) ·", read.output)
    assert labels == ["VCP anna", "You"], read.output
    with org.api("bram") as api:
        messages = api.get_report(org.id, twins[0])["messages"]
    assert [m.get("vcp_id") for m in messages] == ["anna", "bram"]


def test_a_vcp_who_leaves_is_dismissed_once_no_open_case_depends_on_them(org: Org) -> None:
    anna, bram = PrivateKey.generate(), PrivateKey.generate()
    org.appoint("anna", anna)
    org.wait_until_intake_knows(anna)
    body = ReportBody(category="aggression", description="Er werd geduwd.", wants_contact=False)
    with org.api() as anonymous:
        first = reporter.submit_report(anonymous, org.id, body)
    org.wait_for_report("anna", first.report_id)
    org.appoint("bram", bram)
    org.wait_until_intake_knows(anna, bram)
    path = f"/v1/orgs/{org.id}/vcps"

    assert (
        org.reports.delete(
            f"{path}/anna", headers=bearer(org.infra.token("coordinator", org.id))
        ).status_code
        == 403
    )
    assert (
        org.reports.delete(
            f"{path}/anna", headers=bearer(org.infra.token("admin", "elsewhere"))
        ).status_code
        == 404
    )
    assert org.reports.delete(f"{path}/nobody", headers=org.admin).status_code == 404
    # The first report was sealed to Anna alone: dismissing her now would orphan it.
    blocked = org.reports.delete(f"{path}/anna", headers=org.admin)
    assert blocked.status_code == 409 and first.report_id in blocked.json()["detail"]

    with org.api("anna") as api:
        vcp_cli.share(api, org.id, first.report_id, anna, "bram")
    assert org.reports.delete(f"{path}/anna", headers=org.admin).status_code == 204

    keys = org.reports.get(f"/v1/orgs/{org.id}/vcp-keys").json()
    assert [k["vcp_id"] for k in keys] == ["bram"]
    # intake stops accepting reports sealed to Anna's key; new ones reach Bram alone.
    org.wait_until_intake_knows(bram)
    with org.api() as anonymous:
        second = reporter.submit_report(anonymous, org.id, body)
    stored = org.wait_for_report("bram", second.report_id)
    assert [r["key_id"] for r in stored["envelope"]["recipients"]] == [bram.fingerprint]
    with org.api("bram") as api:
        assert vcp_cli.read_case(api, org.id, first.report_id, bram).report == body
    last = org.reports.delete(f"{path}/bram", headers=org.admin)
    assert last.status_code == 409 and "last VCP" in last.json()["detail"]
