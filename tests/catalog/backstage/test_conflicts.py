"""An import never silently takes over an entity that another source (the seed, another file, the admin) owns."""

import pytest

from apps.catalog.backstage.exporter import catalog_export_yaml
from apps.catalog.backstage.importer import catalog_import_text
from apps.catalog.models import Service
from apps.catalog.services import catalog_seed

from .conftest import catalogue_state, read

pytestmark = pytest.mark.django_db

HUB = """\
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: visionspace-automation-hub
  description: Taken over from the seed
spec:
  type: service
  lifecycle: production
  owner: group:stage-team
"""


def test_it_reports_a_conflict_with_a_seeded_service_and_changes_nothing():
    catalog_seed()
    before = catalogue_state()
    report = catalog_import_text(text=HUB, source="repo:hub")
    assert [(e.entity, e.field) for e in report.errors] == [("component:default/visionspace-automation-hub",
                                                             "metadata.name")]
    assert "already exists, from seed:containerization-master-strategy.md" in report.errors[0].message
    assert "--adopt" in report.errors[0].message
    assert catalogue_state() == before


def test_adopt_takes_the_entity_over_for_the_new_source():
    catalog_seed()
    report = catalog_import_text(text=HUB, source="repo:hub", adopt=True)
    assert report.ok and report.updated == 1
    hub = Service.objects.get(slug="visionspace-automation-hub")
    assert (hub.source, hub.purpose, hub.owner) == ("repo:hub", "Taken over from the seed", "group:stage-team")
    assert hub.container.replicas == 3  # the file says nothing about the container: it is kept
    assert hub.relations_out.count() == 0  # the file lists no dependencies: the file is the truth


def test_it_reports_a_conflict_with_another_file_and_with_the_admin():
    catalog_import_text(text=read("media-platform-all.yaml"), source="repo:stage")
    Service.objects.create(slug="made-here", name="Made here", purpose="", category="vls", status="containerised",
                           owner="group:ops")
    text = read("media-platform-all.yaml") + "---\n" + HUB.replace("visionspace-automation-hub", "made-here")
    report = catalog_import_text(text=text, source="repo:other")
    sources = {e.entity: e.message for e in report.errors}
    assert len(sources) == 6
    assert "from repo:stage" in sources["component:default/stage-player"]
    assert "from VisionSpace itself (made in the admin)" in sources["component:default/made-here"]


def test_a_letter_case_twin_in_the_catalogue_is_the_same_entity():
    catalog_import_text(text=read("media-platform-all.yaml"), source="repo:stage")
    renamed = read("media-platform-all.yaml").replace("name: stage-cache", "name: Stage-Cache")
    report = catalog_import_text(text=renamed, source="repo:stage")
    assert report.ok and ("resource:default/Stage-Cache", "updated") in report.changes
    assert Service.objects.filter(slug__iexact="stage-cache").count() == 1


def test_a_catalogue_export_of_the_seed_imports_only_with_adopt():
    catalog_seed()
    text = catalog_export_yaml()
    assert len(catalog_import_text(text=text, source="backup").errors) == 25
    assert catalog_import_text(text=text, source="backup", adopt=True).updated == 25
