"""The reporter's choice of VCPs (issue 24 item 1), over HTTP against the services as
separate processes, with the CLI's own functions and commands as clients: a report sealed to
one of two VCPs stays with that VCP, its conversation included, and the other finds no
trace of it on any route."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from pymongo import MongoClient
from typer.testing import CliRunner

from cli import report as reporter
from cli import vcp as vcp_cli
from cli.main import app
from shared.crypto import PrivateKey, ReportBody, load_private_key, report_context, seal
from tests.e2e.test_reporting_flow import LIGHT_KDF, Org, database
from tests.support.platform import Infrastructure, RunningService, bearer, eventually

pytestmark = pytest.mark.e2e


@pytest.fixture
def org(infra: Infrastructure, services: dict[str, RunningService]) -> Iterator[Org]:
    created = Org(infra, services)
    yield created
    created.reports.close()
    created.intake.close()


def test_a_vcp_writes_an_introduction_the_reporter_reads(org: Org) -> None:
    anna = PrivateKey.generate()
    org.appoint("anna", anna)
    path = f"/v1/orgs/{org.id}/vcps/anna/introduction"
    text = "Trainer van de jeugd.\nBereikbaar op dinsdagavond."
    # Only Anna herself: not the admin, not a colleague.
    assert org.reports.put(path, json={"introduction": text}, headers=org.admin).status_code == 403
    as_anna = bearer(org.infra.token("vcp", org.id, "anna"))
    too_long = org.reports.put(path, json={"introduction": "x" * 501}, headers=as_anna)
    assert too_long.status_code == 422
    bell = org.reports.put(path, json={"introduction": "Anna\x07"}, headers=as_anna)
    assert bell.status_code == 422 and "control characters" in bell.text
    saved = org.reports.put(path, json={"introduction": f"  {text}  "}, headers=as_anna)
    assert saved.json() == {"vcp_id": "anna", "introduction": text}
    [listed] = org.reports.get(f"/v1/orgs/{org.id}/vcp-keys").json()
    assert listed["introduction"] == text
    cleared = org.reports.put(path, json={"introduction": ""}, headers=as_anna)
    assert cleared.json()["introduction"] is None


def test_a_report_to_one_of_two_vcps_stays_with_the_one_chosen(org: Org, tmp_path: Path) -> None:
    anna = load_private_key(
        vcp_cli.keygen(tmp_path / "anna.json", "geheim genoeg", params=LIGHT_KDF).path,
        "geheim genoeg",
    )
    bram = PrivateKey.generate()
    org.appoint("anna", anna)
    org.appoint("bram", bram)
    org.wait_until_intake_knows(anna, bram)

    # The command: `--to` names the VCPs; a mistyped one is refused before anything is asked.
    runner = CliRunner()
    env = {
        "SH_INTAKE_URL": org.services["intake"].url,
        "SH_REPORTS_URL": org.services["reports"].url,
        "SH_VCP_PASSPHRASE": "geheim genoeg",
        "SH_VCP_KEY_FILE": str(tmp_path / "anna.json"),
        "SH_TOKEN": org.infra.token("vcp", org.id, "anna"),
        "COLUMNS": "200",
    }
    typo = runner.invoke(app, ["report", "submit", "--org", org.id, "--to", "ana"], env=env)
    assert typo.exit_code == 1 and "no VCP with a key called ana" in typo.output
    submitted = runner.invoke(
        app,
        ["report", "submit", "--org", org.id, "--to", "anna"],
        input="bullying\nBram kijkt weg als de trainer scheldt.\n\nn\n",
        env=env,
    )
    assert submitted.exit_code == 0, submitted.output
    receipt = re.search(r"\b[A-Z2-7]{5}-[A-Z2-7]{5}(?:-[A-Z2-7]{4}){4}\b", submitted.output)
    assert receipt is not None

    with org.api("anna") as api:
        report_id = eventually(lambda: api.list_reports(org.id))[0]["report_id"]
        case = api.get_report(org.id, report_id)
    assert [r["key_id"] for r in case["envelope"]["recipients"]] == [anna.fingerprint]
    assert (case["case_keys"], case["case_vcps"], case["left_out"]) == (
        [anna.fingerprint],
        ["anna"],
        ["bram"],
    )

    # The conversation: Anna's reply and the reporter's answer, each sealed to Anna alone.
    replied = runner.invoke(app, ["vcp", "reply", report_id, "-m", "Dank je, ik bel."], env=env)
    assert replied.exit_code == 0, replied.output
    with org.api() as anonymous:
        reporter.reply_as_reporter(anonymous, org.id, receipt[0], "Graag na school.")
        mailbox = anonymous.open_mailbox(
            org.id, reporter._receipt_keys(org.id, receipt[0])["X25519"].secret_hex
        )
    assert mailbox["case_keys"] == [anna.fingerprint]
    with MongoClient(org.infra.mongo_uri) as client:
        stored = list(
            client[database(org.services["reports"])]["report_messages"].find(
                {"report_id": report_id}
            )
        )
    sealed_to = [{r["key_id"] for r in m["envelope"]["recipients"]} for m in stored]
    assert len(sealed_to) == 2 and all(bram.fingerprint not in keys for keys in sealed_to)

    # A message sealed past Anna, to Bram alone, is refused.
    with org.api() as anonymous:
        message_id = str(uuid.uuid4())
        envelope = seal({"text": "x"}, [bram.public_key], report_context(org.id, message_id))
        refused = org.reports.post(
            f"/v1/orgs/{org.id}/mailbox/messages",
            json={
                "secret": reporter._receipt_keys(org.id, receipt[0])["X25519"].secret_hex,
                "message_id": message_id,
                "envelope": envelope.model_dump(),
            },
        )
    assert refused.status_code == 422 and "every VCP of the case" in refused.text

    # Anna cannot hand the case to the VCP the reporter left out.
    with org.api("anna") as api, pytest.raises(Exception) as handed:
        vcp_cli.share(api, org.id, report_id, anna, "bram")
    assert "chose not to send this report to VCP bram" in str(handed.value)

    # Bram finds no trace of the case on any route of his.
    as_bram = bearer(org.infra.token("vcp", org.id, "bram"))
    base = f"/v1/orgs/{org.id}"

    def case_routes(rid: str) -> list[tuple[int, str]]:
        answers = [
            org.reports.get(f"{base}/reports/{rid}", headers=as_bram),
            org.reports.post(
                f"{base}/reports/{rid}/messages",
                json={"message_id": str(uuid.uuid4()), "envelope": envelope.model_dump()},
                headers=as_bram,
            ),
            org.reports.post(
                f"{base}/reports/{rid}/status", json={"status": "closed"}, headers=as_bram
            ),
            org.reports.post(
                f"{base}/reports/{rid}/keys", json={"vcp_id": "bram"}, headers=as_bram
            ),
        ]
        return [(a.status_code, a.text.replace(rid, "ID")) for a in answers]

    # For Bram the case answers exactly as a report that never existed.
    assert case_routes(report_id) == case_routes(str(uuid.uuid4()))
    assert {status for status, _ in case_routes(report_id)} == {404}
    listings = [
        org.reports.get(f"{base}/reports", headers=as_bram),
        org.reports.get(f"{base}/vcps", headers=as_bram),
        org.reports.get(f"{base}/vcp-key-history", headers=as_bram),
        org.reports.get(f"{base}/report-settings", headers=as_bram),
        org.reports.get(f"{base}/report-webhooks", headers=as_bram),
    ]
    assert listings[0].json() == []
    for answer in listings:
        assert answer.status_code == 200
        assert report_id[:8] not in answer.text
    inbox = runner.invoke(
        app, ["vcp", "inbox"], env={**env, "SH_TOKEN": org.infra.token("vcp", org.id, "bram")}
    )
    assert inbox.exit_code == 0 and report_id[:8] not in inbox.output
    # Anna still opens her case, the conversation whole.
    with org.api("anna") as api:
        opened = vcp_cli.read_case(api, org.id, report_id, anna)
    assert opened.report == ReportBody(
        category="bullying",
        description="Bram kijkt weg als de trainer scheldt.",
        wants_contact=False,
    )
    assert [m.text for m in opened.messages] == ["Dank je, ik bel.", "Graag na school."]
