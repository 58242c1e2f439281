"""The catalogue starts as the customer's document describes the fleet."""

import re

import pytest

from apps.catalog.models import ContainerSpec, Relation, Service, System
from apps.catalog.seed import image_name
from apps.catalog.selectors import catalog_counts
from apps.catalog.services import catalog_seed

pytestmark = pytest.mark.django_db


def test_it_seeds_the_22_services_of_the_document_by_status():
    catalog_seed()
    assert catalog_counts() == {"total": 22, "containerised": 11, "needs_containerisation": 6, "integration_needed": 5}
    assert Service.objects.filter(category="vls").count() == 11
    assert Service.objects.filter(category="diamond_cli").count() == 6
    assert Service.objects.filter(category="integration").count() == 5
    assert ContainerSpec.objects.count() == 22
    assert set(System.objects.values_list("slug", flat=True)) == {"vls-solutions", "diamond-cli", "visionspace-platform"}


def test_it_is_idempotent_and_keeps_edits_to_nothing_but_seeded_fields():
    first = catalog_seed()
    second = catalog_seed()
    assert (first.created, second.created, second.updated) == (22, 0, 22)
    assert second.relations == 0
    assert Service.objects.count() == 22 and Relation.objects.count() == first.relations


def test_it_names_images_as_the_document_does():
    catalog_seed()
    images = dict(ContainerSpec.objects.values_list("service__slug", "image"))
    assert images["visionspace-automation-hub"] == "gcr.io/api-for-warp-drive/visionspace"
    assert images["daily-video-automation"] == "gcr.io/api-for-warp-drive/daily-pipecat"
    assert images["dr-lucy-flight-memory"] == "gcr.io/api-for-warp-drive/dr-lucy-flight-memory"
    assert images["diamondSolutionsMenu"] == "gcr.io/api-for-warp-drive/diamond-solutions-menu"
    docker_repository = re.compile(r"^[a-z0-9]+([._-][a-z0-9]+)*(/[a-z0-9]+([._-][a-z0-9]+)*)*$")
    assert all(docker_repository.match(image) for image in images.values())


def test_it_carries_the_ports_scaling_and_cloud_run_settings_the_document_gives():
    catalog_seed()
    vs = ContainerSpec.objects.get(service__slug="visionspace-automation-hub")
    assert (vs.ports, vs.replicas, vs.min_instances, vs.max_instances, vs.cpu, vs.memory) == ([8080, 8081], 3, 1, 100, "2", "4Gi")
    assert vs.cloud_run_annotations == {
        "run.googleapis.com/cpu-throttling": "false",
        "run.googleapis.com/execution-environment": "gen2",
    }
    assert vs.env["VISIONSPACE_ENABLED"] == "true" and vs.env["CLOUD_ML_REGION"] == "us-west1"
    daily = ContainerSpec.objects.get(service__slug="daily-video-automation")
    assert (daily.ports, daily.replicas) == ([7860, 8000], 2)
    assert "DAILY_API_KEY" not in daily.env  # a secret: referenced, never stored
    assert {"env": "DAILY_API_KEY", "key": "daily/api-key"} in daily.secret_refs
    for cli in ContainerSpec.objects.filter(service__category="diamond_cli"):
        assert (cli.ports, cli.replicas, cli.env["CLI_MODE"]) == ([3000], 2, "production")


def test_the_automation_hub_pulls_from_every_vls_solution():
    catalog_seed()
    hub = Service.objects.get(slug="visionspace-automation-hub")
    targets = set(hub.relations_out.filter(type="dependsOn").values_list("target__category", flat=True))
    assert targets == {"vls", "integration"}
    assert hub.relations_out.filter(target__category="vls").count() == 11


@pytest.mark.parametrize(
    "slug, expected",
    [("diamondSolutionsMenu", "diamond-solutions-menu"), ("dr-lucy-flight-memory", "dr-lucy-flight-memory"),
     ("a_b.c", "a-b-c"), ("ABC", "abc")],
)
def test_image_names_are_lower_case_docker_repositories(slug, expected):
    assert image_name(slug) == expected
