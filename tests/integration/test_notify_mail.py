"""notify's mails on the real broker, database and SMTP sink: a volunteer's path and a new
report, each mail exactly once although two notify processes consume the same events (and
one event arrives twice), and an SMTP outage that loses nothing.

Waits are long: a new notify first reads every event earlier tests left on the shared broker
(consumers start at the earliest offset); a wait ends as soon as its condition holds.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from pymongo import MongoClient

from cli.embedded import free_port
from cli.smtp_sink import MaildirHandler
from shared.events import Event
from shared.events.admission import (
    AdmissionBlocked,
    CodeOfConductPublished,
    CodeSigned,
    InterviewRecorded,
    OrganisationRegistered,
    ResignRequired,
    RoleDefined,
    VOGExpiring,
    VOGReceived,
    VOGRequested,
    VolunteerAdmitted,
    VolunteerApplied,
    VolunteerRejected,
)
from shared.events.cloudevents import encode
from shared.events.notifications import NotificationSent
from shared.events.reports import (
    IncidentReported,
    ReportDeadlineApproaching,
    ReportKeyShared,
    ReportMessagePosted,
    VCPAppointed,
)
from tests.support.kafka import produce, read_topic
from tests.support.mail import mails_to
from tests.support.platform import Infrastructure, Platform, RunningService, eventually

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def two_notifies(infra: Infrastructure) -> Iterator[tuple[Platform, list[RunningService]]]:
    platform = Platform(infra)
    try:
        yield platform, [platform.start("notify"), platform.start("notify")]
    finally:
        platform.stop_all()


async def publish(infra: Infrastructure, *events: Event, event_id: str | None = None) -> None:
    for event in events:
        record = encode(event, "/tests", event_id=event_id)
        await produce(infra.kafka_bootstrap, record.topic, record.value, record.key, record.headers)


def mail_documents(platform: Platform, org: str) -> list[dict]:  # type: ignore[type-arg]
    with MongoClient(platform.infra.mongo_uri) as client:
        return list(client[f"{platform.database}_notify"]["mails"].find({"org_id": org}))


def known_to_notify(
    platform: Platform, collection: str, org: str, count: int = 1, **fields: object
) -> bool:
    with MongoClient(platform.infra.mongo_uri) as client:
        found = client[f"{platform.database}_notify"][collection].count_documents(
            {"org_id": org, **fields}
        )
        return found >= count


def all_sent(platform: Platform, org: str, expected: int) -> bool:
    documents = mail_documents(platform, org)
    return len(documents) == expected and all(d["status"] == "sent" for d in documents)


def set_contacts(
    infra: Infrastructure, notify: RunningService, org: str, coordinator: str, admin: str
) -> None:
    with notify.client() as http:
        answer = http.put(
            f"/v1/orgs/{org}/contacts",
            json={"coordinators": [coordinator], "admins": [admin]},
            headers={"Authorization": f"Bearer {infra.token('admin', org)}"},
        )
    assert answer.status_code == 200, answer.text


def sports_club(org: str) -> list[Event]:
    """An English-speaking club with a youth coach's role, which needs a VOG."""
    return [
        OrganisationRegistered(org_id=org, name="Sportclub De Meeuwen", language="en"),
        RoleDefined(
            org_id=org,
            role_id="coach",
            title="Youth coach",
            works_with_minors=True,
            works_with_vulnerable=False,
            vog_required=True,
            vog_max_age_days=180,
            vog_renewal_years=3,
        ),
    ]


def address(who: str) -> str:
    return f"{who}-{uuid.uuid4().hex[:8]}@example.org"


def kinds(messages: list[EmailMessage]) -> list[tuple[str, str]]:
    return sorted((str(m["To"]), str(m["X-SafeHands-Kind"])) for m in messages)


