"""A VCP appointed by e-mail alone, end to end on the real broker, database and SMTP sink:
identity invites them with a sign-in link to /vcp, they register their own key (nobody else
can), their colleagues are told, every key stays in the key history, and a report is opened
only by the VCPs it is sealed to."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx
import pytest
from pymongo import MongoClient

from cli import report as reporter
from cli import vcp as vcp_cli
from cli.reporting_client import ApiError, ReportingApi
from shared.crypto import KdfParams, PrivateKey, ReportBody, load_private_key
from shared.domain.calendar import today
from tests.support.kafka import kafka_blobs
from tests.support.mail import body_text, mails_to
from tests.support.platform import (
    Infrastructure,
    Platform,
    RunningService,
    bearer,
    eventually,
)

pytestmark = pytest.mark.e2e

WEB = "http://web.example.test"
CODE_IN_LINK = re.compile(re.escape(WEB) + r"/sign-in/callback#code=([A-Za-z0-9_-]+)")
LIGHT_KDF = KdfParams(memory_cost=1024, iterations=1, lanes=1)
SEEN_CODES: list[str] = []


@pytest.fixture(scope="module")
def services(infra: Infrastructure) -> Iterator[dict[str, RunningService]]:
    """The five services, all with the web address (identity's links, notify's /vcp link)."""
    platform = Platform(infra)
    try:
        yield platform.start_services(
            identity_env={"SAFEHANDS_WEB_URL": WEB, "SAFEHANDS_SIGN_IN_LIMIT_PER_CLIENT": "10000"},
            env={"SAFEHANDS_WEB_URL": WEB},
        )
    finally:
        platform.stop_all()


def mail_of_kind(infra: Infrastructure, address: str, kind: str) -> EmailMessage:
    def found() -> EmailMessage | None:
        return next(
            (m for m in mails_to(infra.maildir, address) if m["X-SafeHands-Kind"] == kind), None
        )

    message: EmailMessage = eventually(found, timeout=120)
    return message


def kinds_to(infra: Infrastructure, address: str) -> list[str]:
    return sorted(str(m["X-SafeHands-Kind"]) for m in mails_to(infra.maildir, address))


class Org:
    def __init__(self, infra: Infrastructure, services: dict[str, RunningService]) -> None:
        self.infra = infra
        self.services = services
        self.id = f"org-{uuid.uuid4().hex[:6]}"
        self.reports = services["reports"].client()
        self.admin = bearer(infra.token("admin", self.id))
        with services["policy"].client() as policy:
            registered = policy.post(
                "/v1/orgs",
                json={"org_id": self.id, "name": f"Club {self.id}", "language": "en"},
                headers=bearer(infra.token("operator")),
            )
        assert registered.status_code == 201, registered.text

    def address(self, vcp_id: str) -> str:
        return f"{vcp_id}-{self.id}@example.org"

    def appoint(self, vcp_id: str, key: PrivateKey | None = None) -> httpx.Response:
        """The appointment as an admin sends it; with `key`, as an old client (or an admin
        trying to slip in a key of their own) would."""
        body: dict[str, Any] = {
            "vcp_id": vcp_id,
            "name": f"{vcp_id.title()} Visser",
            "email": self.address(vcp_id),
        }
        if key is not None:
            body["public_key"] = key.public_key.model_dump()
        return self.reports.post(f"/v1/orgs/{self.id}/vcps", json=body, headers=self.admin)

    def key_history(self, token: dict[str, str]) -> list[dict[str, Any]]:
        answer = self.reports.get(f"/v1/orgs/{self.id}/vcp-key-history", headers=token)
        assert answer.status_code == 200, answer.text
        history: list[dict[str, Any]] = answer.json()
        return history

    def vcp(self, vcp_id: str) -> dict[str, str]:
        return bearer(self.infra.token("vcp", self.id, vcp_id))

    def set_key(self, vcp_id: str, key: PrivateKey, token: dict[str, str]) -> httpx.Response:
        return self.reports.put(
            f"/v1/orgs/{self.id}/vcps/{vcp_id}/public-key",
            json={"public_key": key.public_key.model_dump()},
            headers=token,
        )

    def api(self, vcp_id: str | None = None) -> ReportingApi:
        token = self.infra.token("vcp", self.id, vcp_id) if vcp_id else None
        return ReportingApi(self.services["intake"].url, self.services["reports"].url, token)

    def key_ids(self) -> list[str]:
        answer = self.reports.get(f"/v1/orgs/{self.id}/vcp-keys")
        assert answer.status_code == 200
        return [k["vcp_id"] for k in answer.json()]

    def intake_knows(self, *keys: PrivateKey) -> None:
        """intake learns keys from VCPAppointed and VCPKeySet: eventually, not at once."""
        database = f"{self.services['intake'].child.env['SAFEHANDS_MONGO_DATABASE']}_intake"
        expected = {k.fingerprint for k in keys}
        with MongoClient(self.infra.mongo_uri) as client:
            known = client[database]["known_vcp_keys"]
            eventually(
                lambda: {d["fingerprint"] for d in known.find({"org_id": self.id})} == expected,
                timeout=120,
            )

    def wait_for_report(self, vcp_id: str, report_id: str) -> dict[str, Any]:
        def stored() -> dict[str, Any] | None:
            answer = self.reports.get(
                f"/v1/orgs/{self.id}/reports/{report_id}", headers=self.vcp(vcp_id)
            )
            return answer.json() if answer.status_code == 200 else None

        found: dict[str, Any] = eventually(stored, timeout=120)
        return found


class AnnasKeyOnly(ReportingApi):
    """A reporter who leaves Bram out (or whose page fetched the keys before he set his)."""

    def vcp_keys(self, org: str) -> list[dict[str, Any]]:
        return [k for k in super().vcp_keys(org) if k["vcp_id"] == "anna"]


class WithAStranger(ReportingApi):
    """A reporter's page that was made to seal to one key more: someone outside."""

    stranger = PrivateKey.generate()

    def vcp_keys(self, org: str) -> list[dict[str, Any]]:
        extra = {
            "vcp_id": "mallory",
            "public_key": self.stranger.public_key.model_dump(),
            "fingerprint": self.stranger.fingerprint,
        }
        return [*super().vcp_keys(org), extra]


