"""The regional centre's toolkit over HTTP: starter documents, an adopted code draft, the
pillar checklist, and advice on request with the mails to both sides (real broker, database
and SMTP sink; policy and notify as separate processes)."""

from __future__ import annotations

import io
import re
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from email.message import EmailMessage

import docx
import httpx
import pytest

from tests.support.admission import bearer
from tests.support.mail import mails_to
from tests.support.platform import Infrastructure, Platform, RunningService, eventually

pytestmark = pytest.mark.e2e

CENTRE = f"centre-{uuid.uuid4().hex[:6]}@example.org"
ADVISER = f"adviser-{uuid.uuid4().hex[:6]}@example.org"
WEB = "https://safehands.example.org"
KINDS = ("code_of_conduct", "volunteer_agreement", "vcp_profile", "admission_checklist")


@pytest.fixture(scope="module")
def services(infra: Infrastructure) -> Iterator[dict[str, RunningService]]:
    platform = Platform(infra)
    centre = {"SAFEHANDS_OPERATOR_EMAILS": f"{CENTRE}, {ADVISER}", "SAFEHANDS_WEB_URL": WEB}
    try:
        yield {
            "policy": platform.start("policy"),
            "notify": platform.start("notify", env=centre),
        }
    finally:
        platform.stop_all()


class Org:
    def __init__(self, infra: Infrastructure, services: dict[str, RunningService]) -> None:
        self.id = f"org-{uuid.uuid4().hex[:6]}"
        self.name = f"Zwemclub De Spetters {self.id[-4:]}"
        self.policy = services["policy"].client()
        self.notify = services["notify"].client()
        self.admin = bearer(infra.token("admin", self.id))
        self.coordinator = bearer(infra.token("coordinator", self.id))
        self.admin_email = f"admin-{self.id}@example.org"
        registered = self.policy.post(
            "/v1/orgs",
            json={"org_id": self.id, "name": self.name, "language": "en"},
            headers=bearer(infra.token("operator")),
        )
        assert registered.status_code == 201, registered.text

    def checklist(self) -> dict:  # type: ignore[type-arg]
        answer = self.policy.get(f"/v1/orgs/{self.id}/checklist", headers=self.admin)
        assert answer.status_code == 200, answer.text
        return answer.json()  # type: ignore[no-any-return]


@pytest.fixture
def org(infra: Infrastructure, services: dict[str, RunningService]) -> Org:
    return Org(infra, services)


def assert_sentence(answer: httpx.Response, status: int) -> None:
    assert answer.status_code == status, answer.text
    detail = answer.json()["detail"]
    assert isinstance(detail, str) and detail.endswith("."), detail


def test_the_templates_list_every_document_in_both_languages(
    infra: Infrastructure, org: Org
) -> None:
    listed = org.policy.get("/v1/templates", headers=org.admin)

    assert listed.status_code == 200, listed.text
    entries = listed.json()
    assert {(e["kind"], e["language"]) for e in entries} == {
        (kind, language) for kind in KINDS for language in ("nl", "en")
    }
    for entry in entries:
        assert set(entry) >= {"template_id", "kind", "language", "title"}
        one = org.policy.get(f"/v1/templates/{entry['template_id']}", headers=org.admin).json()
        assert one["title"] == entry["title"] and "{organisation}" in one["text"]
    assert_sentence(org.policy.get("/v1/templates/no_such.nl", headers=org.admin), 404)
    assert org.policy.get("/v1/templates", headers=org.coordinator).status_code == 403
    assert org.policy.get("/v1/templates").status_code == 401


