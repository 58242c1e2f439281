"""Kubernetes objects for a service: a Deployment, a Service and an autoscaling/v2
HorizontalPodAutoscaler, hardened (non-root, read-only root, no capabilities).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from . import names
from .names import ArtefactError

FLEET_FILENAME = "fleet.k8s.yaml"
CPU_TARGET_PERCENT = 70
# In a Kubernetes Secret made for a key-manager key, the value sits under this key.
SECRET_KEY = "value"
RESTRICTED = {
    "runAsNonRoot": True,
    "readOnlyRootFilesystem": True,
    "allowPrivilegeEscalation": False,
    "capabilities": {"drop": ["ALL"]},
    "seccompProfile": {"type": "RuntimeDefault"},
}


def kubernetes_render(*, service) -> str:
    name = names.dns_label(service.slug)
    return names.header([service], names=[name]) + names.yaml_dump_all(kubernetes_documents(service=service, name=name))


def kubernetes_render_fleet(*, services: Sequence) -> str:
    services = list(services)
    if not services:
        raise ArtefactError("No services to render; choose at least one.")
    service_names = names.unique_names([s.slug for s in services])
    documents = [
        document
        for service, name in zip(services, service_names, strict=True)
        for document in kubernetes_documents(service=service, name=name)
    ]
    return names.header(services, names=service_names) + names.yaml_dump_all(documents)


def kubernetes_documents(*, service, name: str) -> list[dict[str, Any]]:
    ports = names.ports(service)
    documents = [_deployment(service, name, ports)]
    if ports:
        documents.append(_service(service, name, ports))
    documents.append(_autoscaler(service, name))
    return documents


def _metadata(service, name: str) -> dict[str, Any]:
    return {"name": name, "labels": _labels(name), "annotations": {"visionspace.io/service": service.slug}}


def _labels(name: str) -> dict[str, str]:
    return {"app.kubernetes.io/name": name, "app.kubernetes.io/managed-by": "visionspace"}


def _port_name(index: int, port: int) -> str:
    return "http" if index == 0 else f"port-{port}"  # IANA service names: at most 15 characters


def _deployment(service, name: str, ports: list[int]) -> dict[str, Any]:
    resources = {"cpu": names.cpu(service), "memory": names.memory(service)}
    container: dict[str, Any] = {
        "name": name,
        "image": names.image_reference(service),
        "ports": [{"name": _port_name(i, p), "containerPort": p, "protocol": "TCP"} for i, p in enumerate(ports)],
        "env": _env(service),
        "resources": {"requests": dict(resources), "limits": dict(resources)},
        "securityContext": RESTRICTED,
        "volumeMounts": [{"name": "tmp", "mountPath": "/tmp"}],
    }
    for probe, field in (("livenessProbe", "liveness_path"), ("readinessProbe", "readiness_path")):
        path = names.http_path(service, field)
        if path and ports:
            container[probe] = {"httpGet": {"path": path, "port": ports[0]}, "periodSeconds": 10, "timeoutSeconds": 5}
    if not container["ports"]:
        del container["ports"]
    if not container["env"]:
        del container["env"]
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": _metadata(service, name),
        # No spec.replicas: the HorizontalPodAutoscaler owns the count, and a
        # re-apply must not reset it.
        "spec": {
            "selector": {"matchLabels": {"app.kubernetes.io/name": name}},
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 0, "maxSurge": 1}},
            "template": {
                "metadata": {"labels": _labels(name), "annotations": {"visionspace.io/service": service.slug}},
                "spec": {
                    "automountServiceAccountToken": False,
                    "securityContext": {"runAsNonRoot": True, "seccompProfile": {"type": "RuntimeDefault"}},
                    "containers": [container],
                    "volumes": [{"name": "tmp", "emptyDir": {}}],
                },
            },
        },
    }


def _env(service) -> list[dict[str, Any]]:
    env: list[dict[str, Any]] = [{"name": k, "value": v} for k, v in names.env_pairs(service)]
    for variable, key in names.secret_pairs(service):
        ref = {"name": names.secret_name(key), "key": SECRET_KEY}
        env.append({"name": variable, "valueFrom": {"secretKeyRef": ref}})
    return env


def _service(service, name: str, ports: list[int]) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": _metadata(service, name),
        "spec": {
            "type": "ClusterIP",
            "selector": {"app.kubernetes.io/name": name},
            "ports": [
                {"name": _port_name(i, p), "port": p, "targetPort": p, "protocol": "TCP"} for i, p in enumerate(ports)
            ],
        },
    }


def _autoscaler(service, name: str) -> dict[str, Any]:
    _, min_instances, max_instances = names.scaling(service)
    minimum = max(min_instances, 1)  # an HPA cannot scale to zero
    return {
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": _metadata(service, name),
        "spec": {
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": name},
            "minReplicas": minimum,
            "maxReplicas": max(max_instances, minimum),
            "metrics": [{
                "type": "Resource",
                "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": CPU_TARGET_PERCENT}},
            }],
        },
    }