@pytest.fixture
def org(infra: Infrastructure, services: dict[str, RunningService]) -> Iterator[Org]:
    created = Org(infra, services)
    yield created
    created.reports.close()


BODY = ReportBody(
    category="bullying",
    description="Mijn teamgenoot wordt elke training uitgelachen om zijn accent.",
    wants_contact=False,
)


def test_a_vcp_appointed_by_mail_signs_in_sets_their_key_and_receives_from_then_on(
    org: Org, services: dict[str, RunningService], tmp_path: Path
) -> None:
    identity = services["identity"].client()
    # The command-line flow: the admin appoints Anna, who makes her key file and registers
    # it with her own token. An appointment that brings a key is refused, with the reason.
    anna_file = vcp_cli.keygen(tmp_path / "anna.json", "correct horse battery", params=LIGHT_KDF)
    anna = load_private_key(anna_file.path, "correct horse battery")
    with_key = org.appoint("anna", anna)
    assert with_key.status_code == 422, with_key.text
    assert "registers it themself" in with_key.json()["detail"]
    appointed = org.appoint("anna")
    assert appointed.status_code == 201, appointed.text
    assert appointed.json() == {"vcp_id": "anna", "fingerprint": None}
    with org.api("anna") as api:
        assert vcp_cli.register_key(api, org.id, "anna", anna_file.public_key) == anna.fingerprint

    # Bram is appointed by name and address alone.
    appointed = org.appoint("bram")
    assert appointed.status_code == 201, appointed.text
    assert appointed.json() == {"vcp_id": "bram", "fingerprint": None}
    assert org.appoint("bram").status_code == 409

    # identity invites him with a sign-in link that leads to /vcp.
    invitation = mail_of_kind(org.infra, org.address("bram"), "vcp_invitation")
    # A long subject is folded onto the next header line: compare its words.
    assert " ".join(str(invitation["Subject"]).split()) == (
        f"You are the confidential contact person of Club {org.id} on SafeHands"
    )
    match = CODE_IN_LINK.search(body_text(invitation))
    assert match, body_text(invitation)
    SEEN_CODES.append(match[1])
    exchanged = identity.post("/v1/sign-in/exchange", json={"code": match[1]})
    assert exchanged.status_code == 200, exchanged.text
    assert exchanged.json()["memberships"] == [{"org_id": org.id, "roles": ["vcp"], "sub": "bram"}]
    assert exchanged.json()["next"] == "/vcp"
    assert identity.post("/v1/sign-in/exchange", json={"code": match[1]}).status_code == 400

    # Anna is told who was appointed: content-free, with a link to her workspace.
    told = mail_of_kind(org.infra, org.address("anna"), "vcp_colleague_invited")
    assert "Bram Visser" in body_text(told) and f"{WEB}/vcp" in body_text(told)

    # Without a key Bram is no recipient: not among the keys, and intake does not want him.
    assert org.key_ids() == ["anna"]
    listed = org.reports.get(f"/v1/orgs/{org.id}/vcps", headers=org.admin)
    assert listed.status_code == 200, listed.text
    assert [(v["vcp_id"], v["has_key"], v["fingerprint"]) for v in listed.json()] == [
        ("anna", True, anna.fingerprint),
        ("bram", False, None),
    ]
    org.intake_knows(anna)
    with org.api() as anonymous:
        early = reporter.submit_report(anonymous, org.id, BODY)
    stored = org.wait_for_report("anna", early.report_id)
    assert [r["key_id"] for r in stored["envelope"]["recipients"]] == [anna.fingerprint]
    # He is appointed, though: his token works to see who the VCPs are and to set his key,
    # but opens no case before he can read it.
    mine = org.reports.get(f"/v1/orgs/{org.id}/vcps", headers=org.vcp("bram"))
    assert mine.status_code == 200 and {v["vcp_id"] for v in mine.json()} == {"anna", "bram"}
    for method, path in (
        ("GET", "/reports"),
        ("GET", f"/reports/{early.report_id}"),
        ("POST", f"/reports/{early.report_id}/status"),
        ("POST", "/stats"),
    ):
        closed = org.reports.request(
            method, f"/v1/orgs/{org.id}{path}", headers=org.vcp("bram"), json={}
        )
        assert closed.status_code == 403 and "key" in closed.json()["detail"], (path, closed.text)
    # Nobody can hand a case to him yet.
    refused = org.reports.post(
        f"/v1/orgs/{org.id}/reports/{early.report_id}/keys",
        json={"vcp_id": "bram"},
        headers=org.vcp("anna"),
    )
    assert refused.status_code == 409 and "not set a key" in refused.json()["detail"]

    # Only Bram himself sets his key: not the admin, not Anna, not another organisation.
    bram = PrivateKey.generate()
    assert org.set_key("bram", bram, org.admin).status_code == 403
    assert org.set_key("bram", bram, org.vcp("anna")).status_code == 403
    elsewhere = bearer(org.infra.token("vcp", "org-elsewhere", "bram"))
    assert org.set_key("bram", bram, elsewhere).status_code in (403, 404)
    assert org.set_key("anna", bram, org.vcp("bram")).status_code == 403
    # One suite per organisation: a classic key next to Anna's hybrid one is refused.
    mismatch = org.set_key("bram", PrivateKey.generate("X25519"), org.vcp("bram"))
    assert mismatch.status_code == 409, mismatch.text
    assert "X25519" in mismatch.json()["detail"]
    # Anna's key is hers.
    taken = org.set_key("bram", anna, org.vcp("bram"))
    assert taken.status_code == 409, taken.text
    assert org.key_ids() == ["anna"]

    answer = org.set_key("bram", bram, org.vcp("bram"))
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"fingerprint": bram.fingerprint}
    # The same key again changes nothing.
    assert org.set_key("bram", bram, org.vcp("bram")).json() == {"fingerprint": bram.fingerprint}
    assert org.key_ids() == ["anna", "bram"]

    told = mail_of_kind(org.infra, org.address("anna"), "vcp_colleague_key_set")
    assert "Bram Visser" in body_text(told) and bram.fingerprint in body_text(told)

    # A reporter may seal to some of the VCPs: Anna alone, say. Not to a stranger's key.
    org.intake_knows(anna, bram)
    urls = (org.services["intake"].url, org.services["reports"].url)
    with WithAStranger(*urls) as tampered, pytest.raises(ApiError) as stranger:
        reporter.submit_report(tampered, org.id, BODY)
    assert stranger.value.status_code == 422
    assert WithAStranger.stranger.fingerprint in str(stranger.value)
    with AnnasKeyOnly(*urls) as annas_only:
        for_anna = reporter.submit_report(annas_only, org.id, BODY)
    sealed = org.wait_for_report("anna", for_anna.report_id)
    assert [r["key_id"] for r in sealed["envelope"]["recipients"]] == [anna.fingerprint]
    # Bram is not among its recipients: it is not in his list, and he cannot open or move it.
    case = f"/v1/orgs/{org.id}/reports/{for_anna.report_id}"
    assert org.reports.get(case, headers=org.vcp("bram")).status_code == 404
    for path, body in (
        ("/status", {"status": "acknowledged"}),
        ("/messages", {"message_id": str(uuid.uuid4()), "envelope": sealed["envelope"]}),
    ):
        refused = org.reports.post(case + path, json=body, headers=org.vcp("bram"))
        assert refused.status_code == 404, (path, refused.text)
    with org.api() as anonymous:
        submitted = reporter.submit_report(anonymous, org.id, BODY)
    stored = org.wait_for_report("bram", submitted.report_id)
    assert {r["key_id"] for r in stored["envelope"]["recipients"]} == {
        anna.fingerprint,
        bram.fingerprint,
    }
    listed = org.reports.get(f"/v1/orgs/{org.id}/reports", headers=org.vcp("bram"))
    assert listed.status_code == 200
    assert [r["report_id"] for r in listed.json()] == [submitted.report_id]
    anna_sees = org.reports.get(f"/v1/orgs/{org.id}/reports", headers=org.vcp("anna")).json()
    assert {r["report_id"] for r in anna_sees} == {
        early.report_id,
        for_anna.report_id,
        submitted.report_id,
    }
    with org.api("bram") as api:
        assert vcp_cli.read_case(api, org.id, submitted.report_id, bram).report == BODY
        # The early report is not his to open until Anna hands it over.
        with pytest.raises(ApiError) as not_his:
            vcp_cli.read_case(api, org.id, early.report_id, bram)
        assert not_his.value.status_code == 404
    with org.api("anna") as api:
        shared = vcp_cli.share(api, org.id, early.report_id, anna, "bram")
    assert shared["report_shared"]
    with org.api("bram") as api:
        assert vcp_cli.read_case(api, org.id, early.report_id, bram).report == BODY

    # The report mails say only that something is new, and where to go.
    new_report = mail_of_kind(org.infra, org.address("bram"), "new_report")
    assert f"{WEB}/vcp" in body_text(new_report)
    assert BODY.description not in new_report.as_string()
    eventually(lambda: kinds_to(org.infra, org.address("bram")) == ["new_report", "vcp_invitation"])
    # ... that one about the report sealed to him: the one sealed to Anna alone is not his news.
    assert submitted.report_id in body_text(new_report)
    for mail in mails_to(org.infra.maildir, org.address("bram")):
        assert for_anna.report_id not in body_text(mail)
    # Nobody is mailed about themself; Anna heard of Bram twice and of three reports.
    eventually(
        lambda: (
            kinds_to(org.infra, org.address("anna"))
            == [
                "new_report",
                "new_report",
                "new_report",
                "vcp_colleague_invited",
                "vcp_colleague_key_set",
                "vcp_invitation",
            ]
        ),
        timeout=120,
    )


