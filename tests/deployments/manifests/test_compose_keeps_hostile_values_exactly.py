"""Hostile environment values, labels and names come out of Compose exactly as they went in."""

from __future__ import annotations

import pytest
import yaml

from apps.catalog.models import ContainerSpec, Service
from apps.catalog.selectors import service_list
from apps.deployments.manifests.compose import compose_render

from .tools import HOSTILE, HOSTILE_SLUGS, compose, compose_resolved, make_service


def _env(values: list[str]) -> dict[str, str]:
    return {f"VALUE_{i}": value for i, value in enumerate(values)}


def test_hostile_environment_values_survive_compose_exactly(tmp_path):
    env = _env(HOSTILE)
    text = compose_render(services=[make_service("hostile", env=env)])
    resolved = compose_resolved(text, tmp_path)
    assert resolved["services"]["hostile"]["environment"] == env


def test_hostile_values_parse_back_the_same_in_pyyaml():
    env = _env(HOSTILE)
    parsed = yaml.safe_load(compose_render(services=[make_service("hostile", env=env)]))
    assert {k: v.replace("$$", "$") for k, v in parsed["services"]["hostile"]["environment"].items()} == env


def test_without_dollar_escaping_compose_would_change_the_values(tmp_path):
    """The control: the same file with the escaping undone resolves to something else."""
    env = {"A": "${HOME}", "B": "$(id)"}
    text = compose_render(services=[make_service("hostile", env=env)]).replace("$$", "$")
    resolved = compose(text, tmp_path, "config", "--format", "json")
    assert resolved.returncode == 0, resolved.stderr
    assert str(tmp_path) in resolved.stdout, "Compose did not interpolate ${HOME}: the escaping test proves nothing"


def test_hostile_slugs_become_compose_safe_keys_and_survive_as_labels(tmp_path):
    services = [make_service(slug) for slug in HOSTILE_SLUGS]
    text = compose_render(services=services)
    resolved = compose_resolved(text, tmp_path)
    assert len(resolved["services"]) == len(HOSTILE_SLUGS), "a hostile slug merged or added services"
    labels = sorted(s["labels"]["io.visionspace.service"] for s in resolved["services"].values())
    assert labels == sorted(HOSTILE_SLUGS)
    for name in resolved["services"]:
        assert yaml.safe_load(f"{name}: 1") == {name: 1}


@pytest.mark.django_db
def test_hostile_data_saved_in_the_catalogue_renders_and_is_left_as_it_was(tmp_path):
    for i, value in enumerate(HOSTILE[:20]):
        service = Service.objects.create(slug=f"s{i}-{value}"[:63], name=value, purpose=value, category="vls",
                                         status="containerised", owner="group:x")
        ContainerSpec.objects.create(service=service, image="gcr.io/x/y", tag="1", ports=[8080 + i],
                                     env={"VALUE": value, "OTHER": value[::-1]})
    before = list(ContainerSpec.objects.order_by("pk").values_list("env", flat=True))
    resolved = compose_resolved(compose_render(services=service_list()), tmp_path)
    values = sorted(s["environment"]["VALUE"] for s in resolved["services"].values())
    assert values == sorted(HOSTILE[:20])
    assert list(ContainerSpec.objects.order_by("pk").values_list("env", flat=True)) == before
