"""ARTEFACTS and artefact_render: what the UI and the API download."""

from __future__ import annotations

import importlib.util

import pytest
import yaml

from apps.catalog.selectors import service_list
from apps.deployments.manifests import (
    ARTEFACTS,
    Artefact,
    ArtefactError,
    artefact_render,
)

from .tools import make_service

FLEET_FILES = {
    "compose": "docker-compose.production.yml",
    "knative": "cloud-run-fleet.yaml",
    "kubernetes": "fleet.k8s.yaml",
    "workflow": "container-updates.yml",
}
ONE_FILE = {
    "compose": "diamond-solutions-menu.compose.yml",
    "knative": "cloud-run-diamond-solutions-menu.yaml",
    "kubernetes": "diamond-solutions-menu.k8s.yaml",
    "workflow": "container-updates.yml",
    "dockerfile": "Dockerfile",
}


def test_it_registers_the_five_kinds():
    assert set(ARTEFACTS) == {"compose", "knative", "kubernetes", "workflow", "dockerfile"}
    assert all(renderer.label for renderer in ARTEFACTS.values())


@pytest.mark.parametrize("kind", sorted(FLEET_FILES))
def test_the_fleet_renders_to_a_named_yaml_file(fleet, kind):
    artefact = artefact_render(kind=kind, services=fleet)
    assert isinstance(artefact, Artefact)
    assert artefact.filename == FLEET_FILES[kind]
    assert artefact.media_type == "application/yaml"
    assert all(doc for doc in yaml.safe_load_all(artefact.text))


@pytest.mark.parametrize("kind", sorted(ONE_FILE))
def test_one_service_renders_to_a_file_named_after_it(fleet, kind):
    menu = next(s for s in fleet if s.slug == "diamondSolutionsMenu")
    assert artefact_render(kind=kind, services=[menu]).filename == ONE_FILE[kind]


def test_a_hostile_slug_gives_a_safe_file_name():
    artefact = artefact_render(kind="compose", services=[make_service('../x"; rm -rf /\n.yml')])
    assert artefact.filename == "x-rm-rf-yml.compose.yml"


def test_the_dockerfile_is_per_service_and_comes_from_the_dockerfile_renderer(fleet):
    with pytest.raises(ArtefactError, match="made for one service at a time"):
        artefact_render(kind="dockerfile", services=fleet[:2])
    hub = next(s for s in fleet if s.slug == "visionspace-automation-hub")
    if importlib.util.find_spec("apps.deployments.manifests.dockerfile") is None:
        with pytest.raises(ArtefactError, match="the Dockerfile renderer is not installed"):
            artefact_render(kind="dockerfile", services=[hub])
        return
    artefact = artefact_render(kind="dockerfile", services=[hub])
    assert artefact.media_type.startswith("text/plain")
    assert "FROM " in artefact.text and "EXPOSE 8080" in artefact.text


def test_a_refusal_of_the_dockerfile_renderer_becomes_an_artefact_error():
    with pytest.raises(ArtefactError, match="'BAD NAME'") as caught:
        artefact_render(kind="dockerfile", services=[make_service("app", env={"BAD NAME": "x"}, runtime="node")])
    assert type(caught.value.__cause__).__name__ == "DockerfileRenderError"


@pytest.mark.parametrize("kind", sorted(FLEET_FILES))
def test_rendering_the_fleet_costs_one_query_and_writes_nothing(fleet, kind, django_assert_num_queries):
    with django_assert_num_queries(1):
        artefact_render(kind=kind, services=service_list())