def test_a_third_vcp_with_a_key_is_announced_to_both_and_the_pillar_waits_for_a_key(
    org: Org, services: dict[str, RunningService]
) -> None:
    policy = services["policy"].client()

    def vcp_pillar() -> bool:
        answer = policy.get(f"/v1/orgs/{org.id}/gratis-vog", headers=org.admin)
        assert answer.status_code == 200, answer.text
        return bool(answer.json()["pillars"]["vcp"])

    assert org.appoint("carla").status_code == 201
    mail_of_kind(org.infra, org.address("carla"), "vcp_invitation")
    # policy has heard of Carla (identity mailed her after the same event), yet: no key, no VCP.
    database = f"{services['policy'].child.env['SAFEHANDS_MONGO_DATABASE']}_policy"
    with MongoClient(org.infra.mongo_uri) as client:
        eventually(lambda: client[database]["vcps"].find_one({"org_id": org.id}) is not None)
    assert not vcp_pillar()

    carla = PrivateKey.generate()
    assert org.set_key("carla", carla, org.vcp("carla")).status_code == 200
    eventually(vcp_pillar, timeout=120)

    # A board member cannot appoint themself with a key of their own: the key is refused.
    dirk = PrivateKey.generate()
    brought = org.appoint("dirk", dirk)
    assert brought.status_code == 422 and "public_key" in brought.json()["detail"]
    assert org.key_ids() == ["carla"]
    # Appointed by name and address, Dirk is invited, Carla is told, and he sets his key.
    assert org.appoint("dirk").status_code == 201
    mail_of_kind(org.infra, org.address("dirk"), "vcp_invitation")
    told = mail_of_kind(org.infra, org.address("carla"), "vcp_colleague_invited")
    assert "Dirk Visser" in body_text(told)
    assert org.set_key("dirk", dirk, org.admin).status_code == 403
    assert org.set_key("dirk", dirk, org.vcp("dirk")).status_code == 200
    told = mail_of_kind(org.infra, org.address("carla"), "vcp_colleague_key_set")
    assert "Dirk Visser" in body_text(told) and dirk.fingerprint in body_text(told)
    assert org.key_ids() == ["carla", "dirk"]

    # Carla lost her key file and makes a new key: it replaces the old one, and Dirk is told.
    renewed = PrivateKey.generate()
    assert org.set_key("carla", renewed, org.vcp("carla")).json() == {
        "fingerprint": renewed.fingerprint
    }
    keys = org.reports.get(f"/v1/orgs/{org.id}/vcp-keys").json()
    assert {k["vcp_id"]: k["fingerprint"] for k in keys} == {
        "carla": renewed.fingerprint,
        "dirk": dirk.fingerprint,
    }
    # Each key says since when it is in use (the day it was set).
    # The organisations' calendar day (shared/domain/calendar.py), as the key's `since`.
    day = today().isoformat()
    assert [k["since"] for k in keys] == [day, day]
    told = mail_of_kind(org.infra, org.address("dirk"), "vcp_colleague_key_set")
    assert "Carla Visser" in body_text(told) and renewed.fingerprint in body_text(told)
    org.intake_knows(renewed, dirk)

    # A VCP who never set a key can be dismissed (a mistyped address); the last one with a
    # key cannot.
    assert org.appoint("erik").status_code == 201
    assert org.reports.delete(f"/v1/orgs/{org.id}/vcps/erik", headers=org.admin).status_code == 204
    assert org.reports.delete(f"/v1/orgs/{org.id}/vcps/dirk", headers=org.admin).status_code == 204
    last = org.reports.delete(f"/v1/orgs/{org.id}/vcps/carla", headers=org.admin)
    assert last.status_code == 409, last.text

    # A dismissed VCP's id is never used again: re-appointing "dirk" (with whoever's address
    # the admin gives) is refused, and a new id is the way to appoint him again.
    reused = org.appoint("dirk")
    assert reused.status_code == 409, reused.text
    assert "never used again" in reused.json()["detail"]
    assert org.appoint("erik").status_code == 409
    assert org.appoint("dirk-2").status_code == 201

    # Every key ever published stays listed, with who set it and when; VCPs and admins see it.
    history = org.key_history(org.admin)
    assert org.key_history(org.vcp("carla")) == history
    assert [(h["vcp_id"], h["fingerprint"], h["set_by"], h["in_use"]) for h in history] == [
        ("carla", carla.fingerprint, "carla", False),
        ("dirk", dirk.fingerprint, "dirk", False),
        ("carla", renewed.fingerprint, "carla", True),
    ]
    # Set during this test (a moment, in UTC), not merely on its day.
    moments = [datetime.fromisoformat(h["set_at"]) for h in history]
    assert all(
        datetime.now(UTC) - timedelta(minutes=10) < at <= datetime.now(UTC) for at in moments
    )
    assert history[0]["until"] is not None and history[1]["until"] is not None
    assert history[2]["until"] is None
    # Not for the public, and not for a coordinator.
    assert org.reports.get(f"/v1/orgs/{org.id}/vcp-key-history").status_code == 401
    coordinator = bearer(org.infra.token("coordinator", org.id))
    refused = org.reports.get(f"/v1/orgs/{org.id}/vcp-key-history", headers=coordinator)
    assert refused.status_code == 403


