"""One trace from a request to the database write and the mail, across services (issue 23).

The services run as separate processes, as under `safehands up`, and export their spans by
OTLP/HTTP to a small receiver in the test (tests/support/otlp.py), configured exactly as
compose configures them for Jaeger (OTEL_EXPORTER_OTLP_ENDPOINT). That is the path a real
deployment takes, scrubbing included (shared/runtime/tracing_sdk.py); an in-process exporter
could not see spans of other processes. The in-memory exporter checks the same scrubbing in
process (tests/unit/shared/test_trace_filtering.py).

Then every exported byte is searched for what must never be traced: report content (a
canary), the applicant's name and address, a search term from a query string, tokens.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from cli import report as reporter
from cli.reporting_client import ReportingApi
from shared.crypto import PrivateKey, ReportBody
from tests.support.admission import Organisation, bearer
from tests.support.otlp import OtlpReceiver, ReceivedSpan
from tests.support.platform import (
    Infrastructure,
    Platform,
    RunningService,
    eventually,
    wait_until_ready,
)
from tests.support.vcps import appoint_vcp

pytestmark = pytest.mark.e2e

RUN = uuid.uuid4().hex[:10]
CANARY = f"kanarie-{RUN}"
APPLICANT = f"Anna Spoor{RUN}"
ADDRESS = f"anna.{RUN}@example.org"
COORDINATOR = f"jan.{RUN}@example.org"
SEARCH = f"zoekterm{RUN}"
ROOT = Path(__file__).resolve().parents[2]
DASHBOARD = ROOT / "deploy" / "grafana" / "dashboards" / "safehands.json"
ALERTS = ROOT / "deploy" / "prometheus" / "alerts.yml"


@pytest.fixture(scope="module")
def traced(infra: Infrastructure) -> Iterator[tuple[OtlpReceiver, dict[str, RunningService]]]:
    receiver = OtlpReceiver().start()
    env = {
        "OTEL_EXPORTER_OTLP_ENDPOINT": receiver.url,
        # Exported every 100 ms instead of 5 s: the test waits for the spans.
        "OTEL_BSP_SCHEDULE_DELAY": "100",
        "SAFEHANDS_RATE_LIMIT_PER_CLIENT": "1000",
        "SAFEHANDS_PROOF_OF_WORK_ABOVE_PER_MINUTE": "100000",
    }
    platform = Platform(infra)
    try:
        services = {
            name: platform.start(name, env=env, wait=False)
            for name in ("intake", "policy", "notify", "reports")
        }
        for service in services.values():
            wait_until_ready(service)
        yield receiver, services
    finally:
        platform.stop_all()
        receiver.stop()


def in_trace(receiver: OtlpReceiver, trace_id: str) -> list[ReceivedSpan]:
    return [span for span in receiver.snapshot()[1] if span.trace_id == trace_id]


def test_one_application_is_one_trace_from_intake_through_kafka_to_policy_and_the_mail(
    traced: tuple[OtlpReceiver, dict[str, RunningService]], infra: Infrastructure
) -> None:
    receiver, services = traced
    org = Organisation(infra, services["intake"], services["policy"])
    assert org.register().status_code == 201
    role = {"title": "Coach", "works_with_minors": True, "works_with_vulnerable": False}
    assert org.define_role("coach", role).status_code in (200, 201)
    with services["notify"].client() as notify:
        answer = notify.put(
            f"/v1/orgs/{org.id}/contacts",
            json={"coordinators": [COORDINATOR], "admins": []},
            headers=org.admin,
        )
        assert answer.status_code == 200, answer.text

    def applied() -> str | None:
        answer = org.intake.post(
            f"/v1/orgs/{org.id}/applications",
            json={"role_id": "coach", "name": APPLICANT, "email": ADDRESS},
        )
        return str(answer.json()["volunteer_id"]) if answer.status_code == 202 else None

    volunteer_id = eventually(applied)
    # A query string that must not be traced (the coordinator's search by name).
    listed = org.policy.get(
        f"/v1/orgs/{org.id}/volunteers", params={"q": SEARCH}, headers=org.coordinator
    )
    assert listed.status_code == 200, listed.text

    def request_span() -> ReceivedSpan | None:
        return next(
            (
                span
                for span in receiver.snapshot()[1]
                if span.service == "safehands-intake"
                and span.attributes.get("http.route") == "/v1/orgs/{org}/applications"
                and span.attributes.get("http.status_code", 202) == 202
            ),
            None,
        )

    trace_id = eventually(request_span).trace_id

    def whole_trace() -> list[ReceivedSpan] | None:
        spans = in_trace(receiver, trace_id)
        names = {(span.service, span.name) for span in spans}
        wanted = {
            ("safehands-policy", "policy handle nl.safehands.volunteer.applied.v1"),
            ("safehands-notify", "notify send mail"),
        }
        # Each process exports its spans in batches, a parent after its children: the
        # trace is whole once every span but the request's own has its parent here.
        ids = {span.span_id for span in spans}
        roots = [span for span in spans if span.parent_span_id not in ids]
        return spans if wanted <= names and len(roots) == 1 else None

    spans = eventually(whole_trace, timeout=30)
    by_service = {span.service for span in spans}
    assert {"safehands-intake", "safehands-policy", "safehands-notify"} <= by_service
    # Through the outbox and Kafka: intake's relay published it, policy and notify consumed
    # it from the topic and went to their databases, notify sent the mail, all in this trace.
    names = [span.name for span in spans]
    assert any(name.endswith(" publish") for name in names), names
    assert "notify handle nl.safehands.volunteer.applied.v1" in names, names
    assert any(
        span.service == "safehands-policy" and span.attributes.get("db.system") == "mongodb"
        for span in spans
    ), names
    ids = {span.span_id for span in spans}
    roots = [span for span in spans if span.parent_span_id not in ids]
    assert len(roots) == 1 and roots[0].service == "safehands-intake", roots
    assert volunteer_id


def test_nothing_confidential_is_traced(
    traced: tuple[OtlpReceiver, dict[str, RunningService]], infra: Infrastructure
) -> None:
    receiver, services = traced
    org = f"org-{uuid.uuid4().hex[:6]}"
    key = PrivateKey.generate()
    vcp_token = infra.token("vcp", org, "vera")
    with services["reports"].client() as http:
        appoint_vcp(
            http,
            org,
            "vera",
            key,
            admin=bearer(infra.token("admin", org)),
            vcp=bearer(vcp_token),
            email=f"vera.{RUN}@example.org",
        )
    urls = (services["intake"].url, services["reports"].url)

    def submitted() -> bool:
        with ReportingApi(*urls) as anonymous:
            try:
                body = ReportBody(
                    category="other",
                    description=f"Wat er gebeurde: {CANARY}.",
                    location=f"Kantine {CANARY}",
                    wants_contact=True,
                    contact=f"bel {CANARY}",
                )
                reporter.submit_report(anonymous, org, body)
            except Exception:
                return False
        return True

    # intake learns of the VCP's key by an event: eventually.
    eventually(submitted, timeout=30)
    with ReportingApi(*urls, token=vcp_token) as api:
        eventually(lambda: api.list_reports(org), timeout=30)

    # The mail to the VCP about the new report went out, traced; and the report's own
    # server spans have been exported too (each service's batch exporter sends on its own
    # schedule, so the mail's span may arrive before them).
    def all_exported() -> bool:
        bodies, spans = receiver.snapshot()
        mailed = any(
            span.name == "notify send mail" and span.service == "safehands-notify" for span in spans
        )
        return mailed and b"/v1/orgs/{org}/reports" in b"".join(bodies)

    eventually(all_exported, timeout=30)
    bodies, spans = receiver.snapshot()
    exported = b"".join(bodies)
    # Controls: the search sees plaintext (the organisation's id is in Kafka keys, a route
    # template in every server span).
    assert org.encode() in exported
    assert b"/v1/orgs/{org}/reports" in exported
    secret = {
        "report content": CANARY,
        "applicant's name": APPLICANT,
        "applicant's address": ADDRESS,
        "coordinator's address": COORDINATOR,
        "VCP's address": f"vera.{RUN}@example.org",
        "search term": SEARCH,
        "token": vcp_token[-20:],
        "client address": "127.0.0.1",
    }
    found = [what for what, value in secret.items() if value.encode() in exported]
    assert not found, found
    assert spans


def metric_names(text: str) -> set[str]:
    """The metric names a PromQL text or an exposition names, without a histogram's or a
    counter's sample suffixes."""
    names = set(re.findall(r"\bsafehands_[a-z_]+", text))
    return {re.sub(r"_(bucket|sum|count|created)$", "", name) for name in names}


def test_every_metric_of_the_dashboard_and_the_alert_rules_is_exposed(
    traced: tuple[OtlpReceiver, dict[str, RunningService]],
) -> None:
    """A renamed or missing metric would leave a panel empty and an alert that never fires.
    Labelled metrics are listed (HELP and TYPE) before their first sample."""
    _, services = traced
    exposed: set[str] = set()
    for service in services.values():
        with service.client() as http:
            exposed |= metric_names(http.get("/metrics").text)
    dashboard = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    expressions = [
        target["expr"] for panel in dashboard["panels"] for target in panel.get("targets", [])
    ]
    used = metric_names("\n".join(expressions)) | metric_names(ALERTS.read_text(encoding="utf-8"))
    for wanted in (
        "safehands_http_requests_total",
        "safehands_http_request_duration_seconds",
        "safehands_consumer_lag",
        "safehands_outbox_oldest_age_seconds",
        "safehands_dead_letters_total",
        "safehands_mails_sent_total",
        "safehands_mail_attempts_failed_total",
        "safehands_webhook_attempts_total",
    ):
        assert wanted in used, wanted
    assert used <= exposed, sorted(used - exposed)