def test_adopting_the_model_code_creates_a_draft_that_is_published_only_when_chosen(
    org: Org,
) -> None:
    draft_path = f"/v1/orgs/{org.id}/codes/draft"
    before = org.checklist()
    assert before["pillars"]["code_of_conduct"]["done"] is False
    assert {i["item"]: i["link"] for i in before["pillars"]["code_of_conduct"]["items"]} == {
        "adopt_model_code": "/admin#toolkit",
        "publish_code": "/admin#codes",
    }

    adopted = org.policy.post(
        draft_path, json={"template_id": "code_of_conduct.en"}, headers=org.admin
    )

    assert adopted.status_code == 201, adopted.text
    draft = adopted.json()
    assert draft["template_id"] == "code_of_conduct.en" and draft["template_version"] == 2
    assert org.name in draft["text"] and "{organisation}" not in draft["text"]
    # A draft, not a published code.
    assert org.policy.get(f"/v1/orgs/{org.id}/codes/current").status_code == 404
    after_adopting = org.checklist()
    assert after_adopting["counts"]["codes_published"] == 0
    assert after_adopting["counts"]["code_draft"] is True
    assert after_adopting["pillars"]["code_of_conduct"]["done"] is False

    again = org.policy.post(
        draft_path, json={"template_id": "code_of_conduct.nl"}, headers=org.admin
    )
    assert_sentence(again, 409)
    unknown = org.policy.post(draft_path, json={"template_id": "nothing.nl"}, headers=org.admin)
    assert_sentence(unknown, 404)
    not_a_code = org.policy.post(
        draft_path, json={"template_id": "vcp_profile.nl"}, headers=org.admin
    )
    assert_sentence(not_a_code, 422)

    edited = draft["text"].replace("## 6. Alcohol", "## 6. No alcohol")
    assert org.policy.put(draft_path, json={"text": edited}, headers=org.admin).status_code == 200
    assert org.policy.get(draft_path, headers=org.admin).json()["text"] == edited
    assert org.policy.get(draft_path, headers=org.coordinator).status_code == 403

    published = org.policy.post(
        f"/v1/orgs/{org.id}/codes", json={"text": edited}, headers=org.admin
    )

    assert published.status_code == 201 and published.json()["version"] == 1
    assert org.policy.get(f"/v1/orgs/{org.id}/codes/current").json()["text"] == edited
    assert_sentence(org.policy.get(draft_path, headers=org.admin), 404)
    done = org.checklist()
    assert done["pillars"]["code_of_conduct"]["done"] is True
    assert done["counts"]["codes_published"] == 1


def test_agreement_and_profile_download_with_the_organisations_name(
    infra: Infrastructure, org: Org
) -> None:
    for template_id in ("volunteer_agreement.nl", "vcp_profile.en"):
        path = f"/v1/orgs/{org.id}/templates/{template_id}"
        filled = org.policy.get(path, headers=org.admin)
        assert filled.status_code == 200, filled.text
        assert org.name in filled.json()["text"]
        assert re.findall(r"\{[a-z_]+\}", filled.json()["text"]) == []

        # Its own route (declared as Markdown only), and `?format=md` as before.
        for download in (
            org.policy.get(f"{path}.md", headers=org.admin),
            org.policy.get(path, params={"format": "md"}, headers=org.admin),
        ):
            assert download.status_code == 200
            assert download.headers["content-type"].startswith("text/markdown")
            assert download.headers["content-disposition"] == (
                f'attachment; filename="{org.id}-{template_id}.md"'
            )
            assert download.text == filled.json()["text"]
    stranger = bearer(infra.token("admin", "another-org"))
    path = f"/v1/orgs/{org.id}/templates/vcp_profile.en"
    assert org.policy.get(path, headers=stranger).status_code == 404
    assert_sentence(
        org.policy.get(f"/v1/orgs/{org.id}/templates/unknown.en", headers=org.admin), 404
    )


def test_the_starter_documents_download_as_word_and_pdf_too(
    infra: Infrastructure, org: Org
) -> None:
    path = f"/v1/orgs/{org.id}/templates/code_of_conduct.nl"
    word = org.policy.get(path, params={"format": "docx"}, headers=org.admin)
    assert word.status_code == 200
    assert word.headers["content-type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert word.headers["content-disposition"] == (
        f'attachment; filename="{org.id}-code_of_conduct.nl.docx"'
    )
    document = docx.Document(io.BytesIO(word.content))
    assert document.paragraphs[0].style is not None
    assert document.paragraphs[0].style.name == "Heading 1"
    assert org.name in document.paragraphs[0].text
    pdf = org.policy.get(path, params={"format": "pdf"}, headers=org.admin)
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    # The routes of their own answer the same files.
    own_word = org.policy.get(f"{path}.docx", headers=org.admin)
    assert own_word.headers["content-type"] == word.headers["content-type"]
    assert org.policy.get(f"{path}.pdf", headers=org.admin).content.startswith(b"%PDF-")
    stranger = bearer(infra.token("admin", "another-org"))
    assert org.policy.get(path, params={"format": "pdf"}, headers=stranger).status_code == 404
    assert org.policy.get(f"{path}.pdf", headers=stranger).status_code == 404
    assert org.policy.get(path, params={"format": "exe"}, headers=org.admin).status_code == 422