async def test_a_volunteers_path_mails_applicant_and_coordinator_once_each_in_the_orgs_language(
    infra: Infrastructure, two_notifies: tuple[Platform, list[RunningService]]
) -> None:
    platform, (notify, _second) = two_notifies
    org = f"org-{uuid.uuid4().hex[:6]}"
    coordinator, admin = address("coordinator"), address("admin")
    set_contacts(infra, notify, org, coordinator, admin)
    await publish(
        infra,
        *sports_club(org),
        CodeOfConductPublished(org_id=org, version=2, sha256="a" * 64, published_at=NOW),
    )
    # Organisation, role and code travel on other topics than the volunteer's events.
    eventually(lambda: known_to_notify(platform, "roles", org), timeout=120)
    eventually(
        lambda: known_to_notify(platform, "organisations", org, language="en", code_version=2),
        timeout=120,
    )

    anna, bob, cees = address("anna"), address("bob"), address("cees")
    anna_id, bob_id, cees_id = str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())
    applied = VolunteerApplied(
        org_id=org,
        volunteer_id=anna_id,
        application_id=str(uuid.uuid4()),
        role_id="coach",
        name="Anna de Vries",
        email=anna,
        applied_at=NOW,
    )
    applied_id = str(uuid.uuid4())
    await publish(infra, applied, event_id=applied_id)
    await publish(
        infra,
        InterviewRecorded(
            org_id=org, volunteer_id=anna_id, outcome="proceed", recorded_by="c", recorded_at=NOW
        ),
        VOGRequested(org_id=org, volunteer_id=anna_id, role_id="coach", screening_aspects=[84, 85]),
        VOGReceived(
            org_id=org,
            volunteer_id=anna_id,
            issued_on=date(2026, 2, 20),
            screening_aspects=[84, 85],
            checked_by="c",
            recorded_on=date(2026, 3, 1),
        ),
        VolunteerAdmitted(org_id=org, volunteer_id=anna_id, role_id="coach"),
        ResignRequired(org_id=org, volunteer_id=anna_id, version=3),
        AdmissionBlocked(org_id=org, volunteer_id=anna_id, missing=["code_signature"]),
        VOGExpiring(org_id=org, volunteer_id=anna_id, renewal_due=date(2029, 2, 20)),
        applied.model_copy(update={"volunteer_id": bob_id, "name": "Bob", "email": bob}),
        InterviewRecorded(
            org_id=org, volunteer_id=bob_id, outcome="doubt", recorded_by="c", recorded_at=NOW
        ),
        VolunteerRejected(org_id=org, volunteer_id=bob_id),
        # Cees signs the code before the interview: nobody asks him to sign it again.
        applied.model_copy(update={"volunteer_id": cees_id, "name": "Cees", "email": cees}),
        CodeSigned(
            org_id=org,
            volunteer_id=cees_id,
            version=2,
            sha256="0" * 64,
            signed_at=NOW,
            recorded_by=cees_id,
        ),
        InterviewRecorded(
            org_id=org, volunteer_id=cees_id, outcome="proceed", recorded_by="c", recorded_at=NOW
        ),
    )
    # The same event again, as Kafka redelivers it: it must not mail anyone a second time.
    await publish(infra, applied, event_id=applied_id)

    expected = sorted(
        [
            (anna, "application_received"),
            (anna, "please_sign_code"),
            (anna, "vog_needed"),
            (anna, "admitted"),
            (anna, "please_sign_code"),
            (anna, "vog_renewal_approaching"),
            (coordinator, "new_application"),
            (coordinator, "vog_received"),
            (coordinator, "volunteer_back_to_pending"),
            (bob, "application_received"),
            (bob, "rejected"),
            (coordinator, "new_application"),
            (cees, "application_received"),
            (coordinator, "new_application"),
            # The code is published while notify knows no VCP: the admin hears of the toolkit.
            (admin, "code_published_without_vcp"),
        ]
    )
    eventually(lambda: all_sent(platform, org, len(expected)), timeout=180)
    # A mail is marked sent only after the SMTP server took it: the sink's files are final.
    received = mails_to(infra.maildir, anna, bob, cees, coordinator, admin)
    assert kinds(received) == expected

    def to_anna(kind: str) -> list[str]:
        return [
            f"{m['Subject']}\n{m.get_content()}"
            for m in received
            if m["To"] == anna and m["X-SafeHands-Kind"] == kind
        ]

    (welcome,) = to_anna("application_received")
    assert "We have received your application" in welcome
    assert "Youth coach" in welcome and "Sportclub De Meeuwen" in welcome
    assert sorted("version 2" in m or "version 3" in m for m in to_anna("please_sign_code")) == [
        True,
        True,
    ]
    assert {"(version 2)" in m for m in to_anna("please_sign_code")} == {True, False}
    assert (
        "84: dealing with minors and 85: care for people in need of help"
        in to_anna("vog_needed")[0]
    )
    assert "20 February 2029" in to_anna("vog_renewal_approaching")[0]
    back = next(m for m in received if m["X-SafeHands-Kind"] == "volunteer_back_to_pending")
    assert "Anna de Vries" in back.get_content() and "code of conduct" in back.get_content()
    # Each mail that asks for an action links to its page: the coordinator's to the volunteer.
    assert f"/coordinator/volunteers/{anna_id}" in back.get_content()
    to_coordinator = [m for m in received if m["To"] == coordinator]
    assert {
        str(m["X-SafeHands-Kind"])
        for m in to_coordinator
        if f"/coordinator/volunteers/{anna_id}" in m.get_content()
    } == {"new_application", "vog_received", "volunteer_back_to_pending"}
    assert all("/me" in m for m in to_anna("please_sign_code"))
    assert all(m["From"] and m["Message-ID"] and m["Date"] for m in received)

    sent = await read_topic(
        infra.kafka_bootstrap,
        NotificationSent.topic(),
        until=lambda records: (
            sum(json.loads(r.value)["org_id"] == org for r in records) >= len(expected)
        ),
        timeout=20,
    )
    ours = [json.loads(r.value) for r in sent if json.loads(r.value)["org_id"] == org]
    assert len(ours) == len(expected)
    assert all("@" not in json.dumps(n) for n in ours), "no address in NotificationSent"
    assert sum(n["caused_by_event_id"] == applied_id for n in ours) == 2


