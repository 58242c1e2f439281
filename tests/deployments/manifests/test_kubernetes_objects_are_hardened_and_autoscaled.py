"""The Deployment runs restricted, probes its paths, and the autoscaler owns the replica count."""

from __future__ import annotations

import yaml

from apps.deployments.manifests.kubernetes import kubernetes_render

from .tools import make_service


def _objects(service) -> dict[str, dict]:
    return {d["kind"]: d for d in yaml.safe_load_all(kubernetes_render(service=service))}


def test_the_container_runs_under_the_restricted_profile():
    pod = _objects(make_service("app"))["Deployment"]["spec"]["template"]["spec"]
    context = pod["containers"][0]["securityContext"]
    assert context == {
        "runAsNonRoot": True, "readOnlyRootFilesystem": True, "allowPrivilegeEscalation": False,
        "capabilities": {"drop": ["ALL"]}, "seccompProfile": {"type": "RuntimeDefault"},
    }
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["automountServiceAccountToken"] is False
    assert pod["containers"][0]["volumeMounts"] == [{"name": "tmp", "mountPath": "/tmp"}]


def test_probes_resources_and_secrets_come_from_the_catalogue():
    service = make_service("app", cpu="500m", memory="1Gi", liveness_path="/live", readiness_path="/ready",
                           secret_refs=[{"env": "API_KEY", "key": "vendor-api-key"}])
    container = _objects(service)["Deployment"]["spec"]["template"]["spec"]["containers"][0]
    assert container["livenessProbe"]["httpGet"] == {"path": "/live", "port": 8080}
    assert container["readinessProbe"]["httpGet"] == {"path": "/ready", "port": 8080}
    assert container["resources"]["limits"] == container["resources"]["requests"] == {"cpu": "500m", "memory": "1Gi"}
    assert {"name": "API_KEY", "valueFrom": {"secretKeyRef": {"name": "vendor-api-key", "key": "value"}}} in container["env"]


def test_the_autoscaler_takes_min_and_max_instances_and_the_deployment_leaves_replicas_to_it():
    objects = _objects(make_service("app", replicas=3, min_instances=0, max_instances=7))
    assert "replicas" not in objects["Deployment"]["spec"]
    hpa = objects["HorizontalPodAutoscaler"]["spec"]
    assert (hpa["minReplicas"], hpa["maxReplicas"]) == (1, 7)  # an HPA cannot go to zero
    assert hpa["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": "app"}


def test_the_service_selects_the_pods_and_exposes_every_port():
    objects = _objects(make_service("app", ports=[8080, 8081]))
    service = objects["Service"]["spec"]
    assert service["selector"] == objects["Deployment"]["spec"]["selector"]["matchLabels"]
    assert [(p["name"], p["port"]) for p in service["ports"]] == [("http", 8080), ("port-8081", 8081)]


def test_a_service_without_ports_has_no_service_object_and_no_http_probes():
    objects = _objects(make_service("worker", ports=[]))
    assert set(objects) == {"Deployment", "HorizontalPodAutoscaler"}
    assert "livenessProbe" not in objects["Deployment"]["spec"]["template"]["spec"]["containers"][0]
