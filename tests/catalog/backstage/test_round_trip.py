"""Export gives back what was imported: export → wipe → import → export is the same text."""

import json

import pytest
import yaml
from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from apps.catalog.backstage.exporter import catalog_export_yaml
from apps.catalog.backstage.importer import catalog_import_text
from apps.catalog.models import ContainerSpec, Relation, Service, System
from apps.catalog.services import catalog_seed

from .conftest import FILES, VALID_FILES, read

pytestmark = pytest.mark.django_db


def wipe():
    Service.objects.all().delete()
    System.objects.all().delete()


def container_specs() -> dict:
    fields = [f.name for f in ContainerSpec._meta.fields if f.name not in {"id", "service"}]
    specs = ContainerSpec.objects.select_related("service")
    return {spec.service.slug: {f: getattr(spec, f) for f in fields} for spec in specs}


def service_rows() -> dict:
    fields = ["name", "purpose", "description", "kind", "type", "category", "status", "owner", "system__slug",
              "lifecycle", "tags", "links", "annotations", "component_url", "orphaned"]
    return {row["slug"]: row for row in Service.objects.values("slug", *fields)}


def test_seed_export_imports_into_an_empty_catalogue_with_its_container_specs_and_relations():
    catalog_seed()
    services = service_rows()
    specs = container_specs()
    relations = sorted(Relation.objects.values_list("source__slug", "type", "target__slug"))
    systems = sorted(System.objects.values_list("slug", "name", "description", "owner"))
    text = catalog_export_yaml()
    wipe()
    report = catalog_import_text(text=text, source="backup:seed")
    assert report.ok and report.created == 25
    assert Service.objects.count() == 22
    assert service_rows() == services
    assert container_specs() == specs
    assert sorted(Relation.objects.values_list("source__slug", "type", "target__slug")) == relations
    assert sorted(System.objects.values_list("slug", "name", "description", "owner")) == systems


def test_export_wipe_import_export_gives_identical_yaml():
    catalog_seed()
    for name in VALID_FILES:
        assert catalog_import_text(text=read(name), source=f"repo:{name}").ok
    first = catalog_export_yaml()
    wipe()
    assert catalog_import_text(text=first, source="backup").ok
    assert catalog_export_yaml() == first


def test_an_imported_file_exports_with_its_annotations_labels_links_and_definition():
    for name in VALID_FILES[:4]:
        catalog_import_text(text=read(name), source=f"repo:{name}")
    documents = {d["metadata"]["name"]: d for d in yaml.safe_load_all(catalog_export_yaml())}
    assert list(documents) == ["media-platform", "render-service", "media-db", "render-api"]
    render = documents["render-service"]
    assert render["apiVersion"] == "backstage.io/v1beta1"
    assert render["metadata"]["annotations"]["github.com/project-slug"] == "example-org/render-service"
    assert render["metadata"]["annotations"]["visionspace.io/ports"] == "8080,9090"
    assert render["metadata"]["links"][1] == {"url": "https://grafana.example.com/d/render", "title": "Metrics"}
    assert render["spec"] == {"type": "service", "lifecycle": "production", "owner": "group:media-team",
                              "system": "media-platform", "dependsOn": ["resource:media-db"],
                              "providesApis": ["render-api"]}
    assert documents["media-db"]["metadata"]["labels"] == {"tier": "data"}
    assert "lifecycle" not in documents["media-db"]["spec"]
    original = yaml.safe_load(read("render-api.yaml"))
    assert documents["render-api"]["spec"]["definition"] == original["spec"]["definition"]
    assert documents["media-platform"]["spec"] == {"owner": "group:media-team", "domain": "content"}
    assert documents["media-platform"]["metadata"]["tags"] == ["video"]


def test_an_orphaned_entity_exports_with_backstages_orphan_annotation_and_comes_back_orphaned():
    text = read("media-platform-all.yaml")
    catalog_import_text(text=text, source="repo:stage")
    catalog_import_text(text="---".join(p for p in text.split("---") if "name: stage-player\n" not in p),
                        source="repo:stage")
    exported = catalog_export_yaml()
    player = next(d for d in yaml.safe_load_all(exported) if d["metadata"]["name"] == "stage-player")
    assert player["metadata"]["annotations"]["backstage.io/orphan"] == "true"
    wipe()
    catalog_import_text(text=exported, source="backup")
    assert Service.objects.get(slug="stage-player").orphaned
    assert catalog_export_yaml() == exported


def backstage_validator(kind: str):
    schemas = [json.loads(path.read_text()) for path in (FILES / "schemas").glob("*.schema.json")]
    registry = Registry().with_resources((schema["$id"], Resource.from_contents(schema, default_specification=DRAFT7))
                                         for schema in schemas)
    by_kind = {schema["$id"]: schema for schema in schemas}
    schema_id = {"Component": "ComponentV1alpha1", "API": "ApiV1alpha1", "Resource": "ResourceV1alpha1",
                 "System": "SystemV1alpha1"}[kind]
    return Draft7Validator(by_kind[schema_id], registry=registry)


def test_every_exported_document_passes_backstages_own_schemas():
    catalog_seed()
    for name in VALID_FILES:
        catalog_import_text(text=read(name), source=f"repo:{name}")
    documents = list(yaml.safe_load_all(catalog_export_yaml()))
    assert {d["kind"] for d in documents} == {"System", "Component", "Resource", "API"}
    for document in documents:
        errors = [e.message for e in backstage_validator(document["kind"]).iter_errors(document)]
        assert errors == [], (document["metadata"]["name"], errors)
    broken = {**documents[0], "spec": {}}
    assert list(backstage_validator(broken["kind"]).iter_errors(broken)), "the schemas must be able to fail"
