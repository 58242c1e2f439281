"""A Knative Serving v1 Service (what Cloud Run deploys), in the shape of the document's
cloud-run-visionspace.yaml. A fleet is one YAML document per service.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from . import names
from .names import ArtefactError

FLEET_FILENAME = "cloud-run-fleet.yaml"
# Knative/Cloud Run set these themselves and refuse them in a manifest.
RESERVED_ENV = {"K_SERVICE", "K_CONFIGURATION", "K_REVISION"}
RESERVED_PORTS = {8012, 8013, 8022, 9090, 9091}
# Cloud Run reads these on the Service; every other run.googleapis.com/* annotation
# belongs to the revision template (where cpu-throttling and execution-environment work).
SERVICE_ANNOTATIONS = {
    "run.googleapis.com/ingress", "run.googleapis.com/ingress-status", "run.googleapis.com/launch-stage",
    "run.googleapis.com/description", "run.googleapis.com/binary-authorization",
    "run.googleapis.com/binary-authorization-breakglass", "run.googleapis.com/custom-audiences",
    "run.googleapis.com/default-url-disabled", "run.googleapis.com/invoker-iam-disabled",
}
ANNOTATION_KEY = re.compile(r"run\.googleapis\.com/[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?")
# On Cloud Run a secretKeyRef's key is the Secret Manager version.
SECRET_VERSION = "latest"


def knative_render(*, service) -> str:
    name = names.dns_label(service.slug)
    return names.header([service], names=[name]) + names.yaml_dump(knative_document(service=service, name=name))


def knative_render_fleet(*, services: Sequence) -> str:
    services = list(services)
    if not services:
        raise ArtefactError("No services to render; choose at least one.")
    service_names = names.unique_names([s.slug for s in services])
    documents = [knative_document(service=s, name=n) for s, n in zip(services, service_names, strict=True)]
    return names.header(services, names=service_names) + names.yaml_dump_all(documents)


def knative_document(*, service, name: str) -> dict[str, Any]:
    _, min_instances, max_instances = names.scaling(service)
    service_annotations, template_annotations = _annotations(service)
    template_annotations = {
        "autoscaling.knative.dev/minScale": str(min_instances),
        "autoscaling.knative.dev/maxScale": str(max_instances),
        **template_annotations,
    }
    return {
        "apiVersion": "serving.knative.dev/v1",
        "kind": "Service",
        "metadata": {
            "name": name,
            "annotations": {"visionspace.io/service": service.slug, **service_annotations},
        },
        "spec": {
            "template": {
                "metadata": {"annotations": template_annotations},
                "spec": {
                    "containerConcurrency": _concurrency(service),
                    "containers": [_container(service)],
                },
            }
        },
    }


def _container(service) -> dict[str, Any]:
    ports = names.ports(service)
    port = ports[0] if ports else None
    if port in RESERVED_PORTS:
        raise ArtefactError(
            f"Service '{service.slug}': Knative keeps port {port} for itself; make another port the main one."
        )
    container: dict[str, Any] = {"image": names.image_reference(service)}
    if port is not None:
        # Cloud Run routes to exactly one port: the catalogue's main (first) one.
        container["ports"] = [{"containerPort": port}]
    env = _env(service, port)
    if env:
        container["env"] = env
    container["resources"] = {"limits": {"cpu": names.cpu(service), "memory": names.memory(service)}}
    for probe, field in (("startupProbe", "readiness_path"), ("livenessProbe", "liveness_path")):
        path = names.http_path(service, field)
        if path and port is not None:
            container[probe] = {"httpGet": {"path": path, "port": port}}
    return container


def _env(service, port: int | None) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for env, value in names.env_pairs(service):
        if env in RESERVED_ENV:
            raise ArtefactError(f"Service '{service.slug}': Cloud Run sets {env} itself; remove it from the environment.")
        if env == "PORT":
            if value == str(port):
                continue  # Cloud Run sets PORT to the container port: the same value.
            raise ArtefactError(
                f"Service '{service.slug}': PORT={value} differs from the main port {port}; Cloud Run sets PORT to "
                "the main port, so remove PORT or make its port the first one."
            )
        out.append({"name": env, "value": value})
    for env, key in names.secret_pairs(service):
        if env in RESERVED_ENV or env == "PORT":
            raise ArtefactError(f"Service '{service.slug}': Cloud Run sets {env} itself; it cannot be a secret.")
        ref = {"name": names.secret_name(key), "key": SECRET_VERSION}
        out.append({"name": env, "valueFrom": {"secretKeyRef": ref}})
    return out


def _annotations(service) -> tuple[dict[str, str], dict[str, str]]:
    raw = names.spec_of(service).cloud_run_annotations or {}
    if not isinstance(raw, dict):
        raise ArtefactError(f"Service '{service.slug}': cloud_run_annotations must be a mapping of key: value.")
    on_service: dict[str, str] = {}
    on_template: dict[str, str] = {}
    for key, value in raw.items():
        if not isinstance(key, str) or not ANNOTATION_KEY.fullmatch(key):
            raise ArtefactError(
                f"Service '{service.slug}': annotation {key!r} is not a run.googleapis.com/<name> key; scaling "
                "comes from min/max instances, other keys do not belong in cloud_run_annotations."
            )
        target = on_service if key in SERVICE_ANNOTATIONS else on_template
        target[key] = names.text(value, what=f"Service '{service.slug}': annotation {key}")
    return on_service, on_template


def _concurrency(service) -> int:
    value = names.spec_of(service).concurrency
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 1000:
        raise ArtefactError(f"Service '{service.slug}': concurrency {value!r} must be a whole number from 1 to 1000.")
    return value