async def test_a_new_report_mails_every_vcp_the_report_id_and_nothing_of_the_report(
    infra: Infrastructure, two_notifies: tuple[Platform, list[RunningService]]
) -> None:
    platform, _ = two_notifies
    org = f"org-{uuid.uuid4().hex[:6]}"
    vcp_one, vcp_two = address("vcp"), address("vcp")
    await publish(infra, OrganisationRegistered(org_id=org, name="Buurthuis Oost"))
    # One after the other, as an admin appoints them: the second is announced to the first.
    # (Two appointments handled at the same moment by two notify instances would each miss
    # the other's uncommitted one; that race is not what this test is about.)
    for n, mail in enumerate((vcp_one, vcp_two)):
        await publish(
            infra,
            VCPAppointed(
                org_id=org,
                vcp_id=f"vcp-{n}",
                name=f"Vertrouwenspersoon {n}",
                email=mail,
                public_key={"suite": "X25519", "key": "k" * 43},
                fingerprint="f" * 32,
            ),
        )
        eventually(lambda n=n: known_to_notify(platform, "vcps", org, n + 1), timeout=120)
    eventually(
        lambda: known_to_notify(platform, "organisations", org, name="Buurthuis Oost"), timeout=120
    )

    report_id = str(uuid.uuid4())
    secret_bits = {
        "ciphertext": "Q2lwaGVydGV4dE9mVGhlUmVwb3J0V2hpY2hOb01haWxNYXlIb2xk",
        "nonce": "Tm9uY2VOb25jZU4",
        "sealed_key": "U2VhbGVkS2V5Rm9yVGhlVkNQT25seQ",
        "mailbox_lookup": "9d" * 32,
        "reply_key": "UmVwbHlLZXlPZlRoZVJlcG9ydGVy",
    }
    reported = IncidentReported(
        org_id=org,
        report_id=report_id,
        envelope={
            "v": 1,
            "suite": "X25519",
            "nonce": secret_bits["nonce"],
            "ciphertext": secret_bits["ciphertext"],
            "recipients": [{"key_id": "f" * 32, "sealed_key": secret_bits["sealed_key"]}],
        },
        mailbox_lookup=secret_bits["mailbox_lookup"],
        reply_key={"suite": "X25519", "key": secret_bits["reply_key"]},
        received_at=NOW,
    )
    due = NOW + timedelta(days=7)
    await publish(
        infra,
        reported,
        ReportDeadlineApproaching(
            org_id=org, report_id=report_id, deadline="acknowledge", due_at=due, missed=False
        ),
        ReportDeadlineApproaching(
            org_id=org, report_id=report_id, deadline="feedback", due_at=due, missed=True
        ),
    )
    # Six about the report, and one to the VCP appointed first about the second.
    eventually(lambda: all_sent(platform, org, 7), timeout=180)
    received = mails_to(infra.maildir, vcp_one, vcp_two)
    colleague = [m for m in received if m["X-SafeHands-Kind"] == "vcp_colleague_appointed"]
    assert len(colleague) == 1 and "f" * 32 in colleague[0].get_content()
    received = [m for m in received if m not in colleague]
    assert kinds(received) == sorted(
        (vcp, kind)
        for vcp in (vcp_one, vcp_two)
        for kind in ("new_report", "deadline_approaching", "deadline_missed")
    )
    for message in received:
        raw = message.as_string()
        readable = f"{message['Subject']}\n{message.get_content()}"
        assert report_id in readable
        for name, value in secret_bits.items():
            assert value not in raw and value not in readable, f"the report's {name} leaked"
        assert "X25519" not in readable
    new_report = next(m for m in received if m["X-SafeHands-Kind"] == "new_report")
    assert new_report["Subject"] == "Nieuwe melding in SafeHands"
    missed = next(m for m in received if m["X-SafeHands-Kind"] == "deadline_missed")
    assert "9 maart 2026" in missed.get_content() and "terugkoppeling" in missed.get_content()
    # Nobody else was written to about this organisation: the reporter has no address here.
    assert {d["to"] for d in mail_documents(platform, org)} == {vcp_one, vcp_two}


