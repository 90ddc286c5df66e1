"""One volunteer's way from application to admitted and back, over HTTP against the four
services as separate processes on the real broker and database — plus the refusals."""

from __future__ import annotations

import asyncio
import hashlib
import io
import itertools
import json
from datetime import date, datetime, timedelta

import httpx
import pytest
from openpyxl import load_workbook

from shared.crypto import PrivateKey
from shared.domain.calendar import today
from shared.events.admission import (
    AdmissionBlocked,
    ResignRequired,
    VOGRequested,
    VolunteerAdmitted,
)
from tests.support.admission import Organisation, bearer
from tests.support.kafka import read_topic
from tests.support.platform import Infrastructure, RunningService, eventually
from tests.support.vcps import appoint_vcp

pytestmark = pytest.mark.e2e

CODE_V1 = "Wij behandelen iedereen met respect.\n"
CODE_V2 = CODE_V1 + "Wij zijn nooit alleen met een kind achter een gesloten deur.\n"


def organisation(infra: Infrastructure, services: dict[str, RunningService]) -> Organisation:
    return Organisation(infra, services["intake"], services["policy"])


def _midnight(day: date) -> datetime:
    # A workbook keeps a date as a date-time at midnight.
    return datetime(day.year, day.month, day.day)


def days_ago(days: int) -> date:
    return today() - timedelta(days=days)


async def test_one_volunteer_from_application_to_admitted_and_through_a_new_code(
    infra: Infrastructure, services: dict[str, RunningService]
) -> None:
    org = organisation(infra, services)
    assert org.register().status_code == 201
    assert org.register().status_code == 409

    role = {"title": "Jeugdleider", "works_with_minors": True, "works_with_vulnerable": False}
    assert org.define_role("youth-leader", role, headers=org.coordinator).status_code == 403
    defined = org.define_role("youth-leader", role)
    assert defined.status_code == 200
    assert defined.json()["vog_required"] is True
    assert defined.json()["vog_max_age_days"] == 180

    assert org.policy.get(f"/v1/orgs/{org.id}/codes/current").status_code == 404
    v1 = org.publish_code(CODE_V1)
    assert v1.status_code == 201
    assert v1.json() == {"version": 1, "sha256": hashlib.sha256(CODE_V1.encode()).hexdigest()}
    assert org.policy.get(f"/v1/orgs/{org.id}/codes/current").json()["text"] == CODE_V1

    anna = org.apply("youth-leader")
    org.wait_for_admission(anna, "pending", ["interview", "code_signature", "vog"])

    assert org.interview(anna, "proceed").status_code == 201
    org.wait_for_admission(anna, "pending", ["code_signature", "vog"])

    eventually(lambda: org.sign(anna, 1, CODE_V1).status_code == 201)
    org.wait_for_admission(anna, "pending", ["vog"])

    too_old = org.hand_in_vog(anna, days_ago(200), [84])
    assert too_old.status_code == 422
    assert "at most 180 days" in too_old.json()["detail"]
    assert org.hand_in_vog(anna, days_ago(-3), [84]).status_code == 422
    assert org.hand_in_vog(anna, days_ago(20), [11]).status_code == 422
    assert org.hand_in_vog(anna, days_ago(20), [84]).status_code == 201
    org.wait_for_admission(anna, "admitted", [])

    # The same text again is no new version: nobody has to sign anything twice.
    same = org.publish_code(CODE_V1)
    assert same.status_code == 409
    assert same.json() == {
        "detail": "This text is the same as version 1, the current version; change it before"
        " publishing."
    }

    v2 = org.publish_code(CODE_V2)
    assert v2.json()["version"] == 2
    current = org.policy.get(f"/v1/orgs/{org.id}/codes/current").json()
    assert current["resign_before"] == (today() + timedelta(days=30)).isoformat()

    # Once intake knows version 2, a signature on version 1 is refused as outdated.
    def outdated_refused() -> bool:
        answer = org.sign(anna, 1, CODE_V1)
        return answer.status_code == 409 and "sign version 2" in answer.json()["detail"]

    eventually(outdated_refused)
    # Within the organisation's grace period (30 days) Anna's signature of version 1 still
    # admits her while she signs version 2 (ResignRequired below says she was asked to).
    org.wait_for_admission(anna, "admitted", [])
    assert org.sign(anna, 2, CODE_V1).status_code == 409  # right number, wrong text
    assert org.sign(anna, 2, CODE_V2).status_code == 201

    def row() -> dict:  # type: ignore[type-arg]
        answer = org.policy.get(f"/v1/orgs/{org.id}/volunteers/{anna}", headers=org.coordinator)
        return answer.json()  # type: ignore[no-any-return]

    eventually(lambda: row()["signed_code_version"] == 2)
    org.wait_for_admission(anna, "admitted", [])

    # The board's workbook: Anna, admitted on the day of admission, with her VOG's dates.
    workbook = org.policy.get(
        f"/v1/orgs/{org.id}/volunteers.xlsx", params={"lang": "en"}, headers=org.coordinator
    )
    assert workbook.status_code == 200
    assert workbook.headers["content-disposition"] == (
        f'attachment; filename="admitted-{org.id}.xlsx"'
    )
    sheet = load_workbook(io.BytesIO(workbook.content)).active
    assert sheet is not None
    rows = [[cell.value for cell in line] for line in sheet.iter_rows()]
    assert rows[0] == ["Name", "Role", "Admitted on", "VOG issued on", "Renew VOG before"]
    assert rows[1][:4] == [
        "Anna de Vries",
        "Jeugdleider",
        _midnight(today()),
        _midnight(days_ago(20)),
    ]
    assert (
        org.policy.get(
            f"/v1/orgs/{org.id}/volunteers.xlsx", headers=org.volunteer(anna)
        ).status_code
        == 403
    )
    # The same names leave the platform as with the list's own export: logged alike, once.
    exports = org.policy.get(
        f"/v1/orgs/{org.id}/audit", params={"action": "volunteers.exported"}, headers=org.admin
    )
    assert [(e["actor"]["role"], e["object"]) for e in exports.json()] == [
        ("coordinator", {"type": "volunteer_list", "id": "admitted"})
    ]

    # What policy announced about Anna, exactly once each.
    def about_anna(records: list) -> list[tuple[str, dict]]:  # type: ignore[type-arg]
        return [
            (dict(r.headers)["ce_type"].decode(), json.loads(r.value))
            for r in records
            if r.key == f"{org.id}:{anna}".encode()
        ]

    def asked_to_resign(records: list) -> bool:  # type: ignore[type-arg]
        return ResignRequired.type_name in [t for t, _ in about_anna(records)]

    records = await read_topic(
        infra.kafka_bootstrap, VolunteerAdmitted.topic(), until=asked_to_resign, timeout=20
    )
    announced = about_anna(records)
    types = [t for t, _ in announced]
    # Admitted once: the grace period kept her admitted, so signing version 2 admits nobody anew.
    assert types.count(VolunteerAdmitted.type_name) == 1
    assert AdmissionBlocked.type_name not in types[types.index(VolunteerAdmitted.type_name) :]
    assert [d["screening_aspects"] for t, d in announced if t == VOGRequested.type_name] == [[84]]
    assert [
        (d["version"], d["resign_before"]) for t, d in announced if t == ResignRequired.type_name
    ] == [(2, (today() + timedelta(days=30)).isoformat())]