def test_bad_key_registrations_get_a_sentence(org: Org) -> None:
    assert org.appoint("fenna").status_code == 201
    token = org.vcp("fenna")
    path = f"/v1/orgs/{org.id}/vcps/fenna/public-key"
    for body in (
        {},
        {"public_key": {"suite": "X25519", "key": "not-base64!"}},
        {"public_key": {"suite": "RSA", "key": "AAAA"}},
        {"public_key": PrivateKey.generate().public_key.model_dump(), "extra": 1},
    ):
        answer = org.reports.put(path, json=body, headers=token)
        assert answer.status_code == 422, (body, answer.text)
        assert answer.json()["detail"]
    assert org.reports.put(path, json={"public_key": {}}).status_code == 401
    assert org.key_ids() == []


# --- the canary: the invitation's sign-in code never reaches a log or the bus -------------


async def test_no_invitation_code_reaches_a_log_or_the_bus(
    infra: Infrastructure, services: dict[str, RunningService]
) -> None:
    assert SEEN_CODES
    blobs = await kafka_blobs(infra.kafka_bootstrap)
    # The control: the appointments are on the bus, and the invitation was sent.
    assert any(b"nl.safehands.vcp.key_set.v1" in blob for blob in blobs)
    logs = {name: service.log_text() for name, service in services.items()}
    assert "vcp invitation queued" in logs["identity"]
    for code in SEEN_CODES:
        assert not any(code.encode() in blob for blob in blobs), "a sign-in code on the bus"
        for name, text in logs.items():
            assert code not in text, f"a sign-in code in {name}'s log"