async def test_mails_wait_out_an_smtp_outage_and_are_sent_when_it_ends(
    infra: Infrastructure, platform: Platform, tmp_path: Path
) -> None:
    smtp_port = free_port()
    platform.start(
        "notify",
        env={"SAFEHANDS_SMTP_PORT": str(smtp_port), "SAFEHANDS_NOTIFY_RETRY_SCALE": "0.05"},
    )
    org = f"org-{uuid.uuid4().hex[:6]}"
    vcp = address("vcp")
    await publish(
        infra,
        VCPAppointed(
            org_id=org,
            vcp_id="vcp-1",
            name="V",
            email=vcp,
            public_key={"suite": "X25519", "key": "k"},
            fingerprint="f" * 32,
        ),
    )
    eventually(lambda: known_to_notify(platform, "vcps", org), timeout=120)
    await publish(
        infra,
        IncidentReported(
            org_id=org,
            report_id=str(uuid.uuid4()),
            envelope={},
            mailbox_lookup="0" * 64,
            reply_key={},
            received_at=NOW,
        ),
    )

    def failed_attempts() -> int:
        documents = mail_documents(platform, org)
        return (
            documents[0].get("attempts", 0)
            if documents and documents[0]["status"] == "pending"
            else 0
        )

    eventually(lambda: failed_attempts() >= 2, timeout=120)
    sink = Controller(MaildirHandler(tmp_path), hostname="127.0.0.1", port=smtp_port)
    sink.start()
    try:
        eventually(lambda: all_sent(platform, org, 1), timeout=180)
    finally:
        sink.stop()
    (message,) = mails_to(tmp_path, vcp)
    assert message["X-SafeHands-Kind"] == "new_report"
    assert mail_documents(platform, org)[0]["attempts"] >= 3