def test_the_checklist_is_for_the_admin_and_the_operator(infra: Infrastructure, org: Org) -> None:
    fresh = org.checklist()
    assert fresh["gratis_vog"]["eligible"] is False
    assert fresh["counts"] == {
        "codes_published": 0,
        "code_draft": False,
        "vcps_with_key": 0,
        "vcps_recommended": 2,
        "roles_with_risk_profile": 0,
        "roles_needing_vog": 0,
        "interviews_recorded": 0,
    }
    for pillar in ("code_of_conduct", "vcp", "admission_policy"):
        assert fresh["pillars"][pillar]["done"] is False
        assert all(item["link"].startswith("/") for item in fresh["pillars"][pillar]["items"])

    role = {"title": "Swimming coach", "works_with_minors": True, "works_with_vulnerable": False}
    assert (
        org.policy.put(f"/v1/orgs/{org.id}/roles/coach", json=role, headers=org.admin).status_code
        == 200
    )
    with_role = org.checklist()
    items = {i["item"]: i["done"] for i in with_role["pillars"]["admission_policy"]["items"]}
    assert items == {"define_roles": True, "record_interview": False}
    assert with_role["pillars"]["admission_policy"]["done"] is False
    assert with_role["counts"]["roles_needing_vog"] == 1

    path = f"/v1/orgs/{org.id}/checklist"
    operator = org.policy.get(path, headers=bearer(infra.token("operator")))
    assert operator.status_code == 200 and operator.json() == with_role
    assert org.policy.get(path, headers=org.coordinator).status_code == 403
    assert (
        org.policy.get(path, headers=bearer(infra.token("admin", "another-org"))).status_code == 404
    )


def test_an_advice_request_round_trip_mails_both_sides_and_stays_in_its_organisation(
    infra: Infrastructure, org: Org
) -> None:
    contacts = {"coordinators": [], "admins": [org.admin_email]}
    assert (
        org.notify.put(f"/v1/orgs/{org.id}/contacts", json=contacts, headers=org.admin).status_code
        == 200
    )
    operator = bearer(infra.token("operator"))
    requests = f"/v1/orgs/{org.id}/advice-requests"
    question = "Our trainer Bram touched a girl during swimming practice; what now?"
    asked = org.policy.post(
        requests,
        json={"topic": "incident", "question": question, "preferred_times": "Tuesday evenings"},
        headers=org.admin,
    )
    assert asked.status_code == 201, asked.text
    request_id = asked.json()["request_id"]
    assert "VCP" in asked.json()["warning"]
    later = org.policy.post(
        requests, json={"topic": "vcp", "question": "How do we find a VCP?"}, headers=org.admin
    )
    assert later.status_code == 201 and later.json()["warning"] is None

    (mine, earlier) = org.policy.get(requests, headers=org.admin).json()
    assert mine["request_id"] == later.json()["request_id"]
    assert earlier["request_id"] == request_id and earlier["status"] == "open"
    assert earlier["question"] == question and earlier["preferred_times"] == "Tuesday evenings"
    assert "VCP" in earlier["warning"] and earlier["answer"] is None

    # Another organisation's admin sees nothing of it.
    stranger = bearer(infra.token("admin", "another-org"))
    assert org.policy.get(requests, headers=stranger).status_code == 404
    assert (
        org.policy.post(
            requests, json={"topic": "other", "question": "?"}, headers=stranger
        ).status_code
        == 404
    )
    assert org.policy.get("/v1/advice-requests", headers=org.admin).status_code == 403
    answer_path = f"/v1/advice-requests/{request_id}/answer"
    assert org.policy.post(answer_path, json={"text": "x"}, headers=org.admin).status_code == 403

    queue = org.policy.get("/v1/advice-requests", headers=operator).json()
    ours = [r for r in queue if r["org_id"] == org.id]
    assert [r["request_id"] for r in ours] == [request_id, later.json()["request_id"]]
    assert [r["requested_at"] for r in queue] == sorted(r["requested_at"] for r in queue)
    assert ours[0]["organisation"] == org.name and ours[0]["question"] == question

    answer_text = "Please call us; the VCP handles the report itself."
    answered = org.policy.post(
        answer_path,
        json={"text": answer_text, "appointment": "2026-12-08T19:30:00+01:00"},
        headers=operator,
    )
    assert answered.status_code == 201, answered.text
    assert_sentence(org.policy.post(answer_path, json={"text": "Again"}, headers=operator), 409)
    assert_sentence(
        org.policy.post(
            f"/v1/advice-requests/{uuid.uuid4()}/answer", json={"text": "x"}, headers=operator
        ),
        404,
    )
    no_zone = org.policy.post(
        f"/v1/advice-requests/{later.json()['request_id']}/answer",
        json={"text": "x", "appointment": "2026-12-08T19:30:00"},
        headers=operator,
    )
    assert_sentence(no_zone, 422)

    (_, earlier) = org.policy.get(requests, headers=org.admin).json()
    assert earlier["status"] == "answered"
    assert earlier["answer"]["text"] == answer_text
    assert earlier["answer"]["appointment"].startswith("2026-12-08T18:30:00")
    still_open = org.policy.get("/v1/advice-requests", headers=operator).json()
    assert request_id not in {r["request_id"] for r in still_open}

    expected = {
        (CENTRE, "advice_requested"),
        (ADVISER, "advice_requested"),
        (org.admin_email, "advice_appointment_proposed"),
    }

    def received() -> list[EmailMessage] | None:
        mails = [
            m
            for m in mails_to(infra.maildir, CENTRE, ADVISER, org.admin_email)
            if org.name in m.get_content()
        ]
        got = {(str(m["To"]), str(m["X-SafeHands-Kind"])) for m in mails}
        return mails if got >= expected else None

    # A new notify first reads every earlier test's events on the shared broker.
    mails = eventually(received, timeout=180)
    to_admin = next(m for m in mails if m["To"] == org.admin_email)
    assert "8 December 2026, 19:30" in to_admin.get_content()
    assert f"{WEB}/admin/advice" in to_admin.get_content()
    to_centre = next(m for m in mails if m["To"] == CENTRE and "an incident" in m.get_content())
    assert f"{WEB}/operator#advice" in to_centre.get_content()
    for mail in mails:
        for secret in ("Bram", "girl", "swimming practice", "Tuesday", "Please call us"):
            assert secret not in mail.as_string()


