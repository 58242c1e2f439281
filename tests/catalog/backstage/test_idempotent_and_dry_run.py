"""Importing the same file again changes nothing; a dry run reports what would change and writes nothing."""

import pytest

from apps.catalog.backstage.importer import catalog_import_text
from apps.catalog.models import Service

from .conftest import catalogue_state, read

pytestmark = pytest.mark.django_db


def test_importing_the_same_file_twice_is_a_no_op():
    text = read("media-platform-all.yaml")
    first = catalog_import_text(text=text, source="repo:stage")
    state = catalogue_state()
    stamps = dict(Service.objects.values_list("slug", "updated_at"))
    second = catalog_import_text(text=text, source="repo:stage")
    assert (first.created, second.created, second.updated, second.unchanged) == (5, 0, 0, 5)
    assert catalogue_state() == state
    assert dict(Service.objects.values_list("slug", "updated_at")) == stamps


def test_a_changed_field_counts_as_updated_and_only_that_entity():
    text = read("media-platform-all.yaml")
    catalog_import_text(text=text, source="repo:stage")
    report = catalog_import_text(text=text.replace("The pop-up player page", "The player"), source="repo:stage")
    assert (report.updated, report.unchanged) == (1, 4)
    assert ("component:default/stage-player", "updated") in report.changes
    assert Service.objects.get(slug="stage-player").purpose == "The player"


def test_a_dry_run_reports_the_changes_and_writes_nothing():
    text = read("media-platform-all.yaml")
    report = catalog_import_text(text=text, source="repo:stage", dry_run=True)
    assert report.ok and not report.applied and report.dry_run
    assert report.created == 5
    assert not Service.objects.exists()


def test_removing_container_annotations_resets_them_to_the_defaults():
    text = read("media-platform-all.yaml")
    catalog_import_text(text=text, source="repo:stage")
    report = catalog_import_text(text=text.replace('    visionspace.io/ports: "8080"\n', ""), source="repo:stage")
    assert report.updated == 1
    assert Service.objects.get(slug="stage-player").container.ports == []
