"""notify's mails of a consultation round on the real broker, database and SMTP sink: the
invitation, the reminder and the result go to each invitee whose address notify knows (a
volunteer from their application, a staff member from identity), once each, with the
organisation's name and the days only, never to anyone not invited."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from pymongo import MongoClient

from shared.events import Event
from shared.events.admission import OrganisationRegistered, VolunteerApplied
from shared.events.cloudevents import encode
from shared.events.consultation import (
    ConsultationClosed,
    ConsultationClosingSoon,
    ConsultationCommented,
    ConsultationOpened,
)
from shared.events.identity import MemberAdded
from tests.support.kafka import produce
from tests.support.mail import body_text, mails_to
from tests.support.platform import Infrastructure, Platform, eventually

NOW = datetime(2026, 12, 5, 9, 30, tzinfo=UTC)


async def publish(infra: Infrastructure, *events: Event) -> None:
    for event in events:
        record = encode(event, "/tests")
        await produce(infra.kafka_bootstrap, record.topic, record.value, record.key, record.headers)


def known(platform: Platform, collection: str, org: str) -> bool:
    with MongoClient(platform.infra.mongo_uri) as client:
        return (
            client[f"{platform.database}_notify"][collection].count_documents({"org_id": org}) > 0
        )


def address(who: str) -> str:
    return f"{who}-{uuid.uuid4().hex[:8]}@example.org"


async def test_invitation_reminder_and_result_reach_the_invitees_once(
    platform: Platform, infra: Infrastructure
) -> None:
    platform.start("notify")
    org = f"org-{uuid.uuid4().hex[:6]}"
    anna, cor, outsider = address("anna"), address("cor"), address("outsider")
    anna_id, other_id = str(uuid.uuid4()), str(uuid.uuid4())
    await publish(
        infra,
        OrganisationRegistered(org_id=org, name="Sportclub De Meeuwen", language="en"),
        VolunteerApplied(
            org_id=org,
            volunteer_id=anna_id,
            application_id=str(uuid.uuid4()),
            role_id="coach",
            name="Anna de Vries",
            email=anna,
            applied_at=NOW,
        ),
        # Someone else's application: not invited, never mailed.
        VolunteerApplied(
            org_id=org,
            volunteer_id=other_id,
            application_id=str(uuid.uuid4()),
            role_id="coach",
            name="Otto",
            email=outsider,
            applied_at=NOW,
        ),
        MemberAdded(
            org_id=org,
            member_id="cor-1",
            sub="cor-1",
            roles=["coordinator"],
            added_at=NOW,
            name="Cor",
            email=cor,
        ),
    )
    for collection in ("organisations", "volunteers", "staff"):
        eventually(lambda c=collection: known(platform, c, org), timeout=120)

    invitees = [anna_id, "cor-1", "never-heard-of"]
    round_id = str(uuid.uuid4())
    await publish(
        infra,
        ConsultationOpened(
            org_id=org, consultation_id=round_id, closes_on=date(2026, 12, 20), invitee_ids=invitees
        ),
        ConsultationCommented(
            org_id=org, consultation_id=round_id, comment_id="c-1", section="respect"
        ),
        ConsultationClosingSoon(
            org_id=org, consultation_id=round_id, closes_on=date(2026, 12, 20), invitee_ids=invitees
        ),
        ConsultationClosed(
            org_id=org,
            consultation_id=round_id,
            closed_on=date(2026, 12, 21),
            people=2,
            comments=5,
            invitee_ids=invitees,
        ),
    )
    expected = sorted(
        (to, kind)
        for to in (anna, cor)
        for kind in ("consultation_invited", "consultation_closing_soon", "consultation_closed")
    )

    def received() -> list[tuple[str, str]]:
        return sorted(
            (str(m["To"]), str(m["X-SafeHands-Kind"]))
            for m in mails_to(infra.maildir, anna, cor, outsider)
            if str(m["X-SafeHands-Kind"]).startswith("consultation")
        )

    eventually(lambda: received() == expected, timeout=120)
    messages = [
        m
        for m in mails_to(infra.maildir, anna, cor)
        if str(m["X-SafeHands-Kind"]).startswith("consultation")
    ]
    invitation = next(m for m in messages if m["X-SafeHands-Kind"] == "consultation_invited")
    assert "Sportclub De Meeuwen" in str(invitation["Subject"])
    assert "20 December 2026" in body_text(invitation) and "/me#consultation" in body_text(
        invitation
    )
    result = next(m for m in messages if m["X-SafeHands-Kind"] == "consultation_closed")
    assert "2 people left 5 comments" in body_text(result)
    # The applicant not invited got their application's mail, and nothing of the round.
    assert [str(m["X-SafeHands-Kind"]) for m in mails_to(infra.maildir, outsider)] == [
        "application_received"
    ]
