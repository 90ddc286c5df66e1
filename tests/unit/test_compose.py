"""The production compose stack, checked without Docker.

Docker does not run on the development machines, so the compose file is validated against
the Compose Specification schema (check-jsonschema's vendored copy) and its structure is
checked here against the one list of services (cli/services.py): one image for them all,
scalable services without fixed host ports, health-gated start-up, Prometheus scraping every
service, and the gateway (Caddy) built with the web app, routing to every service and
refusing the bodies the services refuse.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from ruamel.yaml import YAML  # PyYAML is not a dependency; check-jsonschema brings ruamel

from cli.services import SERVICE_NAMES

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
PORTS_OVERRIDE = ROOT / "deploy" / "compose.ports.yml"
PRODUCTION_OVERRIDE = ROOT / "deploy" / "compose.production.yml"
KAFKA_ACLS = ROOT / "deploy" / "kafka" / "acls.txt"
KAFKA_INIT_SCRIPT = ROOT / "deploy" / "kafka" / "init.sh"
DOCKERFILE = ROOT / "deploy" / "Dockerfile"
PROMETHEUS_FILE = ROOT / "deploy" / "prometheus.yml"
CADDYFILE = ROOT / "deploy" / "Caddyfile"
MONGO_INIT_SCRIPT = ROOT / "deploy" / "mongo" / "init-replica-set.js"

# The one list of services (cli/services.py): the compose files, Prometheus and the gateway
# are checked against it, so a service added there and forgotten here fails these tests.
APP_SERVICES = SERVICE_NAMES
# Services the gateway routes /api/<service>/ to.
ROUTED_SERVICES = APP_SERVICES
# The only services that may publish host ports: the operators' tools, on loopback only…
EDGE_SERVICES = {"mailpit", "prometheus", "grafana", "jaeger"}
# …and the gateway, the one address for people, on the public HTTP and HTTPS ports.
GATEWAY = "caddy"
APP_PORT = 8080


def load_yaml(path: Path) -> Any:
    # The safe loader resolves anchors and `<<` merge keys, as Docker Compose does.
    return YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return load_yaml(COMPOSE_FILE)


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return compose["services"]


def check_jsonschema_executable() -> str:
    candidate = Path(sys.executable).with_name("check-jsonschema")
    if candidate.exists():
        return str(candidate)
    found = shutil.which("check-jsonschema")
    assert found, "check-jsonschema is not installed (pip install -e '.[dev]')"
    return found


def environment(service: dict[str, Any]) -> dict[str, str]:
    """`environment:` as a dict, whether written as a mapping or as a KEY=VALUE list."""
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {key: "" if value is None else str(value) for key, value in env.items()}


def fixed_host_ports(service: dict[str, Any]) -> list[Any]:
    """The `ports:` entries that pin a host port (which breaks `--scale`).

    Short syntax is `[HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]`; an entry without a
    host port, or with an empty one (`127.0.0.1::8080`), gets a random port per replica.
    Long syntax pins a port through `published`.
    """
    pinned = []
    for entry in service.get("ports") or []:
        if isinstance(entry, dict):
            if str(entry.get("published") or "").strip():
                pinned.append(entry)
            continue
        spec = str(entry).split("/", 1)[0]
        if ":" not in spec:
            continue  # container port only
        host_part = spec.rsplit(":", 1)[0]
        host_port = host_part.rsplit(":", 1)[-1] if ":" in host_part else host_part
        if host_port.strip("[]"):
            pinned.append(entry)
    return pinned


def dockerfile_instruction(name: str) -> str:
    """Arguments of the last `name` instruction in deploy/Dockerfile (continuations joined)."""
    text = DOCKERFILE.read_text(encoding="utf-8").replace("\\\n", " ")
    found = [
        line.strip()[len(name) :].strip()
        for line in text.splitlines()
        if line.strip().upper().startswith(name + " ")
    ]
    assert found, f"deploy/Dockerfile has no {name} instruction"
    return found[-1]


# --- schema -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", [COMPOSE_FILE, PORTS_OVERRIDE, PRODUCTION_OVERRIDE], ids=lambda p: p.name
)
def test_compose_files_match_the_compose_specification(path: Path) -> None:
    result = subprocess.run(
        [
            check_jsonschema_executable(),
            "--builtin-schema",
            "vendor.compose-spec",
            str(path),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_file_uses_no_obsolete_version_key(compose: dict[str, Any]) -> None:
    assert "version" not in compose


# --- the five application services ---------------------------------------------------------


def test_compose_runs_exactly_the_listed_services(services: dict[str, dict[str, Any]]) -> None:
    image_entrypoint = json.loads(dockerfile_instruction("ENTRYPOINT"))
    served = set()
    for name, service in services.items():
        command = service.get("command") or []
        command = command.split() if isinstance(command, str) else command
        if [*service.get("entrypoint", image_entrypoint), *command][:2] == ["safehands", "serve"]:
            served.add(name)
    missing = sorted(set(APP_SERVICES) - set(services))
    assert not missing, f"docker-compose.yml has no service for {', '.join(missing)}"
    assert served == set(APP_SERVICES)


def test_app_services_share_one_image_built_from_deploy_dockerfile(
    services: dict[str, dict[str, Any]],
) -> None:
    builds = {json.dumps(services[name].get("build"), sort_keys=True) for name in APP_SERVICES}
    images = {services[name].get("image") for name in APP_SERVICES}
    assert len(builds) == 1, f"the services are built differently: {builds}"
    assert len(images) == 1 and None not in images, f"the services use different images: {images}"
    build = services["policy"]["build"]
    assert (ROOT / build["context"]).resolve() == ROOT
    assert (ROOT / build["context"] / build["dockerfile"]).resolve() == DOCKERFILE


def test_each_app_service_runs_safehands_serve_with_its_own_name(
    services: dict[str, dict[str, Any]],
) -> None:
    image_entrypoint = json.loads(dockerfile_instruction("ENTRYPOINT"))
    for name in APP_SERVICES:
        service = services[name]
        entrypoint = service.get("entrypoint", image_entrypoint)
        if isinstance(entrypoint, str):
            entrypoint = entrypoint.split()
        command = service.get("command")
        if isinstance(command, str):
            command = command.split()
        assert [*entrypoint, *command] == ["safehands", "serve", name], name


def test_scaled_services_have_no_fixed_host_port_and_no_container_name(
    services: dict[str, dict[str, Any]],
) -> None:
    for name in APP_SERVICES:
        service = services[name]
        # By default the services are not published at all; deploy/compose.ports.yml is
        # the opt-in way to reach them from the host.
        assert not service.get("ports"), f"{name} publishes ports: {service.get('ports')}"
        assert "container_name" not in service, name
        assert str(APP_PORT) in [str(port) for port in service.get("expose", [])], name


def test_ports_override_publishes_each_replica_on_a_random_loopback_port() -> None:
    override = load_yaml(PORTS_OVERRIDE)["services"]
    assert set(override) == set(APP_SERVICES)
    for name, service in override.items():
        assert service["ports"], name
        assert fixed_host_ports(service) == [], name
        for entry in service["ports"]:
            assert entry["target"] == APP_PORT, name
            assert entry["host_ip"] == "127.0.0.1", name
        assert "container_name" not in service, name


@pytest.mark.parametrize(
    ("entry", "pinned"),
    [
        ("8082:8080", True),
        ("127.0.0.1:8082:8080", True),
        ("8082:8080/tcp", True),
        ("[::1]:8082:8080", True),
        ({"target": 8080, "published": "8082"}, True),
        ({"target": 8080, "published": 8082, "host_ip": "127.0.0.1"}, True),
        ("8080", False),
        ("127.0.0.1::8080", False),
        ({"target": 8080, "host_ip": "127.0.0.1"}, False),
    ],
)
def test_fixed_host_port_detection(entry: Any, pinned: bool) -> None:
    # Keeps the guard above honest: `ports: ["8082:8080"]` on policy must be caught.
    assert bool(fixed_host_ports({"ports": [entry]})) is pinned


def test_only_the_edge_publishes_host_ports(services: dict[str, dict[str, Any]]) -> None:
    published = {name for name, service in services.items() if service.get("ports")}
    assert published == EDGE_SERVICES | {GATEWAY}
    for name in EDGE_SERVICES:
        for entry in services[name]["ports"]:
            assert str(entry).startswith("127.0.0.1:"), f"{name} is published beyond loopback"


def test_app_services_wait_for_healthy_kafka_and_mongo(
    services: dict[str, dict[str, Any]],
) -> None:
    for name in APP_SERVICES:
        depends_on = services[name].get("depends_on")
        assert isinstance(depends_on, dict), f"{name}: depends_on needs conditions"
        assert depends_on.get("kafka", {}).get("condition") == "service_healthy", name
        assert depends_on.get("mongo", {}).get("condition") == "service_healthy", name
        init = depends_on.get("mongo-init", {})
        assert init.get("condition") == "service_completed_successfully", name
    notify_deps = services["notify"]["depends_on"]
    assert notify_deps.get("mailpit", {}).get("condition") == "service_healthy"


def test_every_dependency_condition_is_backed_by_a_healthcheck_or_a_one_shot(
    services: dict[str, dict[str, Any]],
) -> None:
    for name, service in services.items():
        for dependency, spec in (service.get("depends_on") or {}).items():
            assert dependency in services, f"{name} depends on unknown {dependency}"
            if spec.get("condition") == "service_healthy":
                assert services[dependency].get("healthcheck"), dependency
            if spec.get("condition") == "service_completed_successfully":
                assert services[dependency].get("restart") == "no", dependency


def test_app_services_are_configured_for_the_containers(
    compose: dict[str, Any], services: dict[str, dict[str, Any]]
) -> None:
    for name in APP_SERVICES:
        service = services[name]
        env = environment(service)
        assert env["SAFEHANDS_KAFKA_BOOTSTRAP_SERVERS"] == "kafka:9092", name
        mongo_uri = urlsplit(env["SAFEHANDS_MONGO_URI"])
        assert mongo_uri.hostname == "mongo", name
        assert parse_qs(mongo_uri.query).get("replicaSet") == ["rs0"], name
        assert env["SAFEHANDS_HTTP_HOST"] == "0.0.0.0", name
        assert env["SAFEHANDS_HTTP_PORT"] == str(APP_PORT), name
        assert env["SAFEHANDS_WEBHOOKS_ALLOW_PRIVATE_NETWORKS"].lower() == "false", name
        # The JWT public key comes from a Compose secret, mounted read-only.
        assert "jwt_public_key" in service.get("secrets", []), name
        assert env["SAFEHANDS_JWT_PUBLIC_KEY_FILE"] == "/run/secrets/jwt_public_key", name
        # ... and beside it, identity's JWKS, so that a rotated key needs no restart.
        assert env["SAFEHANDS_JWKS_URL"] == "http://identity:8080/.well-known/jwks.json", name
        # Only identity holds the private key that signs tokens.
        holds_private_key = "jwt_private_key" in service.get("secrets", [])
        assert holds_private_key == (name == "identity"), name
        # Replicas share the rate limiter's secret, which is never in the database.
        assert "rate_limit_secret" in service.get("secrets", []), name
        assert env["SAFEHANDS_RATE_LIMIT_SECRET_FILE"] == "/run/secrets/rate_limit_secret", name
        healthcheck = " ".join(service["healthcheck"]["test"])
        assert f"127.0.0.1:{APP_PORT}/readyz" in healthcheck, name
        assert "curl" not in healthcheck, f"{name}: python:slim has no curl"
    assert compose["secrets"]["jwt_public_key"]["file"] == "./deploy/secrets/jwt_public.pem"
    assert compose["secrets"]["jwt_private_key"]["file"] == "./deploy/secrets/jwt_private.pem"
    identity_env = environment(services["identity"])
    assert identity_env["SAFEHANDS_JWT_PRIVATE_KEY_FILE"] == "/run/secrets/jwt_private_key"
    # notify and identity both mail: identity its own sign-in links, never over the bus.
    for mailer in ("notify", "identity"):
        mailer_env = environment(services[mailer])
        assert mailer_env["SAFEHANDS_SMTP_HOST"] == "mailpit", mailer
        assert mailer_env["SAFEHANDS_SMTP_PORT"] == "1025", mailer
    assert compose["secrets"]["rate_limit_secret"]["file"] == "./deploy/secrets/rate_limit_secret"


def test_app_services_only_set_settings_the_application_knows(
    services: dict[str, dict[str, Any]],
) -> None:
    # Settings refuse unknown SAFEHANDS_* variables, so a typo here is a crash loop there.
    from shared.settings import ENV_PREFIX, Settings

    known = {ENV_PREFIX + field.upper() for field in Settings.model_fields}
    for name in APP_SERVICES:
        env = environment(services[name])
        assert {key for key in env if key.startswith(ENV_PREFIX)} <= known, name
        # Every replica listens on the same port in its own container.
        assert env["SAFEHANDS_HTTP_PORT"] == str(APP_PORT), name
    dockerfile_keys = set(re.findall(r"\b(SAFEHANDS_[A-Z0-9_]+)=", DOCKERFILE.read_text()))
    assert dockerfile_keys <= known, f"deploy/Dockerfile sets unknown {dockerfile_keys - known}"


# --- infrastructure ---------------------------------------------------------------------------


def test_kafka_is_a_single_kraft_node_with_a_healthcheck_and_a_named_volume(
    compose: dict[str, Any], services: dict[str, dict[str, Any]]
) -> None:
    kafka = services["kafka"]
    assert kafka["image"].startswith("apache/kafka:")
    env = environment(kafka)
    assert set(env["KAFKA_PROCESS_ROLES"].split(",")) == {"broker", "controller"}
    assert env["KAFKA_ADVERTISED_LISTENERS"] == "SASL_PLAINTEXT://kafka:9092"
    assert env["CLUSTER_ID"]
    assert kafka["healthcheck"]["test"][1].startswith("/opt/kafka/bin/")
    assert "kafka-data:/var/lib/kafka/data" in kafka["volumes"]
    assert env["KAFKA_LOG_DIRS"] == "/var/lib/kafka/data"
    assert "kafka-data" in compose["volumes"]


def test_mongo_runs_as_an_initiated_replica_set(
    compose: dict[str, Any], services: dict[str, dict[str, Any]]
) -> None:
    mongo = services["mongo"]
    assert mongo["image"] == "mongo:8"
    command = mongo["command"]
    assert command[command.index("--replSet") + 1] == "rs0"
    assert "mongo-data:/data/db" in mongo["volumes"]
    assert "mongo-data" in compose["volumes"]
    assert "mongosh" in mongo["healthcheck"]["test"]

    init = services["mongo-init"]
    assert init["image"] == "mongo:8"
    assert init["command"][0] == "mongosh"
    assert init["depends_on"]["mongo"]["condition"] == "service_healthy"
    mounted = {volume.split(":")[0] for volume in init["volumes"]}
    assert "./deploy/mongo/init-replica-set.js" in mounted
    script = MONGO_INIT_SCRIPT.read_text(encoding="utf-8")
    assert "rs.initiate(" in script
    assert "NotYetInitialized" in script  # initiate only once
    assert '_id: "rs0"' in script
    assert '"mongo:27017"' in script


def secret_targets(service: dict[str, Any]) -> dict[str, str]:
    """Where each compose secret is mounted: target name → secret (short or long syntax)."""
    targets = {}
    for entry in service.get("secrets", []):
        if isinstance(entry, str):
            targets[entry] = entry
        else:
            targets[entry.get("target", entry["source"])] = entry["source"]
    return targets


def test_mongo_and_kafka_require_each_service_to_sign_in_as_itself(
    compose: dict[str, Any], services: dict[str, dict[str, Any]]
) -> None:
    for name in APP_SERVICES:
        env = environment(services[name])
        # Its own user, with the password of its own secret; none in the environment.
        assert env["SAFEHANDS_MONGO_USERNAME"] == name
        assert env["SAFEHANDS_KAFKA_SASL_USERNAME"] == name
        assert env["SAFEHANDS_MONGO_PASSWORD_FILE"] == "/run/secrets/mongo_password"
        assert env["SAFEHANDS_KAFKA_SASL_PASSWORD_FILE"] == "/run/secrets/kafka_password"
        assert env["SAFEHANDS_KAFKA_SASL_MECHANISM"] == "SCRAM-SHA-512"
        assert urlsplit(env["SAFEHANDS_MONGO_URI"]).password is None, name
        targets = secret_targets(services[name])
        assert targets["mongo_password"] == f"mongo_{name}_password"
        assert targets["kafka_password"] == f"kafka_{name}_password"
        # No other service's password is mounted.
        others = {
            f"{kind}_{other}_password" for kind in ("mongo", "kafka") for other in APP_SERVICES
        }
        assert set(targets.values()) & others == {
            f"mongo_{name}_password",
            f"kafka_{name}_password",
        }
        depends_on = services[name]["depends_on"]
        assert depends_on["kafka-init"]["condition"] == "service_completed_successfully"
        for kind in ("mongo", "kafka"):
            secret = compose["secrets"][f"{kind}_{name}_password"]
            assert secret["file"] == f"./deploy/secrets/{kind}_{name}_password"

    mongo = services["mongo"]
    assert (
        mongo["environment"]["MONGO_INITDB_ROOT_PASSWORD_FILE"]
        == "/run/secrets/mongo_root_password"
    )
    assert "--keyFile" in mongo["command"]
    assert {"mongo_root_password", "mongo_keyfile"} <= set(secret_targets(mongo))
    init = services["mongo-init"]
    assert set(secret_targets(init)) == {"mongo_root_password"} | {
        f"mongo_{name}_password" for name in APP_SERVICES
    }
    script = MONGO_INIT_SCRIPT.read_text(encoding="utf-8")
    assert f"const SERVICES = {json.dumps(list(APP_SERVICES))};" in script
    assert 'role: "readWrite", db: `${DATABASE}_${service}`' in script
    assert "admin.auth(" in script

    kafka = environment(services["kafka"])
    assert kafka["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"].count("SASL_PLAINTEXT") == 2
    assert "PLAINTEXT://" not in kafka["KAFKA_LISTENERS"].replace("SASL_PLAINTEXT://", "")
    assert "SCRAM-SHA-512" in kafka["KAFKA_SASL_ENABLED_MECHANISMS"].split(",")
    assert kafka["KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND"] == "false"
    assert kafka["KAFKA_AUTHORIZER_CLASS_NAME"].endswith("StandardAuthorizer")
    # The controller listener is not reachable from the network.
    assert "CONTROLLER://localhost:" in kafka["KAFKA_LISTENERS"]
    # The admin's password is read from its secret, never written into the environment.
    assert "${file:/run/secrets/kafka_admin:password}" in kafka[
        "KAFKA_LISTENER_NAME_SASL__PLAINTEXT_PLAIN_SASL_JAAS_CONFIG"
    ].replace("$$", "$")
    kafka_init = services["kafka-init"]
    assert kafka_init["restart"] == "no"
    assert set(secret_targets(kafka_init)) == {"kafka_admin"} | {
        f"kafka_{name}_password" for name in APP_SERVICES
    }
    init_script = KAFKA_INIT_SCRIPT.read_text(encoding="utf-8")
    assert f"for service in {' '.join(APP_SERVICES)}; do" in init_script
    assert "SCRAM-SHA-512=[" in init_script and "acls.txt" in init_script


def test_kafka_acls_are_what_the_services_declare(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cli.kafka_acls import render
    from shared.auth.tokens import create_key_pair

    create_key_pair(tmp_path / "keys" / "jwt_private.pem", tmp_path / "keys" / "jwt_public.pem")
    monkeypatch.setenv("SAFEHANDS_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SAFEHANDS_RATE_LIMIT_SECRET", "s" * 32)
    assert KAFKA_ACLS.read_text(encoding="utf-8") == render(), (
        "deploy/kafka/acls.txt is stale: run `python -m cli.kafka_acls > deploy/kafka/acls.txt`"
    )
    rules = [line.split() for line in render().splitlines() if not line.startswith("#")]
    # Only literal rights: nobody may read everything, nor write a topic it does not own.
    assert {rule[1] for rule in rules} == {"Read", "Write", "Create"}
    assert ["identity", "Write", "topic", "safehands.member"] in rules
    assert ["intake", "Write", "topic", "safehands.member"] not in rules


def test_the_production_profile_mails_through_a_relay_with_starttls(
    services: dict[str, dict[str, Any]],
) -> None:
    production = load_yaml(PRODUCTION_OVERRIDE)
    # Mailpit is not started, and nothing needs it.
    assert production["services"]["mailpit"]["profiles"] == ["mailpit"]
    for mailer in ("identity", "notify"):
        assert services[mailer]["depends_on"]["mailpit"]["required"] is False
        env = production["services"][mailer]["environment"]
        assert env["SAFEHANDS_SMTP_STARTTLS"] == "true"
        assert env["SAFEHANDS_SMTP_HOST"].startswith("${SMTP_RELAY_HOST:?")
        assert env["SAFEHANDS_SMTP_PASSWORD_FILE"] == "/run/secrets/smtp_password"
        assert "smtp_password" in production["services"][mailer]["secrets"]
    assert production["secrets"]["smtp_password"]["file"] == "./deploy/secrets/smtp_password"


def test_prometheus_discovers_every_replica_of_every_service(
    services: dict[str, dict[str, Any]],
) -> None:
    prometheus = services["prometheus"]
    assert "./deploy/prometheus.yml:/etc/prometheus/prometheus.yml:ro" in prometheus["volumes"]
    config = load_yaml(PROMETHEUS_FILE)
    discovered: set[str] = set()
    for job in config["scrape_configs"]:
        for sd in job.get("dns_sd_configs", []):
            assert sd["type"] == "A", job["job_name"]
            assert sd["port"] == APP_PORT, job["job_name"]
            assert job.get("metrics_path", "/metrics") == "/metrics"
            discovered.update(sd["names"])
    assert discovered == set(APP_SERVICES)


def test_prometheus_loads_the_alert_rules_that_make_lint_tests(
    services: dict[str, dict[str, Any]],
) -> None:
    mounted = dict(volume.split(":", 2)[:2] for volume in services["prometheus"]["volumes"])
    config = load_yaml(PROMETHEUS_FILE)
    (rules,) = config["rule_files"]
    source = next(host for host, target in mounted.items() if target == rules)
    assert (ROOT / source).resolve() == ROOT / "deploy" / "prometheus" / "alerts.yml"
    tests = load_yaml(ROOT / "deploy" / "prometheus" / "alerts.test.yml")
    assert tests["rule_files"] == ["alerts.yml"]
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "promtool check rules deploy/prometheus/alerts.yml" in makefile
    assert "promtool test rules deploy/prometheus/alerts.test.yml" in makefile


def test_grafana_is_provisioned_with_prometheus_and_the_dashboard(
    services: dict[str, dict[str, Any]],
) -> None:
    grafana = services["grafana"]
    mounted = dict(volume.split(":", 2)[:2] for volume in grafana["volumes"])
    provisioning = ROOT / mounted["./deploy/grafana/provisioning"].replace(
        "/etc/grafana/provisioning", "deploy/grafana/provisioning"
    )
    source = load_yaml(provisioning / "datasources" / "prometheus.yml")["datasources"][0]
    assert source["url"] == "http://prometheus:9090" and source["uid"] == "prometheus"
    provider = load_yaml(provisioning / "dashboards" / "safehands.yml")["providers"][0]
    dashboards = next(
        host for host, target in mounted.items() if target == provider["options"]["path"]
    )
    dashboard = json.loads((ROOT / dashboards / "safehands.json").read_text(encoding="utf-8"))
    uids = {
        target["datasource"]["uid"]
        for panel in dashboard["panels"]
        for target in panel.get("targets", [])
    }
    assert uids == {"prometheus"}
    assert grafana["environment"]["GF_SECURITY_ADMIN_PASSWORD__FILE"] == (
        "/run/secrets/grafana_admin_password"
    )


def test_services_send_traces_to_jaeger(services: dict[str, dict[str, Any]]) -> None:
    assert services["jaeger"]["image"].startswith("jaegertracing/all-in-one:")
    for name in APP_SERVICES:
        endpoint = services[name]["environment"]["OTEL_EXPORTER_OTLP_ENDPOINT"]
        assert endpoint == "${OTEL_EXPORTER_OTLP_ENDPOINT-http://jaeger:4318}", name


def test_mailpit_catches_smtp_for_notify(services: dict[str, dict[str, Any]]) -> None:
    assert services["mailpit"]["image"].startswith("axllent/mailpit:")
    assert services["mailpit"]["healthcheck"]["test"]


# --- image ------------------------------------------------------------------------------------


def test_dockerfile_builds_a_slim_non_root_image_without_dev_dependencies() -> None:
    text = DOCKERFILE.read_text(encoding="utf-8")
    assert "python:3.12-slim" in text
    assert text.count("\nFROM ") >= 2, "expected a multi-stage build"
    installs = [line for line in text.replace("\\\n", " ").splitlines() if "pip install" in line]
    assert installs, "deploy/Dockerfile installs nothing"
    assert any("pip install --no-cache-dir ." in line for line in installs)
    assert not any("[dev]" in line or "-e " in line for line in installs), installs
    user = dockerfile_instruction("USER").split(":")[0]
    assert user not in {"root", "0"}
    assert json.loads(dockerfile_instruction("ENTRYPOINT")) == ["safehands"]


def test_dockerignore_keeps_local_state_and_secrets_out_of_the_build_context() -> None:
    patterns = {
        line.strip()
        for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert {".git", ".venv", ".safehands", ".pytest_cache", "deploy/secrets"} <= patterns


# --- gateway ----------------------------------------------------------------------------------


def caddyfile_variables() -> dict[str, str | None]:
    """Each `{$NAME}` / `{$NAME:default}` of deploy/Caddyfile, with its default."""
    found: dict[str, str | None] = {}
    for name, default in re.findall(r"\{\$([A-Z0-9_]+)(?::([^}]*))?\}", CADDYFILE.read_text()):
        found[name] = default or None
    return found


def test_gateway_image_is_the_dockerfiles_gateway_target_with_the_built_web_app(
    services: dict[str, dict[str, Any]],
) -> None:
    build = services[GATEWAY]["build"]
    assert (ROOT / build["context"]).resolve() == ROOT
    assert (ROOT / build["context"] / build["dockerfile"]).resolve() == DOCKERFILE
    assert build["target"] == "gateway"
    text = DOCKERFILE.read_text(encoding="utf-8")
    stages = re.findall(r"^FROM\s+(\S+)\s+AS\s+(\S+)", text, flags=re.MULTILINE | re.IGNORECASE)
    names = [name for _, name in stages]
    assert {"web", "gateway"} <= set(names)
    # The services' image stays the last stage, the default target, so it needs no target.
    assert names[-1] == "runtime" and "target" not in services["policy"]["build"]
    web_stage = text.split(" AS web", 1)[1].split("\nFROM ", 1)[0]
    assert "npm ci" in web_stage and "npm run build" in web_stage
    gateway_stage = text.split(" AS gateway", 1)[1].split("\nFROM ", 1)[0]
    assert "COPY deploy/Caddyfile /etc/caddy/Caddyfile" in gateway_stage
    assert "COPY --from=web /web/dist /srv/web" in gateway_stage
    assert caddyfile_variables()["GATEWAY_WEB_ROOT"] == "/srv/web"
    ignored = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert "web" not in ignored and {"web/node_modules", "web/dist"} <= set(ignored)


def test_gateway_routes_every_service_by_its_compose_name() -> None:
    variables = caddyfile_variables()
    for name in ROUTED_SERVICES:
        assert variables[f"GATEWAY_{name.upper()}_UPSTREAM"] == f"{name}:{APP_PORT}", name
        assert f"import api_route {name} {{$GATEWAY_{name.upper()}_UPSTREAM:" in (
            CADDYFILE.read_text()
        ), name


def test_gateway_refuses_exactly_the_bodies_the_services_refuse(
    services: dict[str, dict[str, Any]],
) -> None:
    from cli.services import SERVICE_NAMES, definition_of
    from shared.http.body_limit import DEFAULT_MAX_BODY_BYTES

    # No default in the Caddyfile: every deployment names the one number explicitly.
    assert caddyfile_variables()["GATEWAY_MAX_BODY_BYTES"] is None
    env = environment(services[GATEWAY])
    assert int(env["GATEWAY_MAX_BODY_BYTES"]) == DEFAULT_MAX_BODY_BYTES
    # That number is the most any service accepts: the gateway never refuses a body a
    # service would take, and passes on none that every service refuses.
    limits = {name: definition_of(name).max_body_bytes for name in SERVICE_NAMES}
    assert max(limits.values()) == DEFAULT_MAX_BODY_BYTES, limits
    for name in APP_SERVICES:
        assert "SAFEHANDS_HTTP_MAX_BODY_BYTES" not in environment(services[name]), name


def test_gateway_is_the_public_edge_with_automatic_https(
    compose: dict[str, Any], services: dict[str, dict[str, Any]]
) -> None:
    gateway = services[GATEWAY]
    assert {str(entry) for entry in gateway["ports"]} == {"80:80", "443:443", "443:443/udp"}
    # Certificates survive a re-created container.
    assert "caddy-data:/data" in gateway["volumes"] and "caddy-data" in compose["volumes"]
    env = environment(gateway)
    assert env["GATEWAY_SITE_ADDRESS"].startswith("${GATEWAY_SITE_ADDRESS")
    assert gateway["healthcheck"]["test"]
    assert set(gateway["depends_on"]) == set(APP_SERVICES)
    # The gateway's variables are its own: the services refuse unknown SAFEHANDS_* names.
    assert not any(key.startswith("SAFEHANDS_") for key in env)
    assert not any(name.startswith("SAFEHANDS_") for name in caddyfile_variables())


def test_caddyfile_is_valid_with_the_compose_settings(services: dict[str, dict[str, Any]]) -> None:
    from cli.gateway import caddy_binary

    env = environment(services[GATEWAY])
    env["GATEWAY_SITE_ADDRESS"] = "safehands.example.org"
    result = subprocess.run(
        [caddy_binary(), "adapt", "--config", str(CADDYFILE), "--adapter", "caddyfile"],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", **env},
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    config = json.loads(result.stdout)
    server = next(iter(config["apps"]["http"]["servers"].values()))
    assert server["listen"] == [":443"], "a domain name must be served over HTTPS"


def test_services_trust_x_forwarded_for_from_the_gateway_only(
    compose: dict[str, Any], services: dict[str, dict[str, Any]]
) -> None:
    import ipaddress

    address = ipaddress.ip_address(services[GATEWAY]["networks"]["default"]["ipv4_address"])
    [pool] = compose["networks"]["default"]["ipam"]["config"]
    assert address in ipaddress.ip_network(pool["subnet"])
    for name in APP_SERVICES:
        trusted = environment(services[name])["SAFEHANDS_TRUSTED_PROXIES"]
        default = trusted.split(":-", 1)[1].rstrip("}") if ":-" in trusted else trusted
        assert [ipaddress.ip_network(n.strip()) for n in default.split(",")] == [
            ipaddress.ip_network(f"{address}/32")
        ], name
