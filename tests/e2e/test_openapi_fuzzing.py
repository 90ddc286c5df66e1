"""Fuzzing: schemathesis generates requests from every service's own OpenAPI document and
sends them over TCP to the services as separate processes, with a token of each role of a
real organisation (and none), the organisation's id in every path, with every check of
`schemathesis run --checks all` and, beside the generated requests, its coverage phase
(every parameter's boundaries, wrong types, methods the path does not have, so that a 405's
`Allow` is checked too). Every answer must be documented: no 5xx, no status the document does not list, bodies and headers as
described, schema-invalid input refused, and schema-valid input accepted, apart from the
commented allow-list below of what JSON Schema cannot say.

The run is bounded: a fixed number of generated requests per operation, mode and role
pool, and a CPU-time guard per service.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.generation.drivers import CoverageGenerator
from schemathesis.generation.feedback import FeedbackSources
from schemathesis.generation.overrides import Override

from cli.services import SERVICE_NAMES
from shared.crypto import PrivateKey
from tests.support.platform import Infrastructure, RunningService, eventually
from tests.support.vcps import appoint_vcp

# The coverage phase adds a few hundred requests per service, and its generation is slow on
# a busy machine: more than the suite's default 300 s per test. The CPU guard below still
# bounds it.
pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900)]

# Generated requests per operation and generation mode (positive, negative), each with a
# role drawn from the pool: about 500 requests over the five services.
EXAMPLES = 4
# The coverage phase's cases per operation, at most (most operations have fewer).
COVERAGE_CASES = 1000
# A guard, not the bound: a service whose fuzzing takes more of this process's CPU time
# (CPU, not wall-clock time, so that a machine busy with other work does not fail the run)
# fails rather than stretching `make test`; the operations not reached are named.
BUDGET_CPU_SECONDS = 45
# Routes every service mounts from shared/ (health, metrics, event catalogue): the same
# code everywhere, so fuzzed on the first service only.
SHARED_ROUTES = ("/healthz", "/readyz", "/metrics", "/asyncapi")
# Streams of server-sent events (live pages): a member's answer does not end, so a client
# that reads it whole waits out its timeout. Their answers are checked in
# tests/integration/test_live_changes.py (authorised, tenancy, content-free, ending).
STREAMS = ("/v1/orgs/{org}/changes",)

# What JSON Schema cannot express: (operation, check, status) → why it is allowed.
# "positive_data_acceptance" sends schema-valid input and expects it accepted; the rules
# below need more than the shape of the input, so such input is still refused with 422.
# Nothing else is allowed: no 5xx, no undocumented status, no other check.
CRYPTO = (
    "the envelope's and keys' bytes: canonical base64url (the last character's unused bits),"
    " a power-of-two padded body, sealed keys and public keys of the length of the suite"
    " named beside them, a valid ML-KEM/X25519 key, the organisation's suite and keys"
)
ATTACHMENT_LIMITS = "the files and bytes in all a report or reply takes (settings)"
EMAIL = "an address with a deliverable domain (`format: email` allows reserved ones)"
ALLOWED: dict[tuple[str, str, int], str] = {
    ("POST /v1/orgs/{org}/applications", "positive_data_acceptance", 422): (
        f"the role must exist in the organisation; {EMAIL}"
    ),
    ("POST /v1/orgs/{org}/reports", "positive_data_acceptance", 422): CRYPTO,
    ("POST /v1/orgs/{org}/mailbox/messages", "positive_data_acceptance", 422): CRYPTO,
    ("POST /v1/orgs/{org}/reports/{report_id}/messages", "positive_data_acceptance", 422): CRYPTO,
    ("POST /v1/orgs/{org}/reports/{report_id}/keys", "positive_data_acceptance", 422): CRYPTO,
    ("POST /v1/orgs/{org}/vcps", "positive_data_acceptance", 422): f"{CRYPTO}; {EMAIL}",
    ("PUT /v1/orgs/{org}/contacts", "positive_data_acceptance", 422): EMAIL,
    ("POST /v1/orgs/{org}/members", "positive_data_acceptance", 422): EMAIL,
    ("POST /v1/orgs/{org}/volunteers/{volunteer_id}/vog", "positive_data_acceptance", 422): (
        "the VOG's date against today and the role's maximum age, the screening aspects the"
        " role needs"
    ),
    ("POST /v1/orgs/{org}/stats", "positive_data_acceptance", 422): (
        "a quarter that has ended, counts of the known categories"
    ),
    ("POST /v1/sign-in", "positive_data_acceptance", 422): (
        f"{EMAIL}; `next` a path of the web app"
    ),
    # A code is valid only as the service issued it (by mail), once, for 15 minutes.
    ("POST /v1/sign-in/exchange", "positive_data_acceptance", 400): "a code it issued",
    # A passkey is added only as an authenticator's signed answer to a challenge identity
    # issued to this person, once, for 5 minutes.
    ("POST /v1/passkeys", "positive_data_acceptance", 400): "an authenticator's answer",
    ("PUT /v1/fallback-contacts", "positive_data_acceptance", 422): (
        "a phone number or a web address per contact, the address a URL, every text one line"
        " without control characters"
    ),
    ("POST /v1/trainings", "positive_data_acceptance", 422): (
        "a training starts in the future, ends after it starts, and has a place or an online link"
    ),
    ("POST /v1/orgs/{org}/webhooks", "positive_data_acceptance", 422): (
        "a target that resolves to an address that may be reached, a secret of 24 to 64 bytes"
    ),
    # Encrypted attachments (issue 24): how many files and bytes a report or a reply takes
    # are settings of the platform (413 past the bytes, 422 past the count), not schema.
    ("POST /v1/orgs/{org}/attachments", "positive_data_acceptance", 413): ATTACHMENT_LIMITS,
    ("POST /v1/orgs/{org}/attachments", "positive_data_acceptance", 422): ATTACHMENT_LIMITS,
    (
        "POST /v1/orgs/{org}/reports/{report_id}/attachments",
        "positive_data_acceptance",
        413,
    ): ATTACHMENT_LIMITS,
    (
        "POST /v1/orgs/{org}/reports/{report_id}/attachments",
        "positive_data_acceptance",
        422,
    ): ATTACHMENT_LIMITS,
}

# (check, status) → why it is allowed on every operation.
ALLOWED_EVERYWHERE: dict[tuple[str, int], str] = {
    # The negative phase's longest strings make bodies over the service's limit: those are
    # refused by their size (413, documented on every route) before their shape is read.
    # Refused all the same; the check only lists the statuses it expects by name.
    ("negative_data_rejection", 413): "a body over the limit is refused by its size",
}


@dataclass
class Organisation:
    """A real organisation with a role, a code, a VCP and a volunteer, and a token per role."""

    org_id: str
    tokens: dict[str, str | None] = field(default_factory=dict)


def ok(answer: httpx.Response, *statuses: int) -> httpx.Response:
    assert answer.status_code in statuses, (
        f"{answer.request.url}: {answer.status_code} {answer.text}"
    )
    return answer


# The fuzzer sends hundreds of anonymous requests a minute to one organisation, which would
# put it under pressure and have every one answered 428 (proof of work, tested on its own in
# tests/integration/test_proof_of_work.py): here that threshold is out of the way.
SERVICES_ENV = {"SAFEHANDS_PROOF_OF_WORK_ABOVE_PER_MINUTE": "100000"}


@pytest.fixture(scope="module")
def organisation(
    infra: Infrastructure, services: dict[str, RunningService]
) -> Iterator[Organisation]:
    org_id = f"fuzz-{uuid.uuid4().hex[:6]}"
    admin = {"Authorization": f"Bearer {infra.token('admin', org_id)}"}
    with (
        services["policy"].client() as policy,
        services["reports"].client() as reports,
        services["intake"].client() as intake,
    ):
        operator = {"Authorization": f"Bearer {infra.token('operator')}"}
        ok(policy.post("/v1/orgs", json={"org_id": org_id, "name": "Fuzz"}, headers=operator), 201)
        ok(
            policy.put(
                f"/v1/orgs/{org_id}/roles/coach",
                json={"title": "Coach", "works_with_minors": True, "works_with_vulnerable": False},
                headers=admin,
            ),
            200,
        )
        ok(policy.post(f"/v1/orgs/{org_id}/codes", json={"text": "Respect."}, headers=admin), 201)
        key = PrivateKey.generate()
        appoint_vcp(
            reports,
            org_id,
            "vcp-1",
            key,
            admin=admin,
            vcp={"Authorization": f"Bearer {infra.token('vcp', org_id, 'vcp-1')}"},
            name="Vera",
            email="vera@example.org",
        )
        # intake learns the role from RoleDefined: an application works once it has.
        applied = eventually(
            lambda: (
                intake.post(
                    f"/v1/orgs/{org_id}/applications",
                    json={"role_id": "coach", "name": "Anna", "email": "anna@example.org"},
                )
                .json()
                .get("volunteer_id")
            )
        )
    yield Organisation(
        org_id,
        {
            "anonymous": None,
            "operator": infra.token("operator"),
            "admin": infra.token("admin", org_id),
            "coordinator": infra.token("coordinator", org_id),
            "vcp": infra.token("vcp", org_id, "vcp-1"),
            "volunteer": infra.token("volunteer", org_id, applied),
        },
    )


def every_check() -> list[Any]:
    load_all_checks()
    return CHECKS.get_all()


def check_names(failure: Failure) -> tuple[str, ...]:
    return type(failure).checks or (failure.title or type(failure).__name__,)


def fuzz(service: RunningService, organisation: Organisation, *, shared_routes: bool) -> list[str]:
    """Fuzz one service; return each unexpected failure as one line."""
    schema = schemathesis.openapi.from_url(f"{service.url}/openapi.json")
    problems: list[str] = []
    deadline = time.process_time() + BUDGET_CPU_SECONDS
    for result in schema.get_all_operations():
        operation = result.ok()
        label = f"{operation.method.upper()} {operation.path}"
        if operation.path.startswith(SHARED_ROUTES) and not shared_routes:
            continue
        if operation.path in STREAMS:
            continue
        if time.process_time() > deadline:
            problems.append(f"{label}: not reached within {BUDGET_CPU_SECONDS} s of CPU")
            continue
        cover_operation(service, organisation, operation, problems, deadline)
        for mode in (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE):
            try:
                fuzz_operation(service, organisation, operation, mode, problems)
            except Unsatisfiable:
                # No input can break an operation without parameters or body (GET /healthz).
                assert mode is schemathesis.GenerationMode.NEGATIVE, label
    return problems


def cover_operation(
    service: RunningService,
    organisation: Organisation,
    operation: schemathesis.APIOperation,
    problems: list[str],
    deadline: float,
) -> None:
    """The coverage phase of `schemathesis run`: the boundaries of every parameter and
    property (a page number past any integer), each kind of wrong value, missing required
    headers and the methods the path does not have; the roles taken in turn."""
    label = f"{operation.method.upper()} {operation.path}"
    path_names = {p.name for p in operation.path_parameters}
    generator = CoverageGenerator(
        operation=operation,
        generation_modes=list(schemathesis.GenerationMode),
        generation_config=operation.schema.config.generation_for(
            operation=operation, phase="coverage"
        ),
        auth_storage=None,
        override=Override(
            path_parameters={"org": organisation.org_id} if "org" in path_names else {}
        ),
        feedback=FeedbackSources(),
    )
    roles = sorted(organisation.tokens)
    checks = every_check()
    for number, case in enumerate(generator):
        if number >= COVERAGE_CASES or time.process_time() > deadline:
            break
        role = roles[number % len(roles)]
        check_case(service, organisation, case, role, "coverage", label, checks, problems)


def check_case(
    service: RunningService,
    organisation: Organisation,
    case: schemathesis.Case,
    role: str,
    mode: str,
    label: str,
    checks: list[Any],
    problems: list[str],
) -> None:
    token = organisation.tokens[role]
    headers = {"Authorization": f"Bearer {token}"} if token else None
    response = case.call(base_url=service.url, headers=headers, timeout=10)
    try:
        case.validate_response(
            response,
            checks=checks,
            headers=headers,
            transport_kwargs={"base_url": service.url, "timeout": 10},
        )
    except FailureGroup as group:
        failures = list(group.exceptions)
    except Failure as single:
        failures = [single]
    else:
        return
    for failure in failures:
        for check in check_names(failure):
            if (label, check, response.status_code) in ALLOWED or (
                check,
                response.status_code,
            ) in ALLOWED_EVERYWHERE:
                continue
            problems.append(
                f"{label} as {role} ({mode}): {check} — "
                # The content, not the text: a file (an .xlsx) is no UTF-8.
                f"{response.status_code} {response.content[:200]!r} — "
                f"{failure.title}: {failure.message[:300]}"
            )


def fuzz_operation(
    service: RunningService,
    organisation: Organisation,
    operation: schemathesis.APIOperation,
    mode: schemathesis.GenerationMode,
    problems: list[str],
) -> None:
    """EXAMPLES generated requests to one operation, each as a role drawn from the pool."""
    label = f"{operation.method.upper()} {operation.path}"
    path_names = {p.name for p in operation.path_parameters}
    fixed = {"org": organisation.org_id} if "org" in path_names else None
    checks = every_check()

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(
        case=operation.as_strategy(generation_mode=mode, path_parameters=fixed),
        role=st.sampled_from(sorted(organisation.tokens)),
    )
    def run(case: schemathesis.Case, role: str) -> None:
        check_case(service, organisation, case, role, mode.value, label, checks, problems)

    run()


@pytest.mark.parametrize("name", SERVICE_NAMES)
def test_every_answer_is_documented(
    name: str, services: dict[str, RunningService], organisation: Organisation
) -> None:
    problems = fuzz(services[name], organisation, shared_routes=name == SERVICE_NAMES[0])
    unique = sorted(set(problems))
    assert not unique, f"{len(unique)} undocumented answer(s):\n" + "\n".join(unique[:60])


def test_the_inputs_that_found_faults_are_refused(
    services: dict[str, RunningService], organisation: Organisation
) -> None:
    """What `schemathesis --checks all` found, sent again the same way."""
    org = organisation.org_id
    admin = {"Authorization": f"Bearer {organisation.tokens['admin']}"}
    with services["policy"].client() as policy:
        page = policy.get(f"/v1/orgs/{org}/volunteers?page=1000000000000000000", headers=admin)
        assert page.status_code == 422, page.text
        assert page.json()["detail"].startswith("Invalid input")
        assert (
            policy.put(
                f"/v1/orgs/{org}/settings", json={"volunteer_retention_days": True}, headers=admin
            ).status_code
            == 422
        )
        role = {"title": "Coach", "works_with_minors": True, "works_with_vulnerable": 0}
        refused = policy.put(f"/v1/orgs/{org}/roles/strict", json=role, headers=admin)
        assert refused.status_code == 422, refused.text
        roles = policy.get(f"/v1/orgs/{org}/roles", headers=admin).json()
        assert "strict" not in {role["role_id"] for role in roles}
        options = policy.options("/v1/orgs")
        assert options.status_code == 405
        assert options.headers["allow"] == "GET, HEAD, POST"
        draft = policy.patch(f"/v1/orgs/{org}/codes/draft", headers=admin)
        assert draft.headers["allow"] == "DELETE, GET, HEAD, POST, PUT"