async def test_a_reporters_message_mails_the_vcps_who_can_read_the_case_and_nothing_of_it(
    infra: Infrastructure, two_notifies: tuple[Platform, list[RunningService]]
) -> None:
    """Issue 20 item 5: a reporter's new message mails the VCPs content-free, like a new
    report: those the report was sealed to, and one it was handed to later; never the VCP
    the reporter left out, and never for a VCP's own reply."""
    platform, _ = two_notifies
    org = f"org-{uuid.uuid4().hex[:6]}"
    sealed, left_out = address("vcp"), address("vcp")
    await publish(infra, OrganisationRegistered(org_id=org, name="Buurthuis West", language="en"))
    for n, (mail, fingerprint) in enumerate(((sealed, "a" * 32), (left_out, "b" * 32))):
        await publish(
            infra,
            VCPAppointed(
                org_id=org,
                vcp_id=f"vcp-{n}",
                name=f"Vertrouwenspersoon {n}",
                email=mail,
                public_key={"suite": "X25519", "key": "k" * 43},
                fingerprint=fingerprint,
            ),
        )
        eventually(lambda n=n: known_to_notify(platform, "vcps", org, n + 1), timeout=120)
    report_id = str(uuid.uuid4())
    ciphertext = "Q2lwaGVydGV4dE9mVGhlTWVzc2FnZQ"
    await publish(
        infra,
        IncidentReported(
            org_id=org,
            report_id=report_id,
            envelope={
                "v": 1,
                "suite": "X25519",
                "nonce": "Tm9uY2VOb25jZU4",
                "ciphertext": ciphertext,
                "recipients": [{"key_id": "a" * 32, "sealed_key": "U2VhbGVk"}],
            },
            mailbox_lookup="9d" * 32,
            reply_key={"suite": "X25519", "key": "UmVwbHk"},
            received_at=NOW,
        ),
    )
    eventually(lambda: known_to_notify(platform, "report_readers", org), timeout=120)
    posted = dict(org_id=org, report_id=report_id, posted_at=NOW)
    await publish(
        infra,
        ReportMessagePosted(**posted, message_id=str(uuid.uuid4()), sender="vcp"),
        ReportMessagePosted(**posted, message_id=str(uuid.uuid4()), sender="reporter"),
    )
    # new_report and reporter_message to the sealed VCP; the colleague mail to the first.
    eventually(lambda: all_sent(platform, org, 3), timeout=180)
    about_the_case = [
        m
        for m in mails_to(infra.maildir, sealed, left_out)
        if m["X-SafeHands-Kind"] in ("new_report", "reporter_message")
    ]
    assert kinds(about_the_case) == [(sealed, "new_report"), (sealed, "reporter_message")]
    message = next(m for m in about_the_case if m["X-SafeHands-Kind"] == "reporter_message")
    assert message["Subject"] == "New message on a report in SafeHands"
    assert f"/vcp/cases/{report_id}" in message.get_content()
    assert ciphertext not in message.as_string()

    # Handed over to the VCP left out: from then on they are told too.
    await publish(
        infra,
        ReportKeyShared(org_id=org, report_id=report_id, vcp_id="vcp-1", shared_by="vcp-0"),
        ReportMessagePosted(**posted, message_id=str(uuid.uuid4()), sender="reporter"),
    )
    eventually(lambda: all_sent(platform, org, 5), timeout=180)
    told = [
        m for m in mails_to(infra.maildir, left_out) if m["X-SafeHands-Kind"] == "reporter_message"
    ]
    assert len(told) == 1
