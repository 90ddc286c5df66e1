"""The contract as a third party's generated client sees it: `openapi-python-client` builds a
client from each running service's own OpenAPI document without a warning, and a volunteer
goes from a registered organisation to `admitted` through those clients alone (no
hand-written request, no hand-read answer), over HTTP against the services as separate
processes on the real broker and database."""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from shared.domain.calendar import today
from tests.support.platform import Infrastructure, RunningService, eventually

pytestmark = pytest.mark.e2e

GENERATOR = Path(sys.executable).with_name("openapi-python-client")
# The generator reads JSON, text and `application/octet-stream` answers; its documented way
# to read a binary file of another media type (the workbooks, Word and PDF downloads) as
# bytes is to say so in its configuration. Nothing else is configured.
CONFIG = {
    "content_type_overrides": {
        media_type: "application/octet-stream"
        for media_type in (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "application/pdf",
        )
    }
}
CODE = "Wij behandelen iedereen met respect.\n"


def generate(name: str, service: RunningService, root: Path) -> str:
    """Generate `<name>_client` in `root` from the service's served document; returns the
    generator's output."""
    document = httpx.get(f"{service.url}/openapi.json", timeout=10).json()
    source = root / f"{name}.json"
    source.write_text(json.dumps(document))
    config = root / "config.json"
    config.write_text(json.dumps(CONFIG))
    result = subprocess.run(
        [
            str(GENERATOR),
            "generate",
            "--path",
            str(source),
            "--output-path",
            str(root / f"{name}_client"),
            "--meta",
            "none",
            "--config",
            str(config),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        # Its default post-hooks format the client with ruff, from this virtualenv.
        env={**os.environ, "PATH": f"{GENERATOR.parent}{os.pathsep}{os.environ['PATH']}"},
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    return output


@pytest.fixture(scope="module")
def clients(
    services: dict[str, RunningService], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, ModuleType]]:
    root = tmp_path_factory.mktemp("generated")
    generated_names = {f"{name}_client" for name in services}
    outputs = {name: generate(name, service, root) for name, service in services.items()}
    for name, output in outputs.items():
        assert "warning" not in output.lower(), f"{name}:\n{output}"
    sys.path.insert(0, str(root))
    try:
        yield {name: importlib.import_module(f"{name}_client") for name in services}
    finally:
        sys.path.remove(str(root))
        for module in [name for name in sys.modules if name.split(".")[0] in generated_names]:
            del sys.modules[module]


def api(clients: dict[str, ModuleType], service: str, operation: str) -> Any:
    """The generated module of one operation, found by its operation id's module name."""
    package = clients[service]
    folder = Path(package.__file__ or "").parent / "api"
    matches = list(folder.glob(f"*/{operation}.py"))
    assert len(matches) == 1, f"{service} has no operation module {operation}"
    return importlib.import_module(f"{package.__name__}.api.{matches[0].parent.name}.{operation}")


def authenticated(package: ModuleType, service: RunningService, token: str) -> Any:
    return package.AuthenticatedClient(base_url=service.url, token=token, timeout=10)


def test_a_volunteer_is_admitted_through_the_generated_clients_alone(
    infra: Infrastructure, services: dict[str, RunningService], clients: dict[str, ModuleType]
) -> None:
    policy, intake = clients["policy"], clients["intake"]
    policy_models = importlib.import_module(f"{policy.__name__}.models")
    intake_models = importlib.import_module(f"{intake.__name__}.models")
    org = f"org-{uuid.uuid4().hex[:6]}"

    def on_policy(role: str, sub: str | None = None) -> Any:
        token = infra.token(role, None if role == "operator" else org, sub)
        return authenticated(policy, services["policy"], token)

    def on_intake(role: str, sub: str | None = None) -> Any:
        return authenticated(intake, services["intake"], infra.token(role, org, sub))

    admin, coordinator = on_policy("admin"), on_intake("coordinator")

    registered = api(clients, "policy", "register_organisation").sync(
        client=on_policy("operator"),
        body=policy_models.NewOrganisation(
            org_id=org, name="Scouting De Bevers", language=policy_models.NewOrganisationLanguage.NL
        ),
    )
    assert isinstance(registered, policy_models.RegisteredOrganisation)
    assert registered.org_id == org

    role = api(clients, "policy", "define_role").sync(
        org,
        "youth-leader",
        client=admin,
        body=policy_models.RoleDefinition(
            title="Jeugdleider", works_with_minors=True, works_with_vulnerable=False
        ),
    )
    assert isinstance(role, policy_models.RoleSummary)
    assert role.vog_required is True and role.vog_max_age_days == 180
    roles = api(clients, "policy", "list_roles").sync(org, client=admin)
    assert [listed.role_id for listed in roles] == ["youth-leader"]

    code = api(clients, "policy", "publish_code").sync(
        org, client=admin, body=policy_models.NewCode(text=CODE)
    )
    assert code.version == 1 and code.sha256 == hashlib.sha256(CODE.encode()).hexdigest()

    # Anyone may apply: no token. intake learns of the role from policy's event, eventually.
    anonymous = intake.Client(base_url=services["intake"].url, timeout=10)
    application = intake_models.Application(
        role_id="youth-leader", name="Anna de Vries", email="anna@example.org"
    )
    apply = api(clients, "intake", "apply")

    def applied() -> Any:
        answer = apply.sync(org, client=anonymous, body=application)
        return answer if isinstance(answer, intake_models.Accepted) else None

    accepted = eventually(applied)
    anna = accepted.volunteer_id

    read_admission = api(clients, "policy", "read_admission")
    on_policy_as_coordinator = on_policy("coordinator")

    def admission_is(status: str, missing: list[str]) -> bool:
        state = read_admission.sync(org, anna, client=on_policy_as_coordinator)
        return (
            isinstance(state, policy_models.AdmissionState)
            and state.status.value == status
            and [step.value for step in state.missing] == missing
        )

    eventually(lambda: admission_is("pending", ["interview", "code_signature", "vog"]))

    interviewed = api(clients, "intake", "record_interview").sync_detailed(
        org,
        anna,
        client=coordinator,
        body=intake_models.Interview(
            outcome=intake_models.InterviewOutcome.PROCEED, notes="Kennismaking"
        ),
    )
    assert interviewed.status_code == 201

    signature = intake_models.Signature(version=1, sha256=code.sha256, full_name="Anna de Vries")
    sign_code = api(clients, "intake", "sign_code")
    # intake learns of the code from policy's event, eventually.
    eventually(
        lambda: (
            sign_code.sync_detailed(
                org, anna, client=on_intake("volunteer", anna), body=signature
            ).status_code
            == 201
        )
    )

    vog = api(clients, "intake", "record_vog").sync_detailed(
        org,
        anna,
        client=coordinator,
        body=intake_models.VOGRecord(
            issued_on=today() - timedelta(days=10),
            screening_aspects=[84],
            checked_by="Coordinator Jansen",
        ),
    )
    assert vog.status_code == 201, vog.content

    eventually(lambda: admission_is("admitted", []), timeout=30)


def test_the_downloads_and_the_catalogue_read_as_declared(
    infra: Infrastructure, services: dict[str, RunningService], clients: dict[str, ModuleType]
) -> None:
    policy = clients["policy"]
    models = importlib.import_module(f"{policy.__name__}.models")
    org = f"org-{uuid.uuid4().hex[:6]}"
    operator = authenticated(policy, services["policy"], infra.token("operator"))
    api(clients, "policy", "register_organisation").sync(
        client=operator, body=models.NewOrganisation(org_id=org, name="De Bevers")
    )
    admin = authenticated(policy, services["policy"], infra.token("admin", org))

    document = api(clients, "policy", "read_filled_in_template").sync(
        org, "vcp_profile.en", client=admin
    )
    assert isinstance(document, models.StarterDocument)
    markdown = api(clients, "policy", "download_filled_in_template_markdown").sync(
        org, "vcp_profile.en", client=admin
    )
    assert markdown == document.text and "De Bevers" in markdown
    pdf = api(clients, "policy", "download_filled_in_template_pdf").sync(
        org, "vcp_profile.en", client=admin
    )
    assert pdf.payload.read().startswith(b"%PDF-")

    entries = api(clients, "policy", "read_log").sync(org, client=admin)
    assert all(isinstance(entry, models.AuditEntry) for entry in entries)
    assert "organisation.registered" in [entry.action for entry in entries]
    exported = api(clients, "policy", "export_log_csv").sync(org, client=admin)
    assert exported.startswith("service,seq,at,") and entries[-1].to_dict()["hash"] in exported

    catalogue = api(clients, "policy", "read_async_api").sync(client=operator)
    assert isinstance(catalogue, models.AsyncApiDocument)
    assert catalogue.asyncapi.startswith("3.") and catalogue.channels.additional_properties
