"""Artefacts rendered from the catalogue, by kind: what the UI and the API offer to download.

Every renderer is a pure function of the services it is given (no writes, no queries
beyond ``service.container``, which ``catalog.selectors.service_list`` preloads).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from . import names
from .compose import FILENAME as COMPOSE_FILENAME
from .compose import compose_render
from .knative import FLEET_FILENAME as KNATIVE_FLEET_FILENAME
from .knative import knative_render, knative_render_fleet
from .kubernetes import FLEET_FILENAME as KUBERNETES_FLEET_FILENAME
from .kubernetes import kubernetes_render, kubernetes_render_fleet
from .names import ArtefactError
from .workflow import FILENAME as WORKFLOW_FILENAME
from .workflow import workflow_render

YAML = "application/yaml"


@dataclass(frozen=True)
class Artefact:
    filename: str
    media_type: str
    text: str


@dataclass(frozen=True)
class Renderer:
    render: Callable[[Sequence], str]
    filename: Callable[[Sequence], str]
    media_type: str
    label: str
    one_service_only: bool = False


def _one_or_fleet(one: Callable[..., str], fleet: Callable[..., str]) -> Callable[[Sequence], str]:
    return lambda services: one(service=services[0]) if len(services) == 1 else fleet(services=services)


def _named(single: str, fleet: str) -> Callable[[Sequence], str]:
    """``single`` is formatted with the service's DNS label, which is safe in a file name."""
    return lambda services: single.format(names.dns_label(services[0].slug)) if len(services) == 1 else fleet


def _dockerfile(services: Sequence) -> str:
    from .dockerfile import DockerfileRenderError, dockerfile_render  # it imports the compliance rules' helpers

    try:
        return dockerfile_render(service=services[0])
    except DockerfileRenderError as exc:
        raise ArtefactError(str(exc)) from exc


ARTEFACTS: dict[str, Renderer] = {
    "compose": Renderer(
        render=lambda services: compose_render(services=services),
        filename=_named("{}.compose.yml", COMPOSE_FILENAME),
        media_type=YAML,
        label="Docker Compose project",
    ),
    "knative": Renderer(
        render=_one_or_fleet(knative_render, knative_render_fleet),
        filename=_named("cloud-run-{}.yaml", KNATIVE_FLEET_FILENAME),
        media_type=YAML,
        label="Cloud Run (Knative) service",
    ),
    "kubernetes": Renderer(
        render=_one_or_fleet(kubernetes_render, kubernetes_render_fleet),
        filename=_named("{}.k8s.yaml", KUBERNETES_FLEET_FILENAME),
        media_type=YAML,
        label="Kubernetes Deployment, Service and autoscaler",
    ),
    "workflow": Renderer(
        render=lambda services: workflow_render(services=services),
        filename=lambda services: WORKFLOW_FILENAME,
        media_type=YAML,
        label="GitHub Actions workflow",
    ),
    "dockerfile": Renderer(
        render=_dockerfile,
        filename=lambda services: "Dockerfile",
        media_type="text/plain; charset=utf-8",
        label="Dockerfile",
        one_service_only=True,
    ),
}


def artefact_render(*, kind: str, services: Sequence) -> Artefact:
    renderer = ARTEFACTS.get(kind)
    if renderer is None:
        raise ArtefactError(f"Unknown artefact {kind!r}; choose one of {', '.join(sorted(ARTEFACTS))}.")
    services = list(services)
    if not services:
        raise ArtefactError("No services to render; choose at least one.")
    if renderer.one_service_only and len(services) != 1:
        raise ArtefactError(f"A {renderer.label} is made for one service at a time; choose one service.")
    return Artefact(filename=renderer.filename(services), media_type=renderer.media_type, text=renderer.render(services))


__all__ = ["ARTEFACTS", "Artefact", "ArtefactError", "Renderer", "artefact_render"]