async def test_refusals_role_change_and_other_organisations_see_nothing(
    infra: Infrastructure, services: dict[str, RunningService]
) -> None:
    org = organisation(infra, services)
    org.register()
    role = {"title": "Chauffeur", "works_with_minors": False, "works_with_vulnerable": False}
    org.define_role("driver", role)

    ben = org.apply("driver")
    unknown_role = org.intake.post(
        f"/v1/orgs/{org.id}/applications",
        json={"role_id": "astronaut", "name": "Ben", "email": "ben@example.org"},
    )
    assert unknown_role.status_code == 422
    # No code published yet: nothing to sign, so only the interview is missing.
    org.wait_for_admission(ben, "pending", ["interview"])
    assert org.interview(ben, "doubt").status_code == 201
    org.wait_for_admission(ben, "rejected", [])
    assert org.interview(ben, "proceed").status_code == 409

    # The role starts to work with minors: an admitted driver without a VOG falls back.
    carla = org.apply("driver")
    assert org.interview(carla, "proceed").status_code == 201
    org.wait_for_admission(carla, "admitted", [])
    org.define_role("driver", {**role, "works_with_minors": True})
    org.wait_for_admission(carla, "pending", ["vog"])
    org.wait_for_admission(ben, "rejected", [])

    other = organisation(infra, services)
    admission = f"/v1/orgs/{org.id}/volunteers/{ben}/admission"
    other_admin = bearer(infra.token("admin", other.id))
    assert org.policy.get(admission, headers=other_admin).status_code == 404
    assert org.policy.get(admission, headers=other.volunteer(ben)).status_code == 404
    assert org.policy.get(admission, headers=org.volunteer("someone-else")).status_code == 404
    assert org.policy.get(admission, headers=org.volunteer(ben)).json()["status"] == "rejected"
    assert org.policy.get(admission).status_code == 401
    other_coordinator = bearer(infra.token("coordinator", other.id))
    assert (
        org.intake.post(
            f"/v1/orgs/{org.id}/volunteers/{ben}/interview",
            json={"outcome": "proceed"},
            headers=other_coordinator,
        ).status_code
        == 404
    )
    assert org.interview("no-such-volunteer", "proceed").status_code == 404
    # Another volunteer's token cannot sign for Ben.
    assert org.sign(ben, 1, CODE_V1, headers=org.volunteer("someone-else")).status_code == 404


