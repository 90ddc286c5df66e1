"""Encrypted attachments (issue 24 item 3) over HTTP against the services as separate
processes, with the CLI's commands as clients: a report to one of two VCPs carries a photo
and a text file; only the chosen VCP downloads and opens them (byte for byte), the other VCP
and another organisation's VCP reach nothing; the limits are answered with sentences."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import report as reporter
from cli import vcp as vcp_cli
from cli.attachments import LocalFile
from cli.main import app
from cli.reporting_client import ApiError
from services.reports.domain.attachments import PIECE_BYTES
from shared.crypto import PrivateKey, ReportBody, load_private_key
from tests.e2e.test_reporting_flow import LIGHT_KDF, Org
from tests.support.photos import photo_with_gps
from tests.support.platform import Infrastructure, RunningService, bearer, eventually

pytestmark = pytest.mark.e2e

# Small limits, so that the test reaches them with small files.
SERVICES_ENV = {
    "SAFEHANDS_ATTACHMENTS_MAX_FILES": "3",
    "SAFEHANDS_ATTACHMENTS_MAX_BYTES": str(2 * PIECE_BYTES + 4096),
}


@pytest.fixture
def org(infra: Infrastructure, services: dict[str, RunningService]) -> Iterator[Org]:
    created = Org(infra, services)
    yield created
    created.reports.close()
    created.intake.close()


def test_only_the_chosen_vcp_opens_the_files_of_a_report(org: Org, tmp_path: Path) -> None:
    anna = load_private_key(
        vcp_cli.keygen(tmp_path / "anna.json", "geheim genoeg", params=LIGHT_KDF).path,
        "geheim genoeg",
    )
    bram = PrivateKey.generate()
    org.appoint("anna", anna)
    org.appoint("bram", bram)
    org.wait_until_intake_knows(anna, bram)
    photo = tmp_path / "foto.jpg"
    photo.write_bytes(photo_with_gps(f"canary-{uuid.uuid4().hex}"))
    note = tmp_path / "bericht.txt"
    # Past one piece: the upload takes two.
    note.write_bytes(b"Hij schreef: kom alleen.\n" * 12_000)

    runner = CliRunner()
    env = {
        "SH_INTAKE_URL": org.services["intake"].url,
        "SH_REPORTS_URL": org.services["reports"].url,
        "SH_VCP_PASSPHRASE": "geheim genoeg",
        "SH_VCP_KEY_FILE": str(tmp_path / "anna.json"),
        "SH_TOKEN": org.infra.token("vcp", org.id, "anna"),
        "COLUMNS": "200",
    }
    wrong = runner.invoke(
        app, ["report", "submit", "--org", org.id, "--attach", str(tmp_path / "anna.json")], env=env
    )
    assert wrong.exit_code == 1 and "only images" in wrong.output
    files = ["--attach", str(photo), "--attach", str(note)]
    submitted = runner.invoke(
        app,
        ["report", "submit", "--org", org.id, "--to", "anna", *files],
        input="bullying\nZie de foto en het bericht.\n\nn\n",
        env=env,
    )
    assert submitted.exit_code == 0, submitted.output

    with org.api("anna") as api:
        report_id = eventually(lambda: api.list_reports(org.id))[0]["report_id"]
    saved = runner.invoke(app, ["vcp", "read", report_id, "--save", str(tmp_path / "out")], env=env)
    assert saved.exit_code == 0, saved.output
    assert "Attachment: foto.jpg (image/jpeg" in saved.output
    assert (tmp_path / "out" / "1-foto.jpg").read_bytes() == photo.read_bytes()
    assert (tmp_path / "out" / "2-bericht.txt").read_bytes() == note.read_bytes()

    with org.api("anna") as api:
        case = vcp_cli.read_case(api, org.id, report_id, anna)
    assert case.report is not None and case.report.attachments is not None
    photo_id = str(case.report.attachments[0].attachment_id)
    path = f"/v1/orgs/{org.id}/reports/{report_id}/attachments/{photo_id}"
    as_anna = org.reports.get(path, headers=bearer(org.infra.token("vcp", org.id, "anna")))
    assert as_anna.status_code == 200
    assert as_anna.headers["content-type"] == "application/octet-stream"
    assert photo.read_bytes()[:200] not in as_anna.content
    # Bram was left out: the case and its files do not exist for him.
    as_bram = org.reports.get(path, headers=bearer(org.infra.token("vcp", org.id, "bram")))
    assert as_bram.status_code == 404
    # Another organisation's VCP: not here, nor through their own organisation.
    stranger = Org(org.infra, org.services)
    stranger.appoint("carla", PrivateKey.generate())
    carla = bearer(org.infra.token("vcp", stranger.id, "carla"))
    assert org.reports.get(path, headers=carla).status_code == 404
    elsewhere = path.replace(f"/orgs/{org.id}/", f"/orgs/{stranger.id}/")
    assert org.reports.get(elsewhere, headers=carla).status_code == 404
    stranger.reports.close()
    stranger.intake.close()
    # The report is in: no more files for it.
    late = org.reports.post(
        f"/v1/orgs/{org.id}/attachments", json={"report_id": report_id, "size": 2000}
    )
    assert late.status_code == 409 and "received already" in late.json()["detail"]


def test_limits_are_answered_while_the_upload_streams(org: Org) -> None:
    report_id = str(uuid.uuid4())
    base = f"/v1/orgs/{org.id}/attachments"

    def reserve(size: int) -> dict[str, object]:
        answer = org.reports.post(base, json={"report_id": report_id, "size": size})
        return {"status": answer.status_code, **answer.json()}

    big = reserve(PIECE_BYTES + 100)
    assert big["status"] == 201 and big["piece_bytes"] == PIECE_BYTES
    too_much = reserve(PIECE_BYTES + 4096)
    assert too_much["status"] == 413 and "in all" in str(too_much["detail"])
    assert reserve(2000)["status"] == 201
    assert reserve(2000)["status"] == 201
    fourth = reserve(2000)
    assert fourth["status"] == 422 and "at most 3 attachments" in str(fourth["detail"])

    def put(piece: int, data: bytes, secret: object = big["upload_secret"]) -> tuple[int, str]:
        answer = org.reports.put(
            f"{base}/{big['attachment_id']}/pieces/{piece}",
            content=data,
            headers={"X-SafeHands-Upload": str(secret)},
        )
        return answer.status_code, answer.text

    assert put(0, b"x" * PIECE_BYTES, secret="someone-else")[0] == 404
    assert put(0, b"x" * (PIECE_BYTES + 1))[0] == 413
    assert put(1, b"x" * 100)[0] == 409
    short = put(0, b"x" * 100)
    assert short[0] == 422 and "Every piece but the last" in short[1]
    assert put(0, b"x" * PIECE_BYTES)[0] == 200
    over = put(1, b"x" * 101)
    assert over[0] == 413 and "reserved for" in over[1]
    status, text = put(1, b"x" * 100)
    assert status == 200 and '"complete":true' in text
    assert put(2, b"x")[0] == 409
    no_secret = org.reports.put(f"{base}/{big['attachment_id']}/pieces/2", content=b"x")
    assert no_secret.status_code == 422


def test_a_vcp_replies_with_a_file_the_reporter_opens(org: Org, tmp_path: Path) -> None:
    anna, bram = PrivateKey.generate(), PrivateKey.generate()
    org.appoint("anna", anna)
    org.appoint("bram", bram)
    org.wait_until_intake_knows(anna, bram)
    with org.api() as anonymous:
        submitted = reporter.submit_report(
            anonymous,
            org.id,
            ReportBody(category="other", description="Zie bijlage.", wants_contact=False),
            to=["anna"],
        )
    org.wait_for_report("anna", submitted.report_id)
    leaflet = LocalFile("folder.pdf", "application/pdf", b"%PDF-1.4 hulp en advies\n" * 100)
    with org.api("anna") as api:
        message_id = vcp_cli.reply(
            api, org.id, submitted.report_id, "Hierbij de folder.", anna, [leaflet]
        )
        # Posted: no more files for that reply.
        with pytest.raises(ApiError) as late:
            api.reserve_reply_attachment(org.id, submitted.report_id, message_id, 2000)
        assert late.value.status_code == 409
    # Bram is not in the case: he can reserve nothing for it.
    with org.api("bram") as api, pytest.raises(ApiError) as refused:
        api.reserve_reply_attachment(org.id, submitted.report_id, str(uuid.uuid4()), 2000)
    assert refused.value.status_code == 404

    runner = CliRunner()
    env = {
        "SH_REPORTS_URL": org.services["reports"].url,
        "SH_RECEIPT": submitted.receipt,
        "COLUMNS": "200",
    }
    checked = runner.invoke(
        app, ["report", "check", "--org", org.id, "--save", str(tmp_path / "in")], env=env
    )
    assert checked.exit_code == 0, checked.output
    assert "Attachment: folder.pdf (application/pdf" in checked.output
    assert (tmp_path / "in" / "1-folder.pdf").read_bytes() == leaflet.data
    # Anna reads her own reply's file too; another mailbox secret reaches nothing.
    with org.api("anna") as api:
        case = vcp_cli.read_case(api, org.id, submitted.report_id, anna)
        [ref] = case.messages[0].attachments
        assert api.download_attachment(org.id, submitted.report_id, str(ref.attachment_id))
        with pytest.raises(ApiError) as stranger:
            api.download_mailbox_attachment(org.id, "ab" * 32, str(ref.attachment_id))
        assert stranger.value.status_code == 404
