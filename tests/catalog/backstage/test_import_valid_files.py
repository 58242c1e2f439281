"""Real-world Backstage files of all four kinds land, each field where VisionSpace keeps it."""

import pytest

from apps.catalog.backstage.importer import catalog_import_file, catalog_import_text
from apps.catalog.models import ContainerSpec, Relation, Service, System

from .conftest import FILES, VALID_FILES, read

pytestmark = pytest.mark.django_db


def test_it_imports_a_system_resource_api_and_component_from_separate_files():
    reports = [catalog_import_file(path=FILES / name) for name in VALID_FILES[:4]]
    assert [(r.ok, r.applied, r.created) for r in reports] == [(True, True, 1)] * 4
    system = System.objects.get(slug="media-platform")
    assert (system.name, system.owner, system.orphaned) == ("Media platform", "group:media-team", False)
    assert system.source == f"file:{(FILES / 'media-platform-system.yaml').resolve()}"
    kinds = dict(Service.objects.values_list("slug", "kind"))
    assert kinds == {"media-db": "Resource", "render-api": "API", "render-service": "Component"}
    service = Service.objects.get(slug="render-service")
    assert (service.name, service.purpose, service.type, service.lifecycle) == (
        "Render service", "Renders storyboards into H.264 video", "service", "production")
    assert (service.category, service.status, service.system) == ("vls", "containerised", system)
    assert service.tags == ["python", "video"]
    assert service.links[0] == {"url": "https://render.example.com/admin", "title": "Admin dashboard",
                                "icon": "dashboard", "type": "admin-dashboard"}
    assert service.component_url == "https://render.example.com/scene"
    relations = set(Relation.objects.values_list("source__slug", "type", "target__slug"))
    assert relations == {("render-service", "dependsOn", "media-db"), ("render-service", "providesApi", "render-api")}


def test_it_maps_visionspace_annotations_onto_the_container_spec():
    for name in VALID_FILES[:4]:
        catalog_import_file(path=FILES / name)
    spec = ContainerSpec.objects.get(service__slug="render-service")
    assert spec.image_ref == ("gcr.io/example-org/render-service:2.3.1"
                              "@sha256:4f2a8c0d1e3b5a7c9e1f3a5b7c9d1e3f5a7b9c1d3e5f7a9b1c3d5e7f9a1b3c5d")
    assert (spec.runtime, spec.ports, spec.cpu, spec.memory) == ("python", [8080, 9090], "2", "4Gi")
    assert (spec.replicas, spec.min_instances, spec.max_instances, spec.concurrency) == (3, 1, 20, 40)
    assert spec.regions == ["us-west1", "europe-west4"]
    assert (spec.liveness_path, spec.readiness_path, spec.health_url) == ("/live", "/ready",
                                                                          "https://render.example.com/ready")
    assert spec.env == {"LOG_LEVEL": "info", "RENDER_PRESET": "ultrafast"}
    assert spec.secret_refs == [{"env": "STORAGE_KEY", "key": "media/storage-key"}]
    # Without container annotations: no container, and the documented defaults.
    db = Service.objects.get(slug="media-db")
    assert not ContainerSpec.objects.filter(service=db).exists()
    assert (db.category, db.status) == ("integration", "needs_containerisation")


def test_it_keeps_other_annotations_labels_and_the_api_definition():
    for name in VALID_FILES[:4]:
        catalog_import_file(path=FILES / name)
    service = Service.objects.get(slug="render-service")
    assert service.annotations["github.com/project-slug"] == "example-org/render-service"
    assert service.annotations["backstage.io/techdocs-ref"] == "dir:."
    assert not any(key.startswith("visionspace.io/") for key in service.annotations)
    assert service.annotations["@backstage"] == {"apiVersion": "backstage.io/v1beta1"}
    assert Service.objects.get(slug="media-db").annotations["@backstage"] == {"labels": {"tier": "data"}}
    definition = Service.objects.get(slug="render-api").annotations["@backstage"]["spec"]["definition"]
    assert definition.startswith('openapi: "3.0.0"\n') and "/renders/{id}:" in definition
    system = System.objects.get(slug="media-platform")
    assert system.annotations["@backstage"]["spec"] == {"domain": "content"}
    assert system.annotations["@backstage"]["tags"] == ["video"]


def test_it_imports_a_multi_document_file_with_every_kind():
    report = catalog_import_text(text=read("media-platform-all.yaml"), source="repo:stage", filename="all.yaml")
    assert report.ok and report.applied
    assert (report.created, report.updated, report.unchanged, report.orphaned) == (5, 0, 0, 0)
    assert [ref for ref, _ in report.changes] == [
        "system:default/stage-platform", "resource:default/stage-cache", "api:default/stage-events",
        "component:default/stage-player", "component:default/stage-consumer"]
    # A reference to an entity later in the same file resolves.
    relations = set(Relation.objects.values_list("source__slug", "type", "target__slug"))
    assert relations == {
        ("stage-player", "dependsOn", "stage-cache"), ("stage-player", "dependsOn", "stage-consumer"),
        ("stage-player", "consumesApi", "stage-events"), ("stage-consumer", "providesApi", "stage-events"),
    }
    assert set(Service.objects.values_list("system__slug", flat=True)) == {"stage-platform"}
