"""The mails of a volunteer's path and of a new report, end to end: HTTP into intake,
policy and reports, events through the real broker, notify mailing the test SMTP sink."""

from __future__ import annotations

import hashlib
import uuid
from collections import Counter
from datetime import timedelta
from email.message import EmailMessage

import pytest
from pymongo import MongoClient

from cli import report as reporter
from cli.reporting_client import ApiError, ReportingApi
from shared.crypto import PrivateKey, ReportBody
from shared.domain.calendar import today
from tests.support.admission import bearer
from tests.support.mail import mails_to
from tests.support.platform import Infrastructure, RunningService, eventually
from tests.support.vcps import appoint_vcp

pytestmark = pytest.mark.e2e

CODE = "Wij behandelen iedereen met respect.\n"


def kinds(messages: list[EmailMessage]) -> Counter[tuple[str, str]]:
    return Counter((str(m["To"]), str(m["X-SafeHands-Kind"])) for m in messages)


def submitted(api: ReportingApi, org: str, body: ReportBody) -> reporter.Submission | None:
    try:
        return reporter.submit_report(api, org, body)
    except ApiError as exc:
        assert exc.status_code == 404, exc
        return None


def test_a_volunteers_path_and_a_new_report_mail_exactly_who_should_hear_of_them(
    infra: Infrastructure, services: dict[str, RunningService]
) -> None:
    org = f"org-{uuid.uuid4().hex[:6]}"
    policy, intake, notify = (services[n].client() for n in ("policy", "intake", "notify"))
    admin, coordinator_token = (bearer(infra.token(r, org)) for r in ("admin", "coordinator"))
    anna = f"anna-{uuid.uuid4().hex[:6]}@example.org"
    coordinator = f"coordinator-{uuid.uuid4().hex[:6]}@example.org"
    vcp = f"vcp-{uuid.uuid4().hex[:6]}@example.org"

    registered = policy.post(
        "/v1/orgs",
        json={"org_id": org, "name": "Scouting De Bevers", "language": "en"},
        headers=bearer(infra.token("operator")),
    )
    assert registered.status_code == 201, registered.text
    role = {"title": "Youth leader", "works_with_minors": True, "works_with_vulnerable": False}
    assert policy.put(f"/v1/orgs/{org}/roles/leader", json=role, headers=admin).status_code == 200
    assert (
        policy.post(f"/v1/orgs/{org}/codes", json={"text": CODE}, headers=admin).status_code == 201
    )
    contacts = {"coordinators": [coordinator], "admins": []}
    assert notify.put(f"/v1/orgs/{org}/contacts", json=contacts, headers=admin).status_code == 200

    application = {"role_id": "leader", "name": "Anna de Vries", "email": anna}
    applied = eventually(
        lambda: (
            (a := intake.post(f"/v1/orgs/{org}/applications", json=application)).status_code == 202
            and a
        )
    )
    volunteer = applied.json()["volunteer_id"]
    steps = f"/v1/orgs/{org}/volunteers/{volunteer}"
    interview = {"outcome": "proceed"}
    assert (
        intake.post(f"{steps}/interview", json=interview, headers=coordinator_token).status_code
        == 201
    )
    signature = {
        "version": 1,
        "sha256": hashlib.sha256(CODE.encode()).hexdigest(),
        "full_name": "Anna de Vries",
    }
    volunteer_token = bearer(infra.token("volunteer", org, volunteer))
    eventually(
        lambda: (
            intake.post(f"{steps}/signature", json=signature, headers=volunteer_token).status_code
            == 201
        )
    )
    vog = {
        "issued_on": (today() - timedelta(days=10)).isoformat(),
        "screening_aspects": [84],
        "checked_by": "Coordinator Jansen",
    }
    assert intake.post(f"{steps}/vog", json=vog, headers=coordinator_token).status_code == 201
    eventually(
        lambda: (
            policy.get(f"{steps}/admission", headers=coordinator_token).json().get("status")
            == "admitted"
        ),
        timeout=30,
    )

    # A report: the VCP hears that there is one, and nothing of what it says.
    key = PrivateKey.generate()
    appoint_vcp(
        services["reports"].client(),
        org,
        "vcp-1",
        key,
        admin=admin,
        vcp={"Authorization": f"Bearer {infra.token('vcp', org, 'vcp-1')}"},
        name="Vera",
        email=vcp,
    )
    body = ReportBody(
        category="bullying",
        description="Tijdens het kamp werd Sam steeds uitgelachen door de leiding.",
        location="Kampterrein Zeeland",
        wants_contact=False,
    )
    with ReportingApi(services["intake"].url, services["reports"].url, None) as anonymous:
        # intake learns the VCP's key from VCPAppointed: eventually.
        submission = eventually(lambda: submitted(anonymous, org, body))

    expected = {
        (anna, "application_received"),
        (anna, "please_sign_code"),
        (anna, "vog_needed"),
        (anna, "admitted"),
        (coordinator, "new_application"),
        (coordinator, "vog_received"),
        (vcp, "new_report"),
        # identity's sign-in link to make a key (appoint_vcp appoints first, then sets the
        # key), sent by a job every few seconds: sometimes before the report's mail, sometimes
        # after, so it is waited for rather than left to chance.
        (vcp, "vcp_invitation"),
    }
    eventually(
        lambda: set(kinds(mails_to(infra.maildir, anna, coordinator, vcp))) >= expected, timeout=60
    )

    def all_sent() -> bool:
        with MongoClient(infra.mongo_uri) as client:
            database = f"{services['notify'].child.env['SAFEHANDS_MONGO_DATABASE']}_notify"
            mails = list(client[database]["mails"].find({"org_id": org}))
        return bool(mails) and all(m["status"] == "sent" for m in mails)

    eventually(all_sent, timeout=30)
    received = mails_to(infra.maildir, anna, coordinator, vcp)
    assert max(kinds(received).values()) == 1, kinds(received)
    welcome = next(m for m in received if m["X-SafeHands-Kind"] == "admitted")
    assert welcome["Subject"] == "Welcome to Scouting De Bevers!"
    assert "Youth leader" in welcome.get_content()
    assert {kind for to, kind in kinds(received) if to == vcp} == {"new_report", "vcp_invitation"}
    new_report = next(m for m in received if m["X-SafeHands-Kind"] == "new_report")
    text = f"{new_report['Subject']}\n{new_report.get_content()}"
    assert submission.report_id in text
    for secret in ("Sam", "uitgelachen", "Kampterrein", "bullying", submission.receipt):
        assert secret not in new_report.as_string() and secret not in text