@pytest.mark.parametrize(
    "body",
    [
        {"topic": "other", "question": "x" * 5_001},
        {"topic": "gossip", "question": "Who is the VCP?"},
        {"topic": "other", "question": ""},
        {"topic": "other", "question": "ok", "preferred_times": "x" * 1_001},
    ],
    ids=["question too long", "unknown topic", "empty question", "preferred times too long"],
)
def test_bad_advice_requests_get_422_and_leave_nothing(org: Org, body: dict[str, object]) -> None:
    requests = f"/v1/orgs/{org.id}/advice-requests"

    assert_sentence(org.policy.post(requests, json=body, headers=org.admin), 422)
    assert org.policy.get(requests, headers=org.admin).json() == []


def test_a_question_of_exactly_5000_characters_is_accepted(org: Org) -> None:
    requests = f"/v1/orgs/{org.id}/advice-requests"
    asked = org.policy.post(
        requests, json={"topic": "other", "question": "x" * 5_000}, headers=org.admin
    )
    assert asked.status_code == 201, asked.text


def test_of_answers_given_at_the_same_moment_one_wins_and_the_rest_get_409(
    infra: Infrastructure, services: dict[str, RunningService], org: Org
) -> None:
    asked = org.policy.post(
        f"/v1/orgs/{org.id}/advice-requests",
        json={"topic": "admission", "question": "Do our drivers need a VOG?"},
        headers=org.admin,
    )
    assert asked.status_code == 201, asked.text
    path = f"/v1/advice-requests/{asked.json()['request_id']}/answer"
    operator = bearer(infra.token("operator"))

    def answer(n: int) -> int:
        with services["policy"].client() as client:
            return client.post(path, json={"text": f"Answer {n}"}, headers=operator).status_code

    with ThreadPoolExecutor(max_workers=4) as pool:
        statuses = sorted(pool.map(answer, range(4)))

    assert statuses == [201, 409, 409, 409]
    (stored,) = org.policy.get(f"/v1/orgs/{org.id}/advice-requests", headers=org.admin).json()
    assert stored["status"] == "answered" and stored["answer"]["text"].startswith("Answer ")