async def test_gratis_vog_and_retention_settings(
    infra: Infrastructure, services: dict[str, RunningService]
) -> None:
    org = organisation(infra, services)
    org.register()
    gratis = f"/v1/orgs/{org.id}/gratis-vog"
    assert org.policy.get(gratis, headers=org.coordinator).status_code == 403
    assert org.policy.get(gratis, headers=org.admin).json()["eligible"] is False

    role = {"title": "Buddy", "works_with_minors": False, "works_with_vulnerable": True}
    org.define_role("buddy", role)
    org.publish_code(CODE_V1)
    answer = org.policy.get(gratis, headers=org.admin).json()
    # Roles alone are no admission policy: the interview step must be in use as well.
    assert answer["eligible"] is False
    assert answer["pillars"] == {"code_of_conduct": True, "vcp": False, "admission_policy": False}
    assert answer["missing_pillars"] == ["vcp", "admission_policy"]
    assert answer["works_with_vulnerable_groups"] is True

    # A VCP appointed in reports reaches policy as VCPAppointed: all three pillars stand.
    key = PrivateKey.generate("X25519")
    with services["reports"].client() as reports:
        appoint_vcp(
            reports,
            org.id,
            "vcp-1",
            key,
            admin=org.admin,
            vcp={"Authorization": f"Bearer {infra.token('vcp', org.id, 'vcp-1')}"},
            name="Vera",
            email="vera@example.org",
        )
    eventually(
        lambda: (
            org.policy.get(gratis, headers=org.admin).json()
            == {
                "eligible": True,
                "pillars": {"code_of_conduct": True, "vcp": True, "admission_policy": False},
                "missing_pillars": ["admission_policy"],
                "works_with_vulnerable_groups": True,
            }
        )
    )
    # The first interview puts the interview step in use: all three pillars stand.
    assert org.interview(org.apply("buddy"), "proceed").status_code == 201
    eventually(lambda: org.policy.get(gratis, headers=org.admin).json()["missing_pillars"] == [])

    settings = f"/v1/orgs/{org.id}/settings"
    assert org.policy.get(settings, headers=org.admin).json() == {
        "volunteer_retention_days": 730,
        "listed": True,
        "resign_grace_days": 30,
        "kind": None,
        "news_digest": False,
    }
    changed = org.policy.put(settings, json={"volunteer_retention_days": 365}, headers=org.admin)
    assert changed.status_code == 200
    assert org.policy.get(settings, headers=org.admin).json() == {
        "volunteer_retention_days": 365,
        "listed": True,
        "resign_grace_days": 30,
        "kind": None,
        "news_digest": False,
    }
    assert (
        org.policy.put(
            settings, json={"volunteer_retention_days": 0}, headers=org.admin
        ).status_code
        == 422
    )


async def test_a_team_recording_interviews_at_once_gets_no_conflict(
    infra: Infrastructure, services: dict[str, RunningService]
) -> None:
    """Every staff action is in the organisation's one audit chain. Appended in the request
    (before issue 27), actions of one organisation at the same moment contended on its head
    (409s at 10 interviews a second); now the request writes its entry unchained and the
    service's chainer links it, so twelve at once all get through, and the log the admin
    reads right after holds all twelve, in one whole chain."""
    org = organisation(infra, services)
    assert org.register().status_code == 201
    role = {"title": "Trainer", "works_with_minors": False, "works_with_vulnerable": False}
    assert org.define_role("trainer", role).status_code == 200
    volunteers = [org.apply("trainer") for _ in range(12)]
    url = org.intake.base_url

    async def interview(client: httpx.AsyncClient, volunteer_id: str) -> int:
        answer = await client.post(
            f"/v1/orgs/{org.id}/volunteers/{volunteer_id}/interview",
            json={"outcome": "proceed"},
            headers=org.coordinator,
        )
        return answer.status_code

    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        statuses = await asyncio.gather(*(interview(client, v) for v in volunteers))
    assert statuses == [201] * len(volunteers)
    log = httpx.get(
        f"{url}/v1/orgs/{org.id}/audit",
        params={"action": "volunteer.interview_recorded"},
        headers=org.admin,
        timeout=30,
    ).json()
    assert sorted(entry["object"]["id"] for entry in log) == sorted(volunteers)
    seqs = [entry["seq"] for entry in log]
    assert seqs == list(range(seqs[0], seqs[0] + len(volunteers)))
    assert all(b["prev_hash"] == a["hash"] for a, b in itertools.pairwise(log))
